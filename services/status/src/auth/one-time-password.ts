import { randomInt } from 'node:crypto';

/** Letters and digits an admin can read out over the phone without mixing them up (no 0/o, 1/l/i). */
const ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

/** How long a reset password lets its officer in to choose their own (ADR 0075). */
export const ONE_TIME_PASSWORD_HOURS = 24;

/**
 * Twelve random characters in three groups of four, `k7mq-x3vp-9hta`: about 59 bits, shown once
 * to the admin who reset the account and never stored but as a hash.
 */
export function oneTimePassword(): string {
  const groups: string[] = [];
  for (let g = 0; g < 3; g++) {
    let group = '';
    for (let i = 0; i < 4; i++) group += ALPHABET[randomInt(ALPHABET.length)];
    groups.push(group);
  }
  return groups.join('-');
}
