import type { ComplaintReceived } from '@aduan/contracts';
import { publicDescription } from '@aduan/platform';

/**
 * What `report.public_text` holds for a received complaint: derived once, here, from the full
 * text and the names the channel knew the reporter by, so that no public surface needs the
 * reporter to show the complaint. Null when the report is not public or nothing public is left.
 */
export function publicTextOf(e: Pick<ComplaintReceived, 'text' | 'reporter' | 'visibility'>): string | null {
  if (e.visibility !== 'public') return null;
  return publicDescription(e.text, e.reporter) || null;
}
