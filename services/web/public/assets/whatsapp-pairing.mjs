/* global window, fetch, URL */
// The console's pairing page for the city's WhatsApp Web number: its connection state and, while
// it waits to be paired, the QR code to scan under "Linked devices" on the number's phone. Only
// administrators may see it (channel-whatsapp answers 403 to anyone else), since whoever scans the
// code takes over the number. The state is read again every few seconds: a code changes about
// every 20 seconds, and a lost connection is retried by the adapter on its own.

import { $, clear, h } from './dom.mjs';
import { formatTime, lang, languageToggle, translatePage } from './i18n.mjs';
import { clearSession, freshSession } from './officer-api.mjs';

const BASE = '/api/whatsapp/v1/officer/whatsapp/pairing';
const REFRESH_MS = 3000;

const STRINGS = {
  id: {
    title: 'Nomor WhatsApp',
    back: 'Kembali ke konsol',
    steps:
      'Di ponsel nomor pengaduan: buka WhatsApp → Perangkat tertaut → Tautkan perangkat, lalu pindai kode ini.',
    qrAlt: 'Kode QR untuk menautkan nomor WhatsApp',
    reason: 'Sebab',
    attempt: 'Percobaan ke',
    next: 'Percobaan berikutnya',
    since: 'Sejak',
    'state.starting': 'Menyambungkan ke WhatsApp Web…',
    'state.waiting_for_scan': 'Menunggu pemindaian kode QR di bawah.',
    'state.authenticated': 'Kode dipindai; memuat percakapan…',
    'state.connected': 'Tersambung: pesan warga diterima dan dijawab.',
    'state.connection':
      'Tersambung, tetapi koneksi terputus sementara ({connection}); menunggu koneksi kembali.',
    'state.disconnected': 'Terputus; menyambung ulang otomatis.',
    'state.auth_failure': 'Login gagal; menyambung ulang otomatis. Bila kode QR muncul, pindai ulang.',
    'state.failed': 'WhatsApp Web tidak dapat dijalankan; mencoba lagi otomatis.',
    'state.stopped': 'Layanan WhatsApp sedang berhenti.',
    'state.cloud': 'Nomor ini memakai WhatsApp Business Cloud API: tidak ada yang perlu ditautkan.',
    signIn: 'Masuk dulu di konsol sebagai admin.',
    forbidden: 'Hanya admin yang boleh menautkan nomor WhatsApp.',
    off: 'Halaman ini tidak aktif: {message}',
    unreachable: 'Layanan WhatsApp tidak dapat dihubungi; mencoba lagi…',
  },
  en: {
    title: 'WhatsApp number',
    back: 'Back to the console',
    steps:
      "On the complaint number's phone: open WhatsApp → Linked devices → Link a device, and scan this code.",
    qrAlt: 'QR code to link the WhatsApp number',
    reason: 'Reason',
    attempt: 'Attempt',
    next: 'Next attempt',
    since: 'Since',
    'state.starting': 'Connecting to WhatsApp Web…',
    'state.waiting_for_scan': 'Waiting for the QR code below to be scanned.',
    'state.authenticated': 'Code scanned; loading the chats…',
    'state.connected': "Connected: citizens' messages are taken in and answered.",
    'state.connection':
      'Connected, but the connection dropped for now ({connection}); waiting for it to come back.',
    'state.disconnected': 'Disconnected; reconnecting by itself.',
    'state.auth_failure': 'Login failed; reconnecting by itself. If a QR code appears, scan it again.',
    'state.failed': 'WhatsApp Web could not be started; trying again by itself.',
    'state.stopped': 'The WhatsApp service is stopping.',
    'state.cloud': 'This number uses the WhatsApp Business Cloud API: there is nothing to link.',
    signIn: 'Sign in on the console as an administrator first.',
    forbidden: 'Only administrators may link the WhatsApp number.',
    off: 'This page is off: {message}',
    unreachable: 'The WhatsApp service cannot be reached; trying again…',
  },
};

const say = (key, vars = {}) =>
  (STRINGS[lang()][key] ?? STRINGS.id[key] ?? key).replace(/\{(\w+)\}/g, (_, k) => String(vars[k] ?? ''));

const els = {
  title: $('#pairing-title'),
  state: $('#pairing-state'),
  facts: $('#pairing-facts'),
  qrBox: $('#pairing-qr-box'),
  qr: $('#pairing-qr'),
  steps: $('#pairing-steps'),
  back: $('#pairing-back'),
};

let last = null;
let problem = null;
let qrUrl = null;

async function get(path) {
  const session = await freshSession();
  if (!session) return { status: 401 };
  const res = await fetch(`${BASE}${path}`, {
    headers: { Authorization: `Bearer ${session.accessToken}` },
    cache: 'no-store',
  });
  if (res.status === 401) clearSession();
  return res;
}

function showQr(blob) {
  if (qrUrl) URL.revokeObjectURL(qrUrl);
  qrUrl = blob ? URL.createObjectURL(blob) : null;
  if (qrUrl) els.qr.src = qrUrl;
  else els.qr.removeAttribute('src');
  els.qrBox.hidden = !qrUrl;
}

function render() {
  els.title.textContent = say('title');
  els.back.textContent = say('back');
  els.steps.textContent = say('steps');
  els.qr.alt = say('qrAlt');
  clear(els.facts);
  if (problem) {
    els.state.className = 'message error';
    els.state.textContent = problem;
    return;
  }
  if (!last) return;
  const key = last.state === 'connected' && last.connection ? 'state.connection' : `state.${last.state}`;
  els.state.className = `message ${last.state === 'connected' && !last.connection ? 'success' : last.state === 'waiting_for_scan' ? 'info' : 'error'}`;
  els.state.dataset.state = last.state;
  els.state.textContent = say(key, last);
  const facts = [
    ['since', last.since && formatTime(last.since)],
    ['reason', last.reason],
    ['attempt', last.attempt],
    ['next', last.nextAttemptAt && formatTime(last.nextAttemptAt)],
  ];
  for (const [label, value] of facts)
    if (value)
      els.facts.append(h('dt', {}, say(label)), h('dd', { 'data-testid': `pairing-${label}` }, value));
}

async function refresh() {
  try {
    const res = await get('');
    if (res.status === 200) {
      last = await res.json();
      problem = null;
      const image = last.qr ? await get('/qr.svg') : null;
      showQr(image?.status === 200 ? await image.blob() : null);
    } else {
      last = null;
      showQr(null);
      const body = res.json ? await res.json().catch(() => ({})) : {};
      problem =
        res.status === 401
          ? say('signIn')
          : res.status === 403
            ? say('forbidden')
            : res.status === 503
              ? say('off', { message: body.message ?? '' })
              : say('unreachable');
    }
  } catch {
    problem = say('unreachable');
  }
  render();
}

translatePage();
languageToggle($('#lang'), render);
render();
await refresh();
window.setInterval(refresh, REFRESH_MS);
