// Bahasa Indonesia first, English on request; the choice is shared with the other pages through
// localStorage (a language is not personal data). State labels and channel names are never
// written here: they come from libs/contracts and from the API (ADR 0060).
import {
  channelLabel as contractChannelLabel,
  STATE_LABELS,
  type LifecycleState,
} from '@aduan/contracts/vocabulary';

export type Lang = 'id' | 'en';
const STORAGE_KEY = 'aduan.lang';

const id = {
  'console.title': 'Konsol Petugas',
  'console.news': 'Berita media massa',
  'console.whatsapp': 'Nomor WhatsApp',
  'signin.title': 'Masuk petugas',
  'signin.username': 'Nama pengguna',
  'signin.password': 'Kata sandi',
  'signin.submit': 'Masuk',
  'signin.failed': 'Nama pengguna atau kata sandi salah.',
  'signin.chooseNew':
    'Kata sandi ini sekali pakai dari admin. Pilih kata sandi Anda sendiri (minimal 10 huruf) lalu masuk.',
  'signin.newPassword': 'Kata sandi baru Anda',
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
  'queue.search': 'Cari di antrean: nomor atau kata',
  'queue.searchScope':
    'Dicari di {n} laporan yang dimuat (200 huruf pertama isinya); pencarian di seluruh laporan belum tersedia.',
  'queue.noMatch': 'Tidak ada laporan yang dimuat yang cocok dengan "{q}".',
  'search.title': 'Hasil pencarian',
  'queue.live': 'Langsung',
  'queue.notLive': 'Diperbarui tiap menit',
  'search.q': 'Cari semua laporan: nomor atau kata',
  'search.submit': 'Cari',
  'search.clear': 'Hapus filter',
  'search.category': 'Kategori',
  'search.anyCategory': 'Semua kategori',
  'search.channel': 'Kanal',
  'search.anyChannel': 'Semua kanal',
  'search.from': 'Diterima sejak',
  'search.to': 'Diterima sampai',
  'search.overdue': 'Tenggat',
  'search.overdue.any': 'Semua',
  'search.overdue.yes': 'Terlambat',
  'search.overdue.no': 'Belum terlambat',
  'search.shown': '{n} laporan ditemukan, terbaru dahulu',
  'search.shownMore': '{n} laporan pertama, terbaru dahulu',
  'search.none': 'Tidak ada laporan yang cocok dengan pencarian ini.',
  'search.more': 'Muat lebih banyak',
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
  'action.recategorise': 'Ubah kategori',
  'field.category': 'Kategori baru',
  'field.chooseCategory': '— pilih kategori —',
  'done.recategorised': 'Kategori diubah menjadi {category}.',
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
  'delivery.failed': 'Pesan ke pelapor gagal terkirim ({kind}): {reason}. Hubungi pelapor lewat kanal lain.',
  'delivery.kind.acknowledgement': 'tanda terima',
  'delivery.kind.reply': 'balasan',
  'delivery.kind.notification': 'pemberitahuan',
  'role.admin': 'Admin',
  'role.crm_officer': 'Petugas CRM',
  'role.unit_officer': 'Petugas unit',
  'role.validator': 'Validator',
  'lang.switch': 'English',
  'map.of': 'Peta batas wilayah {place}',
  'map.textOnly': 'peta tidak dapat dimuat',
  'area.kelurahan': 'Kel.',
  'area.kecamatan': 'Kec.',
  'track.category': 'Kategori',
  'track.unit': 'Unit penanggung jawab',
  'track.area': 'Lokasi',
  'track.received': 'Diterima',
  'track.channel': 'Kanal',
  'track.evidence': 'Bukti',
  'signout.everywhere': 'Akhiri semua sesi',
  'session.renewFailed': 'Sesi tidak dapat diperpanjang. Silakan masuk lagi.',
  'error.passwordExpired': 'Kata sandi sekali pakai ini sudah kedaluwarsa; minta admin mengatur ulang lagi.',
  'error.accountDisabled': 'Akun ini dinonaktifkan. Hubungi admin.',
  'error.notApproved': 'Permintaan itu belum disetujui petugas lain, atau sudah kedaluwarsa.',
  'field.requestToApprove': 'Nomor permintaan dari petugas lain',
  'queue.open': 'Buka {code}',
  'detail.followUps': 'Tambahan dari pelapor',
  'state.all': 'Semua status',
};

const en: Record<Key, string> = {
  'console.title': 'Officer console',
  'console.news': 'Mass media news',
  'console.whatsapp': 'WhatsApp number',
  'signin.title': 'Officer sign-in',
  'signin.username': 'Username',
  'signin.password': 'Password',
  'signin.submit': 'Sign in',
  'signin.failed': 'Wrong username or password.',
  'signin.chooseNew':
    'This is a one-time password from an admin. Choose your own password (at least 10 characters), then sign in.',
  'signin.newPassword': 'Your new password',
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
  'queue.search': 'Search the queue: number or word',
  'queue.searchScope':
    'Searched in the {n} reports loaded (the first 200 characters of their text); searching every report is not available yet.',
  'queue.noMatch': 'No loaded report matches "{q}".',
  'search.title': 'Search results',
  'queue.live': 'Live',
  'queue.notLive': 'Refreshed every minute',
  'search.q': 'Search all reports: number or word',
  'search.submit': 'Search',
  'search.clear': 'Clear filters',
  'search.category': 'Category',
  'search.anyCategory': 'All categories',
  'search.channel': 'Channel',
  'search.anyChannel': 'All channels',
  'search.from': 'Received from',
  'search.to': 'Received until',
  'search.overdue': 'Deadline',
  'search.overdue.any': 'Any',
  'search.overdue.yes': 'Overdue',
  'search.overdue.no': 'Not overdue',
  'search.shown': '{n} reports found, newest first',
  'search.shownMore': 'First {n} reports, newest first',
  'search.none': 'No report matches this search.',
  'search.more': 'Load more',
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
  'action.recategorise': 'Change category',
  'field.category': 'New category',
  'field.chooseCategory': '— choose a category —',
  'done.recategorised': 'Category changed to {category}.',
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
  'error.capacity': 'You already hold the maximum number of reports. Finish or hand over another one first.',
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
  'lang.switch': 'Bahasa Indonesia',
  'map.of': 'Boundary map of {place}',
  'map.textOnly': 'the map could not be loaded',
  'area.kelurahan': 'Kel.',
  'area.kecamatan': 'Kec.',
  'track.category': 'Category',
  'track.unit': 'Responsible unit',
  'track.area': 'Location',
  'track.received': 'Received',
  'track.channel': 'Channel',
  'track.evidence': 'Evidence',
  'signout.everywhere': 'End all sessions',
  'session.renewFailed': 'The session could not be renewed. Please sign in again.',
  'error.passwordExpired': 'This one-time password has expired; ask an admin to reset it again.',
  'error.accountDisabled': 'This account is disabled. Ask an admin.',
  'error.notApproved': 'That request has not been approved by another officer, or it has expired.',
  'field.requestToApprove': 'Request number from another officer',
  'queue.open': 'Open {code}',
  'detail.followUps': 'Added by the reporter',
  'state.all': 'All states',
};

export type Key = keyof typeof id;
const STRINGS: Record<Lang, Record<Key, string>> = { id, en };

export function storedLang(): Lang {
  try {
    return localStorage.getItem(STORAGE_KEY) === 'en' ? 'en' : 'id';
  } catch {
    return 'id';
  }
}

let current: Lang = storedLang();

export function lang(): Lang {
  return current;
}

export function setLang(value: Lang): void {
  try {
    localStorage.setItem(STORAGE_KEY, value);
  } catch {
    // Storage can be disabled; the choice then lasts until the page is closed.
  }
  current = value;
  document.documentElement.lang = value;
}

/**
 * The lookup of one string table: the text in the current language, else in Indonesian, with
 * each `{name}` filled from `vars` (a name not given stays as written). Every part of the
 * console with its own table makes its lookup here.
 */
export function translator<K extends string>(strings: Record<Lang, Record<K, string>>) {
  return (key: K, vars: Record<string, string | number> = {}): string =>
    (strings[current][key] ?? strings.id[key] ?? key).replace(/\{(\w+)\}/g, (_, name: string) =>
      vars[name] === undefined ? `{${name}}` : String(vars[name]),
    );
}

export const t = translator<Key>(STRINGS);

/** The official Indonesian label, as the API and libs/contracts give it, in either language. */
export function stateLabel(state: LifecycleState, label?: string | null): string {
  return label ?? STATE_LABELS[state];
}

/** A channel as the API labels it; for one it sent no label for, the contracts' readable name. */
export function channelLabel(channel: string | null, labels?: { id: string; en: string } | null): string {
  if (!channel) return '–';
  return labels?.[current] ?? contractChannelLabel(channel, current);
}

/** Jakarta time, as officers read it. */
export function formatTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const text = new Intl.DateTimeFormat(current === 'id' ? 'id-ID' : 'en-GB', {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }).format(new Date(iso));
  return `${text} WIB`;
}

export function formatDuration(ms: number): string {
  const minutes = Math.max(1, Math.round(Math.abs(ms) / 60000));
  const inId = current === 'id';
  if (minutes < 60) return inId ? `${minutes} menit` : `${minutes} min`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return inId ? `${hours} jam` : `${hours} h`;
  const days = Math.round(hours / 24);
  return inId ? `${days} hari` : `${days} days`;
}
