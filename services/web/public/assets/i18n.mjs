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
    // Console
    'console.title': 'Konsol Petugas',
    'console.news': 'Berita media massa',
    'console.whatsapp': 'Nomor WhatsApp',
    'signin.title': 'Masuk petugas',
    'signin.username': 'Nama pengguna',
    'signin.password': 'Kata sandi',
    'signin.submit': 'Masuk',
    'signin.failed': 'Nama pengguna atau kata sandi salah.',
    signout: 'Keluar',
    'queue.title': 'Antrean',
    'queue.state': 'Status',
    'queue.unit': 'Unit',
    'queue.allOpen': 'Semua yang terbuka',
    'queue.allUnits': 'Semua unit',
    'queue.empty': 'Tidak ada laporan di antrean ini.',
    'queue.refresh': 'Muat ulang',
    'queue.mine': 'Hanya milik saya',
    'queue.total': '{n} laporan',
    'due.overdue': 'Terlambat {d}',
    'due.in': 'Batas {d} lagi',
    'due.stage.coordination': 'koordinasi',
    'due.stage.resolution': 'penyelesaian',
    'flags.count': '{n} tanda bukti',
    'detail.pick': 'Pilih laporan dari antrean untuk melihat rinciannya.',
    'detail.back': '← Kembali ke antrean',
    'detail.text': 'Isi laporan',
    'detail.reporter': 'Pelapor',
    'detail.assignee': 'Ditangani oleh',
    'detail.nobody': 'Belum ada',
    'detail.version': 'Versi',
    'detail.map': 'Posisi',
    'detail.noLocation': 'Pelapor tidak menyertakan titik lokasi.',
    'detail.outside': 'Titik berada di luar batas kelurahan.',
    'detail.photos': 'Foto dari pelapor',
    'detail.noPhotos': 'Tidak ada foto dari pelapor.',
    'detail.evidence': 'Bukti tindak lanjut',
    'detail.noEvidence': 'Belum ada bukti diunggah.',
    'detail.timeline': 'Riwayat',
    'detail.notes': 'Catatan internal',
    'detail.noNotes': 'Belum ada catatan.',
    'detail.actions': 'Tindakan',
    'detail.noActions': 'Tidak ada tindakan yang dapat Anda lakukan pada laporan ini.',
    'detail.routing': 'Saran router',
    'detail.sla': 'Tenggat',
    'detail.followers': 'Pengikut',
    'detail.open': 'Buka',
    'action.route': 'Teruskan ke unit',
    'action.coordinate': 'Koordinasikan ke unit lain',
    'action.dispose': 'Disposisi ke Suku Dinas',
    'action.start': 'Mulai kerjakan',
    'action.evidence': 'Unggah foto bukti',
    'action.followUp': 'Kirim tindak lanjut',
    'action.validate': 'Validasi tindak lanjut',
    'action.accept': 'Terima — Selesai',
    'action.refuse': 'Tolak tindak lanjut',
    'action.reject': 'Tolak laporan',
    'action.merge': 'Gabungkan ke laporan induk',
    'action.reopen': 'Buka kembali',
    'action.claim': 'Ambil laporan ini',
    'action.assign': 'Serahkan ke petugas',
    'field.officer': 'Petugas',
    'notifications.title': 'Pemberitahuan eskalasi',
    'action.note': 'Tambah catatan',
    'action.contact': 'Lihat kontak pelapor',
    'field.unit': 'Unit tujuan',
    'field.chooseUnit': '— pilih unit —',
    'field.note': 'Catatan',
    'field.publicNote': 'Catatan untuk publik',
    'field.internalReason': 'Alasan (internal)',
    'field.reason': 'Alasan',
    'field.publicReason': 'Alasan (ditampilkan ke publik)',
    'field.master': 'Nomor atau ID laporan induk',
    'field.photo': 'Foto (JPEG, PNG, WebP, HEIC)',
    'field.useEvidence': 'Lampirkan',
    'field.contactReason': 'Mengapa kontak diperlukan',
    'field.contactRequest': 'Nomor permintaan yang sudah disetujui (kosongkan untuk meminta)',
    'action.approveContact': 'Setujui permintaan kontak',
    'done.contactRequested':
      'Permintaan {id} dibuat. Petugas lain harus menyetujuinya; setelah itu isi nomor permintaan untuk melihat kontak.',
    'done.contactApproved': 'Permintaan disetujui. Petugas yang meminta kini dapat melihat kontak sekali.',
    'done.generic': 'Tersimpan. Status sekarang: {label}.',
    'done.uploaded': 'Foto diunggah.',
    'done.note': 'Catatan disimpan.',
    'error.generic': 'Terjadi kesalahan ({status}). Coba lagi.',
    'error.unauthenticated': 'Sesi Anda berakhir. Silakan masuk lagi.',
    'error.forbidden':
      'Anda tidak berwenang melakukan ini: laporan milik unit lain, atau peran Anda tidak mengizinkan tindakan ini.',
    'error.stale':
      'Laporan ini baru saja diubah oleh petugas lain. Tampilan sudah dimuat ulang; periksa lalu ulangi tindakan Anda.',
    'error.illegal': 'Tindakan ini tidak dapat dilakukan saat laporan berstatus {label}.',
    'error.illegalAllowed': 'Yang masih dapat dilakukan: {actions}.',
    'error.capacity':
      'Anda sudah memegang jumlah laporan maksimum. Selesaikan atau serahkan laporan lain dulu.',
    'error.notImage': 'Berkas itu bukan foto. Unggah JPEG, PNG, WebP atau HEIC.',
    'error.tooLarge': 'Foto terlalu besar. Perkecil ukurannya lalu unggah lagi.',
    'error.fileRequired': 'Pilih foto terlebih dahulu.',
    'error.evidenceRequired':
      'Tindak lanjut memerlukan minimal satu foto bukti. Unggah foto lalu centang "Lampirkan".',
    'error.unknownUnit': 'Unit tujuan tidak dikenal.',
    'error.notFound': 'Laporan tidak ditemukan.',
    'error.validation': 'Isian belum lengkap atau tidak sah: {problems}',
    'error.unreachable': 'Layanan status tidak dapat dihubungi. Coba lagi sebentar lagi.',
    'error.versionRequired': 'Muat ulang laporan lalu ulangi tindakan.',
    'flag.REUSED_PHOTO': 'Foto dipakai ulang',
    'flag.FAR_FROM_REPORT': 'Lokasi foto jauh dari laporan',
    'flag.TAKEN_BEFORE_REPORT': 'Foto diambil sebelum laporan masuk',
    'flags.warning': 'Perhatian validator: ada bukti yang ditandai. Periksa sebelum menerima.',
    'delivery.failed':
      'Pesan ke pelapor gagal terkirim ({kind}): {reason}. Hubungi pelapor lewat kanal lain.',
    'delivery.kind.acknowledgement': 'tanda terima',
    'delivery.kind.reply': 'balasan',
    'delivery.kind.notification': 'pemberitahuan',
    'role.admin': 'Admin',
    'role.crm_officer': 'Petugas CRM',
    'role.unit_officer': 'Petugas unit',
    'role.validator': 'Validator',
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
    'signin.title': 'Officer sign-in',
    'signin.username': 'Username',
    'signin.password': 'Password',
    'signin.submit': 'Sign in',
    'signin.failed': 'Wrong username or password.',
    signout: 'Sign out',
    'queue.title': 'Queue',
    'queue.state': 'Status',
    'queue.unit': 'Unit',
    'queue.allOpen': 'All open',
    'queue.allUnits': 'All units',
    'queue.empty': 'No reports in this queue.',
    'queue.refresh': 'Reload',
    'queue.mine': 'Only mine',
    'queue.total': '{n} reports',
    'due.overdue': 'Overdue {d}',
    'due.in': 'Due in {d}',
    'due.stage.coordination': 'coordination',
    'due.stage.resolution': 'resolution',
    'flags.count': '{n} evidence flags',
    'detail.pick': 'Pick a report from the queue to see its details.',
    'detail.back': '← Back to the queue',
    'detail.text': 'Report text',
    'detail.reporter': 'Reporter',
    'detail.assignee': 'Handled by',
    'detail.nobody': 'Nobody yet',
    'detail.version': 'Version',
    'detail.map': 'Position',
    'detail.noLocation': 'The reporter gave no position.',
    'detail.outside': 'The point lies outside the kelurahan boundary.',
    'detail.photos': "Reporter's photos",
    'detail.noPhotos': 'No photos from the reporter.',
    'detail.evidence': 'Follow-up evidence',
    'detail.noEvidence': 'No evidence uploaded yet.',
    'detail.timeline': 'History',
    'detail.notes': 'Internal notes',
    'detail.noNotes': 'No notes yet.',
    'detail.actions': 'Actions',
    'detail.noActions': 'There is nothing you can do on this report.',
    'detail.routing': 'Router suggestions',
    'detail.sla': 'Deadlines',
    'detail.followers': 'Followers',
    'detail.open': 'Open',
    'action.route': 'Route to a unit',
    'action.coordinate': 'Coordinate to another unit',
    'action.dispose': 'Dispose to a Suku Dinas',
    'action.start': 'Start work',
    'action.evidence': 'Upload evidence photo',
    'action.followUp': 'Submit follow-up',
    'action.validate': 'Validate the follow-up',
    'action.accept': 'Accept — Completed',
    'action.refuse': 'Refuse the follow-up',
    'action.reject': 'Reject the report',
    'action.merge': 'Merge into a master report',
    'action.reopen': 'Reopen',
    'action.claim': 'Claim this report',
    'action.assign': 'Assign to an officer',
    'field.officer': 'Officer',
    'notifications.title': 'Escalation notices',
    'action.note': 'Add a note',
    'action.contact': 'Show reporter contact',
    'field.unit': 'Target unit',
    'field.chooseUnit': '— choose a unit —',
    'field.note': 'Note',
    'field.publicNote': 'Public note',
    'field.internalReason': 'Reason (internal)',
    'field.reason': 'Reason',
    'field.publicReason': 'Reason (shown to the public)',
    'field.master': 'Number or id of the master report',
    'field.photo': 'Photo (JPEG, PNG, WebP, HEIC)',
    'field.useEvidence': 'Attach',
    'field.contactReason': 'Why the contact is needed',
    'field.contactRequest': 'Approved request number (leave empty to ask)',
    'action.approveContact': 'Approve a contact request',
    'done.contactRequested':
      'Request {id} created. Another officer must approve it; then enter the request number to see the contact.',
    'done.contactApproved': 'Request approved. The officer who asked can now see the contact once.',
    'done.generic': 'Saved. The status is now: {label}.',
    'done.uploaded': 'Photo uploaded.',
    'done.note': 'Note saved.',
    'error.generic': 'Something went wrong ({status}). Please try again.',
    'error.unauthenticated': 'Your session has ended. Please sign in again.',
    'error.forbidden':
      'You may not do this: the report belongs to another unit, or your role does not allow this action.',
    'error.stale':
      'Another officer changed this report a moment ago. It has been reloaded; check it and repeat your action.',
    'error.illegal': 'This action is not possible while the report is {label}.',
    'error.illegalAllowed': 'What can still be done: {actions}.',
    'error.capacity':
      'You already hold the maximum number of reports. Finish or hand over another one first.',
    'error.notImage': 'That file is not a photo. Upload a JPEG, PNG, WebP or HEIC.',
    'error.tooLarge': 'The photo is too large. Make it smaller and upload it again.',
    'error.fileRequired': 'Choose a photo first.',
    'error.evidenceRequired': 'A follow-up needs at least one evidence photo. Upload one and tick "Attach".',
    'error.unknownUnit': 'Unknown target unit.',
    'error.notFound': 'Report not found.',
    'error.validation': 'Some fields are missing or invalid: {problems}',
    'error.unreachable': 'The status service cannot be reached. Please try again shortly.',
    'error.versionRequired': 'Reload the report and repeat the action.',
    'flag.REUSED_PHOTO': 'Reused photo',
    'flag.FAR_FROM_REPORT': 'Photo taken far from the report',
    'flag.TAKEN_BEFORE_REPORT': 'Photo taken before the report',
    'flags.warning': 'Validator, take care: some evidence is flagged. Check it before accepting.',
    'delivery.failed':
      'A message to the reporter was not delivered ({kind}): {reason}. Reach them another way.',
    'delivery.kind.acknowledgement': 'acknowledgement',
    'delivery.kind.reply': 'reply',
    'delivery.kind.notification': 'notification',
    'role.admin': 'Admin',
    'role.crm_officer': 'CRM officer',
    'role.unit_officer': 'Unit officer',
    'role.validator': 'Validator',
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

export function formatDuration(ms) {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60000));
  const id = current === 'id';
  if (minutes < 60) return id ? `${minutes} menit` : `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return id ? `${hours} jam` : `${hours} h`;
  const days = Math.round(hours / 24);
  return id ? `${days} hari` : `${days} days`;
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
