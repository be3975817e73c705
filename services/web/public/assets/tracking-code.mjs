// The same forgiving reading as the status service: any case, spaces, a missing dash, U for V.
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';

export function normalizeCode(input) {
  const cleaned = String(input).toUpperCase().replace(/[\s-]/g, '').replace(/U/g, 'V');
  if (cleaned.length !== 10 || [...cleaned].some((ch) => !ALPHABET.includes(ch))) return null;
  return `${cleaned.slice(0, 5)}-${cleaned.slice(5)}`;
}
