/**
 * The answers to "cek <code>", in Bahasa Indonesia first and English after it like every other
 * message to citizens. They carry only what the public tracking page shows for the code (its
 * state, its unit, its last public note, its link) and never repeat anything the citizen wrote.
 */
import type { LifecycleState } from '@aduan/contracts';
import type { ChannelMessage, MessageStyle } from '../delivery/templates';
import type { PublicReportView } from './public-report';

const ENGLISH: Record<LifecycleState, string> = {
  RECEIVED: 'Waiting',
  TRIAGE: 'Waiting',
  COORDINATION: 'Coordination',
  DISPOSITION: 'Assigned',
  IN_PROGRESS: 'In progress',
  AWAITING_VALIDATION: 'Awaiting validation',
  FOLLOW_UP_REJECTED: 'Work not accepted',
  COMPLETED: 'Completed',
  REJECTED: 'Rejected',
  MERGED: 'Merged',
};

/** SMS and chat previews cut long notes; the page has the whole timeline. */
const NOTE_LIMIT = { long: 500, short: 100 } as const;

function clip(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  // Three dots, not an ellipsis: one character outside GSM-7 makes every SMS segment less than half as long.
  return flat.length > max ? `${flat.slice(0, max - 3)}...` : flat;
}

/** The newest public note on the timeline, if the page shows any. */
function lastNote(view: PublicReportView): string | null {
  for (let i = view.timeline.length - 1; i >= 0; i--) {
    const note = view.timeline[i]!.note?.trim();
    if (note) return note;
  }
  return null;
}

export function reportStatusMessage(
  view: PublicReportView,
  trackingUrl: string,
  style: MessageStyle = 'long',
): ChannelMessage {
  const code = view.trackingCode;
  const english = ENGLISH[view.state];
  const subject = `Status laporan / Report status: ${code}`;
  const unit = view.unit?.name ?? null;
  const note = lastNote(view);
  if (style === 'short') {
    const parts = [`Laporan ${code}: ${view.label}`];
    if (unit) parts.push(unit);
    if (note) parts.push(`"${clip(note, NOTE_LIMIT.short)}"`);
    return { subject, text: `${parts.join('. ')}. ${trackingUrl} / Status: ${english}.` };
  }
  const lines = [`Status laporan ${code}: ${view.label}`];
  if (unit) lines.push(`Ditangani oleh: ${unit}`);
  if (note) lines.push(`Catatan terakhir: ${clip(note, NOTE_LIMIT.long)}`);
  lines.push(`Selengkapnya: ${trackingUrl}`, '', `Status of report ${code}: ${english}`);
  if (unit) lines.push(`Handled by: ${unit}`);
  if (note) lines.push('Latest note: see above.');
  lines.push(`Details: ${trackingUrl}`);
  return { subject, text: lines.join('\n') };
}

/** The same one sentence for an unknown code, a mistyped one and one that may not be shown. */
export function unknownReportMessage(): ChannelMessage {
  return {
    subject: 'Status laporan / Report status',
    text: 'Laporan dengan nomor tersebut tidak dapat kami tampilkan; periksa kembali nomornya. / We cannot show a report with that code; please check the code.',
  };
}

export function tooManyChecksMessage(): ChannelMessage {
  return {
    subject: 'Status laporan / Report status',
    text: 'Anda sudah terlalu sering mengecek status dalam satu jam terakhir; coba lagi nanti atau buka tautan pelacakan laporan Anda. / Too many status checks in the last hour; please try again later or open your tracking link.',
  };
}

/** Answering by message is off (no status service configured): the page still answers. */
export function checkByPageMessage(trackingUrl: string): ChannelMessage {
  return {
    subject: 'Status laporan / Report status',
    text: `Status laporan dapat dilihat di ${trackingUrl} / The report's status is shown at ${trackingUrl}`,
  };
}
