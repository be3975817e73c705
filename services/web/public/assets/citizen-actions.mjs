/* global document, setTimeout, fetch, location, sessionStorage, localStorage, crypto, MutationObserver, URLSearchParams */
// The citizen's actions beside the tracking page (ADR 0048): the reporter's answer after Selesai,
// with the key from the link in their completion message, and anyone's support of a public
// report. It reads the code from the address and draws its own card, so the tracking page only
// includes it. Loaded before tracking.mjs, which rewrites the address without the key.
import { clear, h } from './dom.mjs';
import { formatTime, lang } from './i18n.mjs';
import { CITIZEN_STRINGS } from './citizen-actions-i18n.mjs';
import { normalizeCode } from './tracking-code.mjs';

const KEY_STORE = 'aduan.review.';
const CLIENT_STORE = 'aduan.supporter';

function tc(key, vars = {}) {
  const template = CITIZEN_STRINGS[lang()][key] ?? CITIZEN_STRINGS.id[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) =>
    vars[name] === undefined ? `{${name}}` : String(vars[name]),
  );
}

function codeFromAddress() {
  const fromPath = /^\/lacak\/([^/]+)$/.exec(location.pathname)?.[1];
  const raw = fromPath ? decodeURIComponent(fromPath) : new URLSearchParams(location.search).get('kode');
  return raw ? normalizeCode(raw) : null;
}

/** The key stays in this tab only (sessionStorage), for reloads after the address lost it. */
function reviewKey(code) {
  const fromLink = new URLSearchParams(location.search).get('k');
  try {
    if (fromLink) sessionStorage.setItem(KEY_STORE + code, fromLink);
    return fromLink ?? sessionStorage.getItem(KEY_STORE + code);
  } catch {
    return fromLink;
  }
}

/** A random id of this browser: with the address, what makes "one person" for support. */
function clientId() {
  try {
    const known = localStorage.getItem(CLIENT_STORE);
    if (known) return known;
  } catch {
    // Storage disabled: a new id per page; the address still limits repeats.
  }
  const bytes = crypto.getRandomValues(new Uint8Array(18));
  const id = Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  try {
    localStorage.setItem(CLIENT_STORE, id);
  } catch {
    // see above
  }
  return id;
}

const api = (code, path) => `/api/status/v1/public/reports/${encodeURIComponent(code)}/${path}`;

async function postJson(url, body) {
  try {
    return await fetch(url, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body),
    });
  } catch {
    return null;
  }
}

const card = h('section', { class: 'card', id: 'citizen-actions', 'aria-live': 'polite', hidden: true });
let code = null;
let key = null;
let view = null;
let note = null;
// Each read of the server's view takes a number; an answer that arrives after a newer one (a
// refresh started before "Dukung" was pressed) must not put the older count back.
let generation = 0;

function message(kind, text) {
  note = text ? { kind, text } : null;
  render();
}

function render() {
  clear(card);
  if (!view) {
    card.hidden = true;
    return;
  }
  const { review, supporters } = view;
  if (review.canReview && key) {
    card.append(
      h('h2', {}, tc('review.title')),
      h('p', { class: 'hint' }, tc('review.hint', { date: formatTime(review.closesAt) })),
      h(
        'div',
        { class: 'buttons' },
        h(
          'button',
          { type: 'button', class: 'ok', onclick: () => answer('confirmed') },
          tc('review.confirm'),
        ),
        h(
          'button',
          { type: 'button', class: 'danger', onclick: () => answer('not_fixed') },
          tc('review.notFixed'),
        ),
      ),
    );
  } else if (review.closedAt) {
    card.append(h('p', { class: 'hint' }, tc('review.closed', { date: formatTime(review.closedAt) })));
  }
  if (supporters !== null) {
    card.append(
      h('h2', {}, tc('support.title')),
      h(
        'p',
        { 'data-testid': 'supporters' },
        supporters ? tc('support.count', { count: supporters }) : tc('support.none'),
      ),
      h('button', { type: 'button', class: 'secondary', onclick: support }, tc('support.button')),
    );
  }
  if (note) card.append(h('p', { class: `message ${note.kind}`, role: 'status' }, note.text));
  card.hidden = !card.firstChild;
}

async function refresh() {
  const mine = ++generation;
  const now = codeFromAddress();
  if (now !== code) {
    code = now;
    key = code ? reviewKey(code) : null;
    note = null;
  }
  if (!code) {
    view = null;
    return render();
  }
  try {
    const res = await fetch(api(code, `citizen${key ? `?k=${encodeURIComponent(key)}` : ''}`), {
      headers: { Accept: 'application/json' },
      cache: 'no-store',
    });
    const fresh = res.ok ? await res.json() : null;
    if (mine !== generation) return;
    view = fresh;
  } catch {
    // Unreachable for a moment: keep what is shown.
  }
  render();
}

async function answer(verdict) {
  for (const b of card.querySelectorAll('button')) b.disabled = true;
  const res = await postJson(api(code, 'review'), { key, verdict });
  if (res?.ok) {
    const closesAt = view.review.closesAt;
    await refresh();
    message(
      'success',
      verdict === 'confirmed'
        ? tc('review.confirmed', { date: formatTime(closesAt) })
        : tc('review.reopened'),
    );
  } else if (res?.status === 403) message('error', tc('review.forbidden'));
  else if (res?.status === 409) {
    await refresh();
    message('error', tc('review.closedNow'));
  } else message('error', tc('review.failed'));
}

async function support() {
  for (const b of card.querySelectorAll('button')) b.disabled = true;
  const res = await postJson(api(code, 'support'), { clientId: clientId() });
  if (res?.status === 201 || res?.status === 200) {
    const { supporters } = await res.json();
    generation++;
    view.supporters = supporters;
    message('success', res.status === 201 ? tc('support.done') : tc('support.already'));
  } else if (res?.status === 429) {
    const minutes = Math.max(1, Math.ceil(Number(res.headers.get('Retry-After') || 60) / 60));
    message('error', tc('support.limited', { minutes }));
  } else message('error', tc('support.failed'));
}

function mount() {
  const result = document.querySelector('#result');
  if (!result) return;
  result.after(card);
  // The tracking page redraws #result for a new code, a live change and a language switch.
  new MutationObserver(() => void refresh()).observe(result, { childList: true });
  // The language switch of the page: redraw once its handler has changed the language.
  document.querySelector('#lang')?.addEventListener('click', () => setTimeout(render));
  void refresh();
}

// Module scripts run after parsing, in order: this one before tracking.mjs drops the key from
// the address, so the key is read here first.
const first = codeFromAddress();
if (first) reviewKey(first);
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', mount);
else mount();
