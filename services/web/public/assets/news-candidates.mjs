/* global document, fetch, window, URL */
// News items channel-media found in the portals' feeds (a complaint word and a Jakarta place):
// a CRM officer makes one a report or dismisses it with a reason. The officer's session is the
// console's (sessionStorage); the API is channel-media's, through this site's /api/news proxy.
import { $, clear, h } from './dom.mjs';
import { formatTime, lang, languageToggle } from './i18n.mjs';
import { ApiError, clearSession, freshSession, loadSession } from './officer-api.mjs';

const BASE = '/api/news/v1/officer/news/candidates';

const STRINGS = {
  id: {
    title: 'Berita media massa',
    console: 'Konsol Petugas',
    hint: 'Berita dari portal yang menyebut masalah kota dan tempat di Jakarta. Jadikan laporan bila perlu ditangani, atau abaikan dengan alasan.',
    state: 'Status',
    'state.pending': 'Menunggu keputusan',
    'state.promoted': 'Sudah jadi laporan',
    'state.dismissed': 'Diabaikan',
    refresh: 'Muat ulang',
    empty: 'Tidak ada berita di sini.',
    read: 'Baca artikel',
    place: 'Tempat',
    keyword: 'Kata kunci',
    published: 'Terbit',
    promote: 'Jadikan laporan',
    dismiss: 'Abaikan',
    reason: 'Alasan diabaikan',
    confirmDismiss: 'Abaikan berita ini',
    promoted: 'Laporan {code} dibuat dari berita ini.',
    dismissed: 'Berita diabaikan.',
    report: 'Laporan {code}',
    dismissedBecause: 'Diabaikan: {reason}',
    signedOut: 'Masuk di Konsol Petugas terlebih dahulu, lalu buka halaman ini lagi.',
    off: 'Kandidat berita media massa tidak aktif di server ini.',
    unreachable: 'Layanan media massa tidak dapat dihubungi. Coba lagi sebentar lagi.',
    forbidden: 'Hanya petugas CRM dan admin yang dapat memutuskan berita.',
    reasonRequired: 'Tuliskan alasan berita ini diabaikan.',
    'level.kelurahan': 'Kel.',
    'level.kecamatan': 'Kec.',
    'level.kota': '',
  },
  en: {
    title: 'Mass media news',
    console: 'Officer console',
    hint: 'News from portals that names a city problem and a place in Jakarta. Make it a report when it needs handling, or dismiss it with a reason.',
    state: 'State',
    'state.pending': 'Awaiting a decision',
    'state.promoted': 'Made a report',
    'state.dismissed': 'Dismissed',
    refresh: 'Reload',
    empty: 'No news here.',
    read: 'Read the article',
    place: 'Place',
    keyword: 'Keyword',
    published: 'Published',
    promote: 'Make a report',
    dismiss: 'Dismiss',
    reason: 'Reason for dismissing',
    confirmDismiss: 'Dismiss this news item',
    promoted: 'Report {code} was made from this news item.',
    dismissed: 'News item dismissed.',
    report: 'Report {code}',
    dismissedBecause: 'Dismissed: {reason}',
    signedOut: 'Sign in at the officer console first, then open this page again.',
    off: 'Mass-media candidates are not enabled on this server.',
    unreachable: 'The mass-media service cannot be reached. Try again in a moment.',
    forbidden: 'Only CRM officers and admins decide on news items.',
    reasonRequired: 'Write why this news item is dismissed.',
    'level.kelurahan': 'Kel.',
    'level.kecamatan': 'Kec.',
    'level.kota': '',
  },
};

function t(key, vars = {}) {
  const template = STRINGS[lang()][key] ?? STRINGS.id[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

const els = {
  flash: $('#flash'),
  signedOut: $('#signed-out'),
  news: $('#news'),
  list: $('#candidates'),
  state: $('#news-state'),
  who: $('#who'),
};

let candidates = [];

async function call(path, { method = 'GET', json } = {}) {
  const session = await freshSession();
  const headers = { Accept: 'application/json' };
  if (session) headers.Authorization = `Bearer ${session.accessToken}`;
  if (json !== undefined) headers['Content-Type'] = 'application/json';
  let res;
  try {
    res = await fetch(`${BASE}${path}`, {
      method,
      headers,
      body: json === undefined ? undefined : JSON.stringify(json),
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { message: 'network' });
  }
  const body = await res.json().catch(() => null);
  if (res.status === 401) clearSession();
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

function flash(kind, text) {
  clear(els.flash);
  if (text) els.flash.append(h('p', { class: `message ${kind}`, 'data-testid': `flash-${kind}` }, text));
}

function explain(err) {
  if (err?.code === 'NEWS_OFF') return t('off');
  if (err?.status === 401) return t('signedOut');
  if (err?.status === 403) return t('forbidden');
  if (err?.status === 0 || err?.status === 502 || err?.status === 504) return t('unreachable');
  return err?.body?.message ?? String(err);
}

/** Only http(s) addresses become links: the feed is outside input. */
function safeLink(url) {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

function placeText(place) {
  const prefix = t(`level.${place.level}`);
  return prefix ? `${prefix} ${place.nama}` : place.nama;
}

function candidateItem(c) {
  const link = safeLink(c.link);
  const facts = h(
    'dl',
    { class: 'facts' },
    h('div', {}, h('dt', {}, t('place')), h('dd', { 'data-testid': 'candidate-place' }, placeText(c.place))),
    h('div', {}, h('dt', {}, t('keyword')), h('dd', {}, c.keyword)),
    c.publishedAt ? h('div', {}, h('dt', {}, t('published')), h('dd', {}, formatTime(c.publishedAt))) : null,
  );
  const head = h(
    'div',
    {},
    h('h2', { 'data-testid': 'candidate-title' }, c.title),
    h(
      'p',
      { class: 'hint' },
      h('span', { 'data-testid': 'candidate-outlet' }, c.outlet),
      ' · ',
      link ? h('a', { href: link, target: '_blank', rel: 'noopener noreferrer' }, t('read')) : null,
    ),
  );
  const item = h(
    'li',
    { class: 'card', 'data-candidate': c.id },
    head,
    facts,
    h('p', { class: 'description' }, c.summary),
  );
  if (c.state === 'promoted' && c.report)
    item.append(h('p', { class: 'badge' }, t('report', { code: c.report.trackingCode })));
  if (c.state === 'dismissed')
    item.append(h('p', { class: 'hint' }, t('dismissedBecause', { reason: c.dismissReason ?? '' })));
  if (c.state === 'pending') item.append(decisionButtons(c));
  return item;
}

function decisionButtons(c) {
  const reasonId = `reason-${c.id}`;
  const reasonInput = h('input', { id: reasonId, type: 'text', maxlength: '500', autocomplete: 'off' });
  const dismissForm = h(
    'form',
    { hidden: true, class: 'field', onsubmit: (e) => (e.preventDefault(), dismiss(c, reasonInput.value)) },
    h('label', { for: reasonId }, t('reason')),
    reasonInput,
    h('button', { type: 'submit', class: 'danger' }, t('confirmDismiss')),
  );
  return h(
    'div',
    {},
    h(
      'div',
      { class: 'row' },
      h('button', { type: 'button', class: 'ok', onclick: () => promote(c) }, t('promote')),
      h(
        'button',
        {
          type: 'button',
          class: 'secondary',
          onclick: () => {
            dismissForm.hidden = false;
            reasonInput.focus();
          },
        },
        t('dismiss'),
      ),
    ),
    dismissForm,
  );
}

function render() {
  document.title = `${t('title')} · ${t('console')} · Aduan Jakarta`;
  $('#news-title').textContent = t('title');
  $('#console-link').textContent = t('console');
  $('#news-hint').textContent = t('hint');
  $('#news-state-label').textContent = t('state');
  $('#refresh').textContent = t('refresh');
  const chosen = els.state.value || 'pending';
  clear(els.state);
  for (const state of ['pending', 'promoted', 'dismissed'])
    els.state.append(h('option', { value: state, selected: state === chosen }, t(`state.${state}`)));
  const open = openDismissForm();
  clear(els.list);
  if (!candidates.length) els.list.append(h('li', { class: 'empty' }, t('empty')));
  for (const c of candidates) els.list.append(candidateItem(c));
  if (open) reopenDismissForm(open);
}

/** The reason an officer is typing, so a refresh that lands meanwhile does not throw it away. */
function openDismissForm() {
  const form = els.list.querySelector('li[data-candidate] form:not([hidden])');
  if (!form) return null;
  const input = form.querySelector('input');
  return {
    id: form.closest('li[data-candidate]').dataset.candidate,
    reason: input.value,
    focused: document.activeElement === input,
  };
}

function reopenDismissForm({ id, reason, focused }) {
  const item = [...els.list.querySelectorAll('li[data-candidate]')].find((li) => li.dataset.candidate === id);
  const form = item?.querySelector('form');
  if (!form) return;
  form.hidden = false;
  const input = form.querySelector('input');
  input.value = reason;
  if (focused) input.focus();
}

// Loads overlap (the timer, Reload, a decision): only the latest one's answer is shown.
let latestLoad = 0;

async function load() {
  const mine = ++latestLoad;
  try {
    const answer = await call(`?state=${encodeURIComponent(els.state.value || 'pending')}`);
    if (mine !== latestLoad) return;
    candidates = answer.candidates;
    render();
  } catch (err) {
    if (mine !== latestLoad) return;
    candidates = [];
    render();
    if (err.status === 401) return showSignedOut();
    flash('error', explain(err));
  }
}

async function promote(c) {
  try {
    const answer = await call(`/${c.id}/promote`, { method: 'POST' });
    flash('success', t('promoted', { code: answer.trackingCode }));
    await load();
  } catch (err) {
    flash('error', explain(err));
  }
}

async function dismiss(c, reason) {
  if (!reason.trim()) return flash('error', t('reasonRequired'));
  try {
    await call(`/${c.id}/dismiss`, { method: 'POST', json: { reason } });
    flash('success', t('dismissed'));
    await load();
  } catch (err) {
    flash('error', explain(err));
  }
}

function showSignedOut() {
  els.news.hidden = true;
  els.signedOut.hidden = false;
  clear(els.signedOut).append(t('signedOut'), ' ', h('a', { href: '/console/' }, t('console')));
}

languageToggle($('#lang'), () => (loadSession() ? render() : showSignedOut()));
$('#refresh').addEventListener('click', () => void load());
els.state.addEventListener('change', () => void load());

const session = loadSession();
if (!session) showSignedOut();
else {
  els.news.hidden = false;
  els.who.hidden = false;
  els.who.textContent = session.user?.displayName ?? '';
  render();
  void load();
  // A newly found item appears without a reload while the page stays open; render() keeps a
  // reason being typed.
  window.setInterval(() => void load(), 60_000);
}
