import type { LifecycleState } from '@aduan/contracts';

export interface MessageInput {
  trackingCode: string;
  /** The report the follower's report was merged into, when it differs. */
  masterTrackingCode?: string;
  state: LifecycleState;
  unitName?: string;
  publicNote?: string;
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
  m.masterTrackingCode ? ` Pantau perkembangannya di laporan ${m.masterTrackingCode}.` : '';
const TRACK_EN = (m: MessageInput) =>
  m.masterTrackingCode ? ` Follow it on report ${m.masterTrackingCode}.` : '';

/** One message per locale; the public note (already written for citizens) follows the status line. */
export function renderMessage(locale: 'id' | 'en', m: MessageInput): string {
  const base = locale === 'id' ? ID[m.state](m) + TRACK_ID(m) : EN[m.state](m) + TRACK_EN(m);
  const note = m.publicNote ? ` ${locale === 'id' ? 'Catatan' : 'Note'}: ${m.publicNote}` : '';
  return (base + note).slice(0, 4000);
}

/**
 * Channels do not tell us the reporter's language, so a notification carries both: Bahasa
 * Indonesia first, English after (see ADR 0033).
 */
export function renderBilingual(m: MessageInput): string {
  return `${renderMessage('id', m)}\n\n${renderMessage('en', m)}`.slice(0, 4000);
}
