/* global document, localStorage */
// Bahasa Indonesia first; English on request. The choice is kept in localStorage (it is not
// personal data) so that both pages open in the language last chosen.

const KEY = 'aduan.lang';

const STATE_EN = {
  RECEIVED: 'Waiting',
  TRIAGE: 'Waiting',
  COORDINATION: 'Coordination',
  DISPOSITION: 'Disposition',
  IN_PROGRESS: 'In progress',
  AWAITING_VALIDATION: 'Awaiting validation',
  FOLLOW_UP_REJECTED: 'Follow-up rejected',
  COMPLETED: 'Completed',
  REJECTED: 'Rejected',
  MERGED: 'Merged',
};

const STRINGS = {
  id: {
    'lang.switch': 'English',
    'site.title': 'Lacak Laporan',
    'site.stats': 'Statistik',
    'site.tagline': 'Pantau tindak lanjut laporan Anda kepada Pemerintah Provinsi DKI Jakarta.',
    'site.footer': 'Aduan · Cepat Respon Masyarakat. Data pelapor tidak pernah ditampilkan di halaman ini.',
    'track.label': 'Nomor laporan',
    'track.hint':
      'Nomor ada di balasan yang Anda terima, misalnya ABCDE-FGHJK. Huruf kecil dan spasi tidak masalah.',
    'track.submit': 'Lacak',
    'track.invalid':
      'Nomor laporan terdiri dari 10 huruf dan angka, misalnya ABCDE-FGHJK. Periksa kembali nomornya.',
    'track.notFound':
      'Laporan dengan nomor {code} tidak ditemukan. Periksa kembali nomor pada pesan yang Anda terima; laporan baru bisa muncul beberapa detik setelah dikirim.',
    'track.unavailable': 'Layanan sedang tidak dapat dihubungi. Halaman akan mencoba lagi otomatis.',
    'track.loading': 'Memuat…',
    'track.state': 'Status',
    'track.category': 'Kategori',
    'track.unit': 'Unit penanggung jawab',
    'track.area': 'Lokasi',
    'track.received': 'Diterima',
    'track.channel': 'Kanal',
    'track.description': 'Isi laporan',
    'track.timeline': 'Riwayat tindak lanjut',
    'track.updated': 'Diperbarui otomatis · terakhir dicek {time}',
    'track.merged':
      'Laporan ini digabung dengan laporan lain tentang masalah yang sama. Penanganannya kini: {label} (diperbarui {time}).',
    'track.evidence': 'Bukti',
    'track.unknown': 'Belum ditentukan',
    'steps.received': 'Diterima',
    'steps.handling': 'Ditangani',
    'steps.validation': 'Validasi',
    'steps.done': 'Selesai',
    'area.kelurahan': 'Kel.',
    'area.kecamatan': 'Kec.',
    'track.live': 'Langsung: halaman ini berubah sendiri begitu laporan ditindaklanjuti.',
    'track.changed': 'Pembaruan {time}: status laporan kini {state}.',
    'track.newEntry': 'Pembaruan {time}: catatan baru pada riwayat tindak lanjut.',
    'track.stateOnly':
      'Laporan ini dibuat tidak untuk umum: hanya statusnya yang ditampilkan di sini. Rinciannya dikirim kepada pelapor lewat kanal yang dipakainya.',
    'track.map': 'Wilayah laporan',
    'map.of': 'Peta batas wilayah {place}',
    'map.textOnly': 'peta tidak dapat dimuat',
    // Shared with the console pages (news, WhatsApp)
    'console.title': 'Konsol Petugas',
    'console.news': 'Berita media massa',
    'console.whatsapp': 'Nomor WhatsApp',
  },
  en: {
    'lang.switch': 'Bahasa Indonesia',
    'site.title': 'Track a report',
    'site.stats': 'Statistics',
    'site.tagline': 'Follow how the Jakarta provincial government handles your report.',
    'site.footer': "Aduan · Cepat Respon Masyarakat. Reporters' personal data is never shown on this page.",
    'track.label': 'Report number',
    'track.hint':
      'The number is in the reply you received, e.g. ABCDE-FGHJK. Lower case and spaces are fine.',
    'track.submit': 'Track',
    'track.invalid': 'A report number has 10 letters and digits, e.g. ABCDE-FGHJK. Please check it.',
    'track.notFound':
      'No report with number {code} was found. Check the number in the message you received; a new report can take a few seconds to appear.',
    'track.unavailable': 'The service cannot be reached right now. This page will try again by itself.',
    'track.loading': 'Loading…',
    'track.state': 'Status',
    'track.category': 'Category',
    'track.unit': 'Responsible unit',
    'track.area': 'Location',
    'track.received': 'Received',
    'track.channel': 'Channel',
    'track.description': 'Report',
    'track.timeline': 'Follow-up history',
    'track.updated': 'Updates automatically · last checked {time}',
    'track.merged':
      'This report was merged with another report about the same problem. Its handling now: {label} (updated {time}).',
    'track.evidence': 'Evidence',
    'track.unknown': 'Not decided yet',
    'steps.received': 'Received',
    'steps.handling': 'Handling',
    'steps.validation': 'Validation',
    'steps.done': 'Done',
    'area.kelurahan': 'Kel.',
    'area.kecamatan': 'Kec.',
    'track.live': 'Live: this page changes by itself as soon as the report is acted on.',
    'track.changed': 'Update {time}: the report is now {state}.',
    'track.newEntry': 'Update {time}: a new entry in the follow-up history.',
    'track.stateOnly':
      'This report was filed as not public: only its status is shown here. Its details go to the reporter on the channel they used.',
    'track.map': 'Area of the report',
    'map.of': 'Boundary map of {place}',
    'map.textOnly': 'the map could not be loaded',
    'console.title': 'Officer console',
    'console.news': 'Mass media news',
    'console.whatsapp': 'WhatsApp number',
  },
};

export function lang() {
  try {
    return localStorage.getItem(KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

export function setLang(value) {
  try {
    localStorage.setItem(KEY, value);
  } catch {
    // Storage can be disabled; the choice then lasts until the page is closed.
  }
  current = value;
  document.documentElement.lang = value;
}

let current = lang();

export function t(key, vars = {}) {
  const template = STRINGS[current][key] ?? STRINGS.id[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) =>
    vars[name] === undefined ? `{${name}}` : String(vars[name]),
  );
}

/** The official Indonesian label always shows; English readers get a translation beside it. */
export function stateLabel(state, label) {
  return current === 'en' && STATE_EN[state] && STATE_EN[state] !== label
    ? `${label} · ${STATE_EN[state]}`
    : label;
}

/**
 * A channel as the status API labels it; a name it sent no label for (an adapter newer than the
 * service) is made readable rather than hidden: `pigeon_post` → `Pigeon Post`.
 */
export function channelLabel(channel, labels) {
  if (!channel) return '–';
  const known = labels?.[current] ?? labels?.id;
  if (known) return known;
  return channel
    .split(/[_\s-]+/)
    .filter(Boolean)
    .map((w) => w[0].toUpperCase() + w.slice(1))
    .join(' ');
}

/** Fills [data-i18n] texts and [data-i18n-placeholder] placeholders under root. */
export function translatePage(root = document) {
  document.documentElement.lang = current;
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-placeholder]'))
    el.placeholder = t(el.dataset.i18nPlaceholder);
}

/** Jakarta time, as citizens read it. */
export function formatTime(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  const text = new Intl.DateTimeFormat(current === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }).format(d);
  return `${text} WIB`;
}

/** Wires a button that flips the language and calls back so the page can re-render. */
export function languageToggle(button, onChange) {
  const label = () => (button.textContent = t('lang.switch'));
  label();
  button.addEventListener('click', () => {
    setLang(current === 'id' ? 'en' : 'id');
    label();
    translatePage();
    onChange();
  });
}
