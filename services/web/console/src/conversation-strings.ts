// The words of the conversation with the citizen (ADR 0074), Bahasa Indonesia first and English,
// in the language the console is shown in (i18n.ts keeps the choice).
import { translator } from './i18n';

const id = {
  title: 'Percakapan dengan pelapor',
  empty: 'Belum ada pertanyaan atau pesan untuk pelapor.',
  waiting: 'Menunggu jawaban pelapor sejak {since}.',
  question: 'Pertanyaan',
  message: 'Pesan',
  answer: 'Jawaban pelapor',
  noAnswer: 'Belum dijawab.',
  'delivery.pending': 'dalam antrean kirim',
  'delivery.sent': 'terkirim',
  'delivery.delivered': 'diterima',
  'delivery.read': 'dibaca',
  'delivery.failed': 'gagal: {reason}',
  'form.title': 'Hubungi pelapor',
  'form.kind': 'Jenis',
  'form.kind.question': 'Tanya pelapor (laporan menunggu jawabannya)',
  'form.kind.message': 'Kirim pesan (informasi, tanpa menunggu jawaban)',
  'form.text': 'Isi (dikirim apa adanya, tanpa alamat atau nama pelapor)',
  'form.count': '{n} dari {max} huruf',
  'form.next': 'Periksa',
  'form.confirm': 'Kirim ke pelapor melalui {channel}?',
  'form.send': 'Ya, kirim',
  'form.back': 'Ubah',
  'form.short': 'Tulis minimal {min} huruf.',
  'done.question': 'Pertanyaan dikirim ke pelapor melalui {channel}. Laporan menunggu jawabannya.',
  'done.message': 'Pesan dikirim ke pelapor melalui {channel}.',
  'refused.REPORTER_ANONYMOUS': 'Pelapor anonim: petugas tidak mengirim pesan kepadanya.',
  'refused.CHANNEL_CANNOT_CARRY': 'Kanal {channel} tidak dapat menyampaikan pesan kepada pelapor ini.',
  'refused.REPORTER_ERASED': 'Data pelapor sudah dihapus: tidak ada yang dapat dihubungi.',
  'refused.NO_REPORTER': 'Laporan ini tidak memiliki pelapor yang dapat dihubungi.',
  'refused.REPORT_CLOSED': 'Laporan sudah ditutup: pelapor tidak dihubungi lagi dari sini.',
  'refused.RATE_LIMITED': 'Terlalu banyak pesan dalam satu jam. Coba lagi dalam {seconds} detik.',
};

export type ConversationKey = keyof typeof id;

const en: Record<ConversationKey, string> = {
  title: 'Conversation with the reporter',
  empty: 'No question or message to the reporter yet.',
  waiting: 'Waiting for the reporter to answer since {since}.',
  question: 'Question',
  message: 'Message',
  answer: "Reporter's answer",
  noAnswer: 'Not answered yet.',
  'delivery.pending': 'queued for sending',
  'delivery.sent': 'sent',
  'delivery.delivered': 'delivered',
  'delivery.read': 'read',
  'delivery.failed': 'failed: {reason}',
  'form.title': 'Contact the reporter',
  'form.kind': 'Kind',
  'form.kind.question': 'Ask the reporter (the report waits for the answer)',
  'form.kind.message': 'Send a message (information, no answer awaited)',
  'form.text': 'Text (sent as written, without the reporter’s address or name)',
  'form.count': '{n} of {max} characters',
  'form.next': 'Review',
  'form.confirm': 'Send to the reporter on {channel}?',
  'form.send': 'Yes, send',
  'form.back': 'Edit',
  'form.short': 'Write at least {min} characters.',
  'done.question': 'Question sent to the reporter on {channel}. The report waits for the answer.',
  'done.message': 'Message sent to the reporter on {channel}.',
  'refused.REPORTER_ANONYMOUS': 'The reporter is anonymous: officers do not write to them.',
  'refused.CHANNEL_CANNOT_CARRY': 'The {channel} channel cannot carry a message to this reporter.',
  'refused.REPORTER_ERASED': "The reporter's data was erased: there is nobody to contact.",
  'refused.NO_REPORTER': 'This report has no reporter who can be contacted.',
  'refused.REPORT_CLOSED': 'The report is closed: its reporter is no longer contacted from here.',
  'refused.RATE_LIMITED': 'Too many messages within an hour. Try again in {seconds} seconds.',
};

export const say = translator<ConversationKey>({ id, en });

const REFUSALS = [
  'REPORTER_ANONYMOUS',
  'CHANNEL_CANNOT_CARRY',
  'REPORTER_ERASED',
  'NO_REPORTER',
  'REPORT_CLOSED',
  'RATE_LIMITED',
] as const;

/** The refusal's own words when the API named one of the conversation's reasons. */
export function refusalKey(code: string | null): ConversationKey | null {
  return code && (REFUSALS as readonly string[]).includes(code)
    ? (`refused.${code}` as ConversationKey)
    : null;
}
