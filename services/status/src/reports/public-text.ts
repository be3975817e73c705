import type { ComplaintReceived } from '@aduan/contracts';
import { publicDescription } from '@aduan/platform';

/**
 * What `report.public_text` holds for a received complaint: derived once, here, from the full
 * text and the names the channel knew the reporter by, so that no public surface needs the
 * reporter to show the complaint. Since ADR 0058 the adapter derives it and sends it along. Null when the report is not public or nothing public is left.
 */
export function publicTextOf(
  e: Pick<ComplaintReceived, 'text' | 'reporter' | 'visibility' | 'publicText'>,
): string | null {
  if (e.visibility !== 'public') return null;
  // An adapter that names its reporter by reference derived the text itself: only it knows the
  // names to mask (ADR 0058). Without its text nothing is public, rather than the names.
  if (e.reporter.ref) return e.publicText || null;
  return publicDescription(e.text, e.reporter) || null;
}
