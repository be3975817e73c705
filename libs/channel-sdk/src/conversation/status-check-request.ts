import { normalizeTrackingCode } from '../report-identity';

/**
 * "cek ABCDE-FGHJK", "Status abcde fghjk", "CHECK laporan ABCDEFGHJK?": a citizen asking where a
 * report stands, not a new complaint (ADR 0049). `trackingCode` is null when what follows the
 * word has a code's shape but is no code (a typo, a guess): it gets the same answer as an unknown
 * code, so the answer never hints whether a similar code exists.
 */
export interface StatusCheckRequest {
  trackingCode: string | null;
}

// The keyword, an optional "laporan"/"report", then the code: five characters, an optional dash
// (or spaces), five characters. Anything more ("cek jalan rusak di depan pasar") is a complaint.
const CHECK =
  /^\s*(?:cek|check|status)\s*:?\s+(?:(?:laporan|report)\s+)?#?([a-z0-9]{5})(\s*-\s*|\s+)?([a-z0-9]{5})\s*[.!?]*\s*$/i;

/** The check a message asks for, or null when the message is something else. */
export function statusCheckRequest(text: string | undefined): StatusCheckRequest | null {
  const m = CHECK.exec(text ?? '');
  if (!m) return null;
  const trackingCode = normalizeTrackingCode(`${m[1]}${m[3]}`);
  // Two plain words of five letters ("cek jalan rusak") are a sentence unless they make a code.
  if (!trackingCode && m[2] && !m[2].includes('-')) return null;
  return { trackingCode };
}
