// The words of the New report form, Bahasa Indonesia first. Kept apart from i18n.ts, whose
// language choice they follow; channel names come from libs/contracts through i18n.ts.
import { lang } from './i18n';

const id = {
  'entry.nav': 'Laporan baru',
  'entry.title': 'Laporan baru',
  'entry.intro':
    'Laporan warga yang diterima lewat surat, kedatangan langsung, telepon atau media massa. Nomor laporan dikirim ke kontak warga bila ada.',
  'entry.kind': 'Diterima lewat',
  'entry.text': 'Isi laporan',
  'entry.subject': 'Perihal (opsional)',
  'entry.reference.letter': 'Nomor surat (opsional)',
  'entry.reference.media': 'Tautan berita (opsional)',
  'entry.reference.other': 'Nomor catatan (opsional)',
  'entry.category': 'Kategori',
  'entry.category.auto': 'Dipilih oleh sistem',
  'entry.place': 'Kelurahan atau alamat',
  'entry.point': 'Titik koordinat (lintang, bujur)',
  'entry.point.hint': 'Opsional. Contoh: -6.1936, 106.8467',
  'entry.point.invalid': 'Titik koordinat harus dua angka: lintang, bujur (contoh -6.1936, 106.8467).',
  'entry.contact': 'Kontak warga',
  'entry.name': 'Nama',
  'entry.phone': 'Nomor HP',
  'entry.email': 'E-mail',
  'entry.contact.hint':
    'Opsional. Nomor laporan dikirim lewat SMS ke nomor HP, atau lewat e-mail bila tidak ada nomor HP.',
  'entry.anonymous': 'Warga ingin anonim (nama tidak dicatat)',
  'entry.photo': 'Foto (opsional; JPEG, PNG atau WebP)',
  'entry.photo.hint':
    'Foto diunggah saat dipilih. Data lokasi dan perangkat dihapus dari salinan yang ditampilkan.',
  'entry.photo.uploading': 'Mengunggah {name}…',
  'entry.photo.ready': 'Foto {n}',
  'entry.photo.remove': 'Hapus foto {n}',
  'entry.photo.tooMany': 'Paling banyak {n} foto per laporan.',
  'entry.photo.refused.empty': '{name}: berkas kosong.',
  'entry.photo.refused.too-large': '{name}: foto terlalu besar.',
  'entry.photo.refused.unknown-type': '{name}: bukan foto JPEG, PNG atau WebP.',
  'entry.photo.refused.type-not-allowed': '{name}: bukan foto JPEG, PNG atau WebP.',
  'entry.photo.refused.too-many-pixels': '{name}: resolusi foto terlalu besar.',
  'entry.photo.refused.undecodable': '{name}: foto rusak dan tidak dapat dibaca.',
  'entry.submit': 'Simpan laporan',
  'entry.sending': 'Menyimpan…',
  'entry.textRequired': 'Isi laporan wajib diisi.',
  'entry.waitPhoto': 'Tunggu sampai foto selesai diunggah.',
  'entry.conflict': 'Formulir ini sudah terkirim dengan isi lain. Mulai laporan baru.',
  'entry.off': 'Formulir laporan baru belum aktif di server ini.',
  'entry.done.title': 'Laporan tersimpan',
  'entry.done.code': 'Nomor laporan',
  'entry.ack.sms': 'Tanda terima dengan nomor laporan dikirim lewat SMS ke nomor HP warga.',
  'entry.ack.email': 'Tanda terima dengan nomor laporan dikirim lewat e-mail ke alamat warga.',
  'entry.ack.lapor': 'Warga diberi tahu lewat LAPOR!.',
  'entry.ack.none':
    'Tidak ada tanda terima yang dikirim (tidak ada kontak yang dapat dihubungi). Sampaikan nomor laporan ini kepada warga.',
  'entry.open': 'Buka laporan',
  'entry.another': 'Laporan baru lagi',
};

export type EntryKey = keyof typeof id;

const en: Record<EntryKey, string> = {
  'entry.nav': 'New report',
  'entry.title': 'New report',
  'entry.intro':
    "A citizen's report received by letter, in person, by phone or from the media. The report number goes to the citizen's contact when one is given.",
  'entry.kind': 'Received by',
  'entry.text': 'What the citizen reports',
  'entry.subject': 'Subject (optional)',
  'entry.reference.letter': 'Letter number (optional)',
  'entry.reference.media': 'Link to the article (optional)',
  'entry.reference.other': 'Log number (optional)',
  'entry.category': 'Category',
  'entry.category.auto': 'Chosen by the system',
  'entry.place': 'Kelurahan or address',
  'entry.point': 'Point (latitude, longitude)',
  'entry.point.hint': 'Optional. Example: -6.1936, 106.8467',
  'entry.point.invalid': 'A point is two numbers: latitude, longitude (e.g. -6.1936, 106.8467).',
  'entry.contact': "Citizen's contact",
  'entry.name': 'Name',
  'entry.phone': 'Mobile number',
  'entry.email': 'E-mail',
  'entry.contact.hint':
    'Optional. The report number goes by SMS to the mobile number, or by e-mail when there is no number.',
  'entry.anonymous': 'The citizen wishes to stay anonymous (no name recorded)',
  'entry.photo': 'Photo (optional; JPEG, PNG or WebP)',
  'entry.photo.hint':
    'Photos upload as they are chosen. Position and device data are removed from the copy shown.',
  'entry.photo.uploading': 'Uploading {name}…',
  'entry.photo.ready': 'Photo {n}',
  'entry.photo.remove': 'Remove photo {n}',
  'entry.photo.tooMany': 'At most {n} photos per report.',
  'entry.photo.refused.empty': '{name}: the file is empty.',
  'entry.photo.refused.too-large': '{name}: the photo is too large.',
  'entry.photo.refused.unknown-type': '{name}: not a JPEG, PNG or WebP photo.',
  'entry.photo.refused.type-not-allowed': '{name}: not a JPEG, PNG or WebP photo.',
  'entry.photo.refused.too-many-pixels': "{name}: the photo's resolution is too high.",
  'entry.photo.refused.undecodable': '{name}: the photo is damaged and cannot be read.',
  'entry.submit': 'Save report',
  'entry.sending': 'Saving…',
  'entry.textRequired': 'Say what the citizen reports.',
  'entry.waitPhoto': 'Wait until the photo has uploaded.',
  'entry.conflict': 'This form was already sent with other content. Start a new report.',
  'entry.off': 'The New report form is not switched on on this server.',
  'entry.done.title': 'Report saved',
  'entry.done.code': 'Report number',
  'entry.ack.sms': "An acknowledgement with the report number goes by SMS to the citizen's mobile number.",
  'entry.ack.email': "An acknowledgement with the report number goes by e-mail to the citizen's address.",
  'entry.ack.lapor': 'The citizen is told through LAPOR!.',
  'entry.ack.none':
    'No acknowledgement was sent (no contact that can be reached). Give the citizen this report number.',
  'entry.open': 'Open the report',
  'entry.another': 'Enter another report',
};

const STRINGS: Record<'id' | 'en', Record<EntryKey, string>> = { id, en };

export function te(key: EntryKey, vars: Record<string, string | number> = {}): string {
  return STRINGS[lang()][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    vars[name] === undefined ? `{${name}}` : String(vars[name]),
  );
}
