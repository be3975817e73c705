import type { LifecycleState } from '@aduan/contracts';

export interface MessageInput {
  trackingCode: string;
  /**
   * True when the follower's report was merged into another: the message tells the incident's
   * state through the follower's own code, never the other report's code (ADR 0055).
   */
  mergedFollower?: boolean;
  state: LifecycleState;
  unitName?: string;
  publicNote?: string;
  /** The reporter of a completed report is asked to confirm or say it is not fixed (ADR 0048). */
  askReview?: boolean;
  /** The tracking page with the reporter's review key, when the service knows its address. */
  reviewUrl?: string;
}

type Template = (m: MessageInput) => string;

const ID: Record<LifecycleState, Template> = {
  RECEIVED: (m) => `Laporan ${m.trackingCode} diteruskan ke ${m.unitName ?? 'unit yang berwenang'}.`,
  TRIAGE: (m) => `Laporan ${m.trackingCode} sedang ditelaah petugas CRM.`,
  COORDINATION: (m) =>
    `Laporan ${m.trackingCode} sedang dikoordinasikan dengan ${m.unitName ?? 'unit yang berwenang'}.`,
  DISPOSITION: (m) => `Laporan ${m.trackingCode} didisposisikan ke ${m.unitName ?? 'suku dinas terkait'}.`,
  IN_PROGRESS: (m) =>
    `Laporan ${m.trackingCode} sedang ditangani oleh ${m.unitName ?? 'unit yang berwenang'}.`,
  AWAITING_VALIDATION: (m) =>
    `Tindak lanjut laporan ${m.trackingCode} sudah dilaporkan dan sedang divalidasi.`,
  FOLLOW_UP_REJECTED: (m) =>
    `Tindak lanjut laporan ${m.trackingCode} belum diterima validator; laporan dikembalikan ke unit untuk ditangani lagi.`,
  COMPLETED: (m) =>
    `Laporan ${m.trackingCode} telah selesai ditindaklanjuti. Terima kasih atas laporan Anda.`,
  REJECTED: (m) => `Laporan ${m.trackingCode} tidak dapat ditindaklanjuti.`,
  MERGED: (m) => `Laporan ${m.trackingCode} digabung dengan laporan lain tentang masalah yang sama.`,
};

const EN: Record<LifecycleState, Template> = {
  RECEIVED: (m) => `Report ${m.trackingCode} was forwarded to ${m.unitName ?? 'the responsible unit'}.`,
  TRIAGE: (m) => `Report ${m.trackingCode} is being reviewed by a CRM officer.`,
  COORDINATION: (m) =>
    `Report ${m.trackingCode} is being coordinated with ${m.unitName ?? 'the responsible unit'}.`,
  DISPOSITION: (m) => `Report ${m.trackingCode} was assigned to ${m.unitName ?? 'the local office'}.`,
  IN_PROGRESS: (m) => `Report ${m.trackingCode} is being handled by ${m.unitName ?? 'the responsible unit'}.`,
  AWAITING_VALIDATION: (m) =>
    `The follow-up of report ${m.trackingCode} was submitted and is being validated.`,
  FOLLOW_UP_REJECTED: (m) =>
    `The follow-up of report ${m.trackingCode} was not accepted; the unit is handling it again.`,
  COMPLETED: (m) => `Report ${m.trackingCode} has been resolved. Thank you for reporting.`,
  REJECTED: (m) => `Report ${m.trackingCode} cannot be followed up.`,
  MERGED: (m) => `Report ${m.trackingCode} was merged with another report about the same problem.`,
};

const TRACK_ID = (m: MessageInput) =>
  m.mergedFollower
    ? ` Laporan ini digabung dengan laporan lain tentang masalah yang sama; perkembangannya tetap dapat dipantau dengan nomor ${m.trackingCode}.`
    : '';
const TRACK_EN = (m: MessageInput) =>
  m.mergedFollower
    ? ` It was merged with another report about the same problem; follow it with number ${m.trackingCode}.`
    : '';

const REVIEW_ID = (m: MessageInput) =>
  m.askReview
    ? ` Jika masalahnya belum beres, balas pesan ini dengan "belum beres"${m.reviewUrl ? ` atau buka ${m.reviewUrl}` : ''}; jika sudah, balas "sudah beres".`
    : '';
const REVIEW_EN = (m: MessageInput) =>
  m.askReview
    ? ` If the problem is not fixed, reply "not fixed"${m.reviewUrl ? ` or open ${m.reviewUrl}` : ''}; if it is, reply "fixed".`
    : '';

/**
 * One message per locale; the public note (already written for citizens) follows the status line.
 * The review request comes last but is kept whole: the note is shortened to make room for it.
 */
export function renderMessage(locale: 'id' | 'en', m: MessageInput): string {
  const base = locale === 'id' ? ID[m.state](m) + TRACK_ID(m) : EN[m.state](m) + TRACK_EN(m);
  const note = m.publicNote ? ` ${locale === 'id' ? 'Catatan' : 'Note'}: ${m.publicNote}` : '';
  const review = locale === 'id' ? REVIEW_ID(m) : REVIEW_EN(m);
  // Both locales, each with its review request, must fit the 4000 characters of a notification.
  const room = review ? 1998 : 4000;
  return (base + note).slice(0, room - review.length) + review;
}

/**
 * Channels do not tell us the reporter's language, so a notification carries both: Bahasa
 * Indonesia first, English after (see ADR 0033).
 */
export function renderBilingual(m: MessageInput): string {
  return `${renderMessage('id', m)}\n\n${renderMessage('en', m)}`.slice(0, 4000);
}
