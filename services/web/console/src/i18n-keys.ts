// The words of keyboard shortcuts and saved views (ADR 0078), Bahasa Indonesia first. Kept beside
// i18n.ts, in the same shape and language choice.
import { lang } from './i18n';

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
};

const STRINGS: Record<'id' | 'en', Record<KeysKey, string>> = { id, en };

export function tk(key: KeysKey, vars: Record<string, string | number> = {}): string {
  return STRINGS[lang()][key].replace(/\{(\w+)\}/g, (_, name: string) =>
    vars[name] === undefined ? `{${name}}` : String(vars[name]),
  );
}
