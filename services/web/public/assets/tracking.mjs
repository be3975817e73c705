/* global document, history, fetch, location, setTimeout, clearTimeout, URL, URLSearchParams */
import { $, clear, h } from './dom.mjs';
import { formatTime, languageToggle, stateLabel, t, translatePage } from './i18n.mjs';
import { normalizeCode } from './tracking-code.mjs';

const form = $('#track-form');
const input = $('#code');
const message = $('#message');
const result = $('#result');
const refreshSeconds = Number(document.querySelector('meta[name="aduan:refresh-seconds"]')?.content) || 30;

let code = null;
let report = null;
let lastChecked = null;
let timer = null;

const STEP_OF = {
  RECEIVED: 0,
  TRIAGE: 0,
  COORDINATION: 1,
  DISPOSITION: 1,
  IN_PROGRESS: 1,
  FOLLOW_UP_REJECTED: 1,
  AWAITING_VALIDATION: 2,
  COMPLETED: 3,
};

function say(kind, text) {
  clear(message);
  if (text) message.append(h('p', { class: `message ${kind}` }, text));
}

/** Evidence served by the status service is fetched through this site; anything else is a plain link. */
function evidenceHref(url) {
  if (url.startsWith('/v1/public/')) return `/api/status${url}`;
  try {
    const parsed = new URL(url);
    if (parsed.pathname.startsWith('/v1/public/')) return `/api/status${parsed.pathname}`;
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function area(a) {
  if (!a) return t('track.unknown');
  return `${t('area.kelurahan')} ${a.kelurahan.nama}, ${t('area.kecamatan')} ${a.kecamatan.nama}, ${a.kota.nama}`;
}

function steps(state) {
  const at = STEP_OF[state];
  if (at === undefined) return null;
  const names = ['steps.received', 'steps.handling', 'steps.validation', 'steps.done'];
  return h(
    'ol',
    { class: 'steps', 'aria-hidden': 'true' },
    names.map((name, i) =>
      h(
        'li',
        { class: i < at || (state === 'COMPLETED' && i === at) ? 'done' : i === at ? 'current' : '' },
        t(name),
      ),
    ),
  );
}

function timelineEntry(entry) {
  const links = entry.evidence
    .map((e, i) => ({ e, href: evidenceHref(e.url), i }))
    .filter(({ href }) => href)
    .map(({ e, href, i }) =>
      h(
        'a',
        { href, target: '_blank', rel: 'noopener noreferrer' },
        href.startsWith('/api/') && e.contentType.startsWith('image/')
          ? h('img', { class: 'thumb', src: href, alt: `${t('track.evidence')} ${i + 1}`, loading: 'lazy' })
          : `${t('track.evidence')} ${i + 1}`,
      ),
    );
  return h(
    'li',
    {},
    h('span', { class: `badge state-${entry.state}` }, stateLabel(entry.state, entry.label)),
    ' ',
    h('span', { class: 'when' }, formatTime(entry.at)),
    entry.unit ? h('div', { class: 'who' }, entry.unit.name) : null,
    entry.note ? h('p', { class: 'note' }, entry.note) : null,
    links.length ? h('div', { class: 'evidence-links' }, links) : null,
  );
}

function render() {
  clear(result);
  if (!report) {
    result.hidden = true;
    return;
  }
  const r = report;
  const facts = [
    ['track.category', r.category ?? t('track.unknown')],
    ['track.unit', r.unit?.name ?? t('track.unknown')],
    ['track.area', area(r.area)],
    ['track.received', r.receivedAt ? formatTime(r.receivedAt) : '–'],
  ];
  result.append(
    h(
      'article',
      { class: 'card', 'data-testid': 'report' },
      h(
        'div',
        { class: 'report-head' },
        h(
          'div',
          {},
          h('div', { class: 'hint' }, t('track.label')),
          h('div', { class: 'code' }, r.trackingCode),
        ),
        h(
          'span',
          { class: `badge lg state-${r.state}`, 'data-testid': 'state' },
          stateLabel(r.state, r.label),
        ),
      ),
      steps(r.state),
      r.mergedInto
        ? h(
            'p',
            { class: 'message info' },
            t('track.merged', { code: r.mergedInto }),
            ' ',
            h('a', { href: `/lacak/${r.mergedInto}` }, r.mergedInto),
          )
        : null,
      h(
        'dl',
        { class: 'facts' },
        facts.map(([key, value]) =>
          h('div', {}, h('dt', {}, t(key)), h('dd', { 'data-testid': key }, value)),
        ),
      ),
      r.description
        ? h(
            'div',
            {},
            h('h3', { class: 'sr-only' }, t('track.description')),
            h('p', { class: 'description' }, r.description),
          )
        : null,
      h('p', { class: 'updated' }, t('track.updated', { time: formatTime(lastChecked) })),
    ),
    h(
      'section',
      { class: 'card' },
      h('h2', {}, t('track.timeline')),
      h('ol', { class: 'timeline', 'data-testid': 'timeline' }, [...r.timeline].reverse().map(timelineEntry)),
    ),
  );
  result.hidden = false;
}

async function load({ quiet }) {
  if (!code) return;
  if (!quiet) say('info', t('track.loading'));
  let res;
  try {
    res = await fetch(`/api/status/v1/public/reports/${encodeURIComponent(code)}`, {
      headers: { Accept: 'application/json' },
      cache: 'no-store',
    });
  } catch {
    res = null;
  }
  lastChecked = new Date().toISOString();
  if (res && res.ok) {
    report = await res.json();
    say('', '');
  } else if (res && res.status === 404) {
    report = null;
    say('error', t('track.notFound', { code }));
  } else if (!quiet || !report) {
    // A failed background refresh keeps what the citizen already sees.
    say('error', t('track.unavailable'));
  }
  render();
  schedule();
}

function schedule() {
  clearTimeout(timer);
  if (code)
    timer = setTimeout(
      () => void (document.hidden ? schedule() : load({ quiet: true })),
      refreshSeconds * 1000,
    );
}

function track(raw) {
  const normalized = normalizeCode(raw);
  if (!normalized) {
    code = null;
    report = null;
    render();
    say('error', t('track.invalid'));
    return;
  }
  code = normalized;
  input.value = normalized;
  history.replaceState(null, '', `/lacak/${normalized}`);
  void load({ quiet: false });
}

form.addEventListener('submit', (event) => {
  event.preventDefault();
  track(input.value);
});
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && code) void load({ quiet: true });
});
translatePage();
languageToggle($('#lang'), () => {
  render();
  if (message.firstChild && code && !report) say('error', t('track.notFound', { code }));
});

const fromPath = /^\/lacak\/([^/]+)$/.exec(location.pathname)?.[1];
const initial = fromPath ? decodeURIComponent(fromPath) : new URLSearchParams(location.search).get('kode');
if (initial) {
  input.value = initial;
  track(initial);
}
