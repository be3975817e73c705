/* global document, history, fetch, location, setTimeout, clearTimeout, URL, URLSearchParams, EventSource */
import { $, clear, h } from './dom.mjs';
import { formatTime, languageToggle, stateLabel, t, translatePage } from './i18n.mjs';
import { kelurahanMap, placeInWords } from './map.mjs';
import { normalizeCode } from './tracking-code.mjs';

const form = $('#track-form');
const input = $('#code');
const message = $('#message');
const result = $('#result');
const announcer = $('#announce');
const refreshSeconds = Number(document.querySelector('meta[name="aduan:refresh-seconds"]')?.content) || 30;

let code = null;
let report = null;
let lastChecked = null;
let timer = null;
/** The live stream (ADR 0047) while it is open; polling takes over while it is not. */
let stream = null;
let streamAgainAt = 0;
// After the stream is refused or lost for good, how long polling alone serves before it is tried again.
const STREAM_PAUSE_MS = 60_000;

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
  return a ? placeInWords(a) : t('track.unknown');
}

/** What changed, said once, politely: the new state, or else a new entry in the history. */
function announce(before, after) {
  if (!before || !after || before.trackingCode !== after.trackingCode) return;
  const time = formatTime(after.updatedAt);
  let text = null;
  if (before.state !== after.state)
    text = t('track.changed', { time, state: stateLabel(after.state, after.label) });
  else if (after.timeline.length > before.timeline.length) text = t('track.newEntry', { time });
  if (!text) return;
  clear(announcer);
  announcer.append(h('p', { class: 'message success' }, text));
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
  // A live update redraws the report; a keyboard user on one of its links stays on it.
  const focused = result.contains(document.activeElement)
    ? document.activeElement.getAttribute('href')
    : null;
  clear(result);
  if (!report) {
    result.hidden = true;
    return;
  }
  const r = report;
  const facts = r.stateOnly
    ? []
    : [
        ['track.category', r.category ?? t('track.unknown')],
        ['track.unit', r.unit?.name ?? t('track.unknown')],
        ['track.area', area(r.area)],
        ['track.received', r.receivedAt ? formatTime(r.receivedAt) : '–'],
      ];
  const mapSlot = r.area ? h('div', { class: 'map-slot' }) : null;
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
      // The incident's state, told under this report's own code: never the other report's code.
      r.incident
        ? h(
            'p',
            { class: 'message info', 'data-testid': 'incident' },
            t('track.merged', {
              label: stateLabel(r.incident.state, r.incident.label),
              time: formatTime(r.incident.updatedAt),
            }),
          )
        : null,
      r.stateOnly
        ? h('p', { class: 'message info', 'data-testid': 'state-only' }, t('track.stateOnly'))
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
      h(
        'p',
        { class: 'updated', 'data-testid': 'freshness', 'data-mode': stream?.live ? 'live' : 'polling' },
        stream?.live ? t('track.live') : t('track.updated', { time: formatTime(lastChecked) }),
      ),
    ),
    r.stateOnly
      ? null
      : h(
          'section',
          { class: 'card' },
          h('h2', {}, t('track.timeline')),
          h(
            'ol',
            { class: 'timeline', 'data-testid': 'timeline' },
            [...r.timeline].reverse().map(timelineEntry),
          ),
        ),
    mapSlot ? h('section', { class: 'card' }, h('h2', {}, t('track.map')), mapSlot) : null,
  );
  result.hidden = false;
  if (focused)
    [...result.querySelectorAll('a[href]')].find((a) => a.getAttribute('href') === focused)?.focus();
  if (mapSlot) void kelurahanMap(r.area).then((map) => map && mapSlot.append(map));
}

/** A new view of the report, from the stream or a poll. */
function show(next) {
  const before = report;
  report = next;
  lastChecked = new Date().toISOString();
  say('', '');
  render();
  announce(before, next);
}

function closeStream() {
  stream?.source.close();
  stream = null;
}

/**
 * Follows the report over server-sent events. The browser reconnects by itself after a cut
 * (sending the last version it saw); a refusal (503 when too many are open) or a closed stream
 * ends it, and polling carries on until the stream is tried again.
 */
function openStream() {
  if (typeof EventSource !== 'function' || !code || stream?.code === code) return;
  closeStream();
  const source = new EventSource(`/api/status/v1/public/reports/${encodeURIComponent(code)}/events`);
  const current = { code, source, live: false };
  stream = current;
  source.addEventListener('open', () => {
    current.live = true;
    clearTimeout(timer);
    render();
  });
  source.addEventListener('report', (event) => {
    if (stream !== current) return;
    show(JSON.parse(event.data));
  });
  source.addEventListener('gone', () => {
    if (stream !== current) return;
    closeStream();
    report = null;
    render();
    say('error', t('track.notFound', { code }));
  });
  source.addEventListener('error', () => {
    if (stream !== current) return;
    current.live = false;
    if (source.readyState === EventSource.CLOSED) {
      closeStream();
      streamAgainAt = Date.now() + STREAM_PAUSE_MS;
    }
    render();
    schedule();
  });
}

async function load({ quiet }) {
  if (!code) return;
  if (!quiet) say('info', t('track.loading'));
  let res;
  try {
    res = await fetch(`/api/status/v1/public/reports/${encodeURIComponent(code)}`, {
      headers: { Accept: 'application/json' },
      // Revalidated with the ETag: an unchanged report costs a 304.
      cache: 'no-cache',
    });
  } catch {
    res = null;
  }
  lastChecked = new Date().toISOString();
  if (res && res.ok) {
    show(await res.json());
    if (Date.now() >= streamAgainAt) openStream();
  } else if (res && res.status === 404) {
    closeStream();
    report = null;
    render();
    say('error', t('track.notFound', { code }));
  } else {
    // A failed background refresh keeps what the citizen already sees.
    if (!quiet || !report) say('error', t('track.unavailable'));
    render();
  }
  schedule();
}

/** Polling, only while no live stream is open. */
function schedule() {
  clearTimeout(timer);
  if (code && !stream?.live)
    timer = setTimeout(
      () => void (document.hidden ? schedule() : load({ quiet: true })),
      refreshSeconds * 1000,
    );
}

function track(raw) {
  const normalized = normalizeCode(raw);
  if (!normalized) {
    closeStream();
    code = null;
    report = null;
    render();
    say('error', t('track.invalid'));
    return;
  }
  if (normalized !== code) {
    closeStream();
    clear(announcer);
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
  if (!document.hidden && code && !stream?.live) void load({ quiet: true });
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
