// The words of keyboard shortcuts and saved views (ADR 0078), Bahasa Indonesia first. Kept beside
// i18n.ts, in the same shape and language choice.
import { translator } from './i18n';

const id = {
  'keys.title': 'Pintasan papan ketik',
  'keys.intro': 'Berlaku saat kursor tidak berada di kolom isian. Tanpa Ctrl atau Alt.',
  'keys.close': 'Tutup',
  'keys.search': 'Ke kolom pencarian',
  'keys.next': 'Laporan berikutnya di antrean',
  'keys.previous': 'Laporan sebelumnya di antrean',
  'keys.open': 'Buka laporan yang dipilih',
  'keys.claim': 'Ambil laporan yang terbuka',
  'keys.note': 'Ke kolom catatan internal',
  'keys.help': 'Tampilkan daftar pintasan ini',
  'keys.escape': 'Tutup daftar ini',
  'keys.button': 'Pintasan (?)',
  'views.title': 'Tampilan tersimpan',
  'views.none': 'Belum ada. Atur filter, beri nama, lalu simpan.',
  'views.name': 'Nama tampilan',
  'views.save': 'Simpan filter ini',
  'views.apply': 'Terapkan {name}',
  'views.delete': 'Hapus tampilan {name}',
  'views.saved': 'Tampilan "{name}" disimpan.',
  'views.replaced': 'Tampilan "{name}" diperbarui dengan filter ini.',
  'views.deleted': 'Tampilan "{name}" dihapus.',
  'views.tooMany': 'Anda sudah menyimpan 20 tampilan. Hapus satu dahulu.',
  'views.nameRequired': 'Beri nama tampilan (paling banyak 60 huruf).',
} as const;

export type KeysKey = keyof typeof id;

const en: Record<KeysKey, string> = {
  'keys.title': 'Keyboard shortcuts',
  'keys.intro': 'They work while the cursor is not in a form field. No Ctrl or Alt.',
  'keys.close': 'Close',
  'keys.search': 'Go to the search field',
  'keys.next': 'Next report in the queue',
  'keys.previous': 'Previous report in the queue',
  'keys.open': 'Open the chosen report',
  'keys.claim': 'Claim the open report',
  'keys.note': 'Go to the internal note field',
  'keys.help': 'Show this list of shortcuts',
  'keys.escape': 'Close this list',
  'keys.button': 'Shortcuts (?)',
  'views.title': 'Saved views',
  'views.none': 'None yet. Set the filters, give them a name, then save.',
  'views.name': 'View name',
  'views.save': 'Save these filters',
  'views.apply': 'Apply {name}',
  'views.delete': 'Delete view {name}',
  'views.saved': 'View "{name}" saved.',
  'views.replaced': 'View "{name}" updated with these filters.',
  'views.deleted': 'View "{name}" deleted.',
  'views.tooMany': 'You already keep 20 views. Delete one first.',
  'views.nameRequired': 'Give the view a name (at most 60 characters).',
};

export const tk = translator<KeysKey>({ id, en });
