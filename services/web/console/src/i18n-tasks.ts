// The words of parallel coordination and bulk actions (ADR 0073), Bahasa Indonesia first. Kept
// beside i18n.ts, in the same shape and language choice; part states' labels come from the API.
import { lang } from './i18n';

const id = {
  'tasks.title': 'Koordinasi paralel',
  'tasks.none': 'Laporan ini belum dikerjakan beberapa unit sekaligus.',
  'tasks.unit': 'Unit',
  'tasks.state': 'Status',
  'tasks.assignee': 'Petugas',
  'tasks.due': 'Batas waktu',
  'tasks.note': 'Hasil',
  'tasks.actions': 'Tindakan',
  'tasks.waiting': 'Laporan lanjut ke validasi setelah semua unit selesai ({done} dari {all} selesai).',
  'tasks.coordinate': 'Koordinasikan ke beberapa unit',
  'tasks.coordinate.units': 'Unit yang ikut mengerjakan',
  'tasks.coordinate.hint':
    'Pilih dua unit atau lebih; setiap unit mendapat bagian sendiri dengan batas waktu 7 hari.',
  'tasks.coordinate.submit': 'Koordinasikan',
  'tasks.claim': 'Ambil bagian ini',
  'tasks.assign': 'Serahkan bagian ke petugas',
  'tasks.start': 'Mulai kerjakan bagian ini',
  'tasks.done': 'Tandai bagian ini selesai',
  'tasks.done.note': 'Yang dikerjakan unit Anda (ditampilkan ke pelapor setelah semua unit selesai)',
  'tasks.done.evidence': 'Foto bukti',
  'tasks.done.noEvidence': 'Unggah foto bukti dahulu (Unggah foto bukti di atas).',
  'tasks.saved': 'Tersimpan. Bagian {unit}: {label}.',
  'tasks.coordinated': 'Laporan dikoordinasikan ke {n} unit.',
  'tasks.illegal': 'Bagian ini sudah berubah; dimuat ulang. Periksa dan ulangi.',
  'tasks.nobody': 'Belum ada',
  'bulk.title': 'Tindakan massal',
  'bulk.selected': '{n} laporan dipilih',
  'bulk.pick': 'Pilih {code}',
  'bulk.all': 'Pilih semua yang tampil',
  'bulk.clear': 'Batalkan pilihan',
  'bulk.claim': 'Ambil semua',
  'bulk.assign': 'Serahkan semua ke',
  'bulk.assign.submit': 'Serahkan',
  'bulk.coordinate': 'Koordinasikan semua ke',
  'bulk.coordinate.submit': 'Koordinasikan',
  'bulk.note': 'Alasan (internal)',
  'bulk.results': 'Hasil tindakan massal',
  'bulk.summary': '{ok} berhasil, {failed} gagal.',
  'bulk.ok': 'berhasil',
} as const;

export type TaskKey = keyof typeof id;

const en: Record<TaskKey, string> = {
  'tasks.title': 'Parallel coordination',
  'tasks.none': 'This report is not worked by several units at once.',
  'tasks.unit': 'Unit',
  'tasks.state': 'Status',
  'tasks.assignee': 'Officer',
  'tasks.due': 'Due',
  'tasks.note': 'Result',
  'tasks.actions': 'Actions',
  'tasks.waiting': 'The report goes to validation once every unit is done ({done} of {all} done).',
  'tasks.coordinate': 'Coordinate with several units',
  'tasks.coordinate.units': 'Units that work on it',
  'tasks.coordinate.hint': 'Choose two units or more; each gets a part of its own, due in 7 days.',
  'tasks.coordinate.submit': 'Coordinate',
  'tasks.claim': 'Claim this part',
  'tasks.assign': 'Assign this part to an officer',
  'tasks.start': 'Start this part',
  'tasks.done': 'Mark this part done',
  'tasks.done.note': 'What your unit did (shown to the reporter once every unit is done)',
  'tasks.done.evidence': 'Evidence photos',
  'tasks.done.noEvidence': 'Upload an evidence photo first (Upload evidence photo above).',
  'tasks.saved': 'Saved. Part of {unit}: {label}.',
  'tasks.coordinated': 'The report is coordinated with {n} units.',
  'tasks.illegal': 'This part has changed; it has been reloaded. Check it and try again.',
  'tasks.nobody': 'Nobody yet',
  'bulk.title': 'Bulk actions',
  'bulk.selected': '{n} reports selected',
  'bulk.pick': 'Select {code}',
  'bulk.all': 'Select all shown',
  'bulk.clear': 'Clear selection',
  'bulk.claim': 'Claim all',
  'bulk.assign': 'Assign all to',
  'bulk.assign.submit': 'Assign',
  'bulk.coordinate': 'Coordinate all to',
  'bulk.coordinate.submit': 'Coordinate',
  'bulk.note': 'Reason (internal)',
  'bulk.results': 'Bulk action results',
  'bulk.summary': '{ok} done, {failed} failed.',
  'bulk.ok': 'done',
};

const STRINGS: Record<'id' | 'en', Record<TaskKey, string>> = { id, en };

export function tt(key: TaskKey, vars: Record<string, string | number> = {}): string {
  return STRINGS[lang()][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    vars[name] === undefined ? `{${name}}` : String(vars[name]),
  );
}
