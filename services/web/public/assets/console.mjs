/* global document, window, location, URL */
import { $, clear, h } from './dom.mjs';
import {
  channelLabel,
  formatDuration,
  formatTime,
  languageToggle,
  stateLabel,
  t,
  translatePage,
} from './i18n.mjs';
import { locationMap } from './map.mjs';
import {
  ApiError,
  clearSession,
  loadSession,
  officerApi,
  officerPath,
  signIn,
  signOut,
} from './officer-api.mjs';

const OPEN_STATES = [
  'TRIAGE',
  'RECEIVED',
  'COORDINATION',
  'DISPOSITION',
  'IN_PROGRESS',
  'AWAITING_VALIDATION',
  'FOLLOW_UP_REJECTED',
];
const CLOSED_STATES = ['COMPLETED', 'REJECTED', 'MERGED'];
const LABELS = {
  RECEIVED: 'Menunggu',
  TRIAGE: 'Triase',
  COORDINATION: 'Koordinasi',
  DISPOSITION: 'Disposisi',
  IN_PROGRESS: 'Proses',
  AWAITING_VALIDATION: 'Menunggu Validasi',
  FOLLOW_UP_REJECTED: 'TL Ditolak',
  COMPLETED: 'Selesai',
  REJECTED: 'Ditolak',
  MERGED: 'Digabung',
};

const els = {
  flash: $('#flash'),
  signIn: $('#sign-in'),
  signInForm: $('#sign-in-form'),
  workspace: $('#workspace'),
  who: $('#who'),
  signOut: $('#sign-out'),
  queue: $('#queue'),
  queueTotal: $('#queue-total'),
  queueState: $('#queue-state'),
  queueUnit: $('#queue-unit'),
  queueUnitField: $('#queue-unit-field'),
  queueMine: $('#queue-mine'),
  notifications: $('#notifications'),
  notificationsTitle: $('#notifications-title'),
  notificationsList: $('#notifications-list'),
  detail: $('#detail'),
};

const QUEUE_REFRESH_MS = 60_000;

let units = [];
let officers = [];
let queueTimer = null;
let queueItems = [];
let report = null;
let blobUrls = [];
let flashTimer = null;

// ---------------------------------------------------------------- messages

function flash(kind, text) {
  clear(els.flash);
  if (window.clearTimeout) window.clearTimeout(flashTimer);
  if (!text) return;
  els.flash.append(h('p', { class: `message ${kind}`, 'data-testid': `flash-${kind}` }, text));
  if (kind === 'success') flashTimer = window.setTimeout(() => clear(els.flash), 8000);
}

/** Every refusal of the API in words an officer can act on. */
function explain(err) {
  if (!(err instanceof ApiError)) return t('error.generic', { status: '?' });
  const body = err.body;
  switch (err.code ?? '') {
    case 'UNAUTHENTICATED':
    case 'INVALID_CREDENTIALS':
      return err.code === 'INVALID_CREDENTIALS' ? t('signin.failed') : t('error.unauthenticated');
    case 'FORBIDDEN':
      return t('error.forbidden');
    case 'STALE_VERSION':
      return t('error.stale');
    case 'ILLEGAL_TRANSITION': {
      const state = body.state ?? report?.state;
      const first = t('error.illegal', { label: stateLabel(state, LABELS[state] ?? state) });
      const allowed = (body.allowedActions ?? []).map((a) => actionTitle(a)).filter(Boolean);
      return allowed.length
        ? `${first} ${t('error.illegalAllowed', { actions: allowed.join(', ') })}`
        : first;
    }
    case 'CAPACITY_EXCEEDED':
      return t('error.capacity');
    case 'NOT_AN_IMAGE':
      return t('error.notImage');
    case 'PAYLOAD_TOO_LARGE':
      return t('error.tooLarge');
    case 'FILE_REQUIRED':
      return t('error.fileRequired');
    case 'EVIDENCE_REQUIRED':
      return t('error.evidenceRequired');
    case 'UNKNOWN_UNIT':
      return t('error.unknownUnit');
    case 'NOT_FOUND':
      return t('error.notFound');
    case 'VERSION_REQUIRED':
      return t('error.versionRequired');
    case 'VALIDATION_FAILED':
      return t('error.validation', { problems: (body.problems ?? [body.message]).join('; ') });
    default:
      if (err.status === 401) return t('error.unauthenticated');
      if (err.status === 403) return t('error.forbidden');
      if (err.status === 413) return t('error.tooLarge');
      if (err.status === 0 || err.status === 502 || err.status === 504) return t('error.unreachable');
      if (err.status === 400 && body.message)
        return t('error.validation', { problems: [body.message].flat().join('; ') });
      return t('error.generic', { status: err.status });
  }
}

function failed(err) {
  if (err instanceof ApiError && err.status === 401) {
    showSignIn();
  }
  flash('error', explain(err));
}

// ---------------------------------------------------------------- sign-in

function showSignIn() {
  clearSession();
  els.signIn.hidden = false;
  els.workspace.hidden = true;
  els.who.hidden = true;
  els.signOut.hidden = true;
  $('#username').focus();
}

function user() {
  return loadSession()?.user ?? null;
}

async function showWorkspace() {
  const me = user();
  els.signIn.hidden = true;
  els.workspace.hidden = false;
  els.who.hidden = false;
  els.signOut.hidden = false;
  els.who.textContent = `${me.displayName} · ${t(`role.${me.role}`)}${me.unit ? ` · ${me.unit.name}` : ''}`;
  try {
    units = (await officerApi.units()).items ?? [];
  } catch (err) {
    units = [];
    failed(err);
  }
  // Only admins may list accounts; they are the ones who assign reports to other officers.
  officers = me.role === 'admin' ? ((await officerApi.users().catch(() => ({ items: [] }))).items ?? []) : [];
  fillQueueFilters();
  await loadQueue();
  void loadNotifications();
  await route();
}

async function loadNotifications() {
  let items = [];
  try {
    items = (await officerApi.notifications()).items ?? [];
  } catch {
    // Escalation notices are a convenience; the queue already orders overdue reports first.
    items = [];
  }
  els.notifications.hidden = !items.length;
  els.notificationsTitle.textContent = `${t('notifications.title')} (${items.length})`;
  clear(els.notificationsList).append(
    ...items.map((n) =>
      h(
        'li',
        {},
        h('div', { class: 'who' }, formatTime(n.at)),
        h('a', { href: `#/reports/${n.reportId}` }, n.trackingCode),
        ' ',
        n.message,
      ),
    ),
  );
}

els.signInForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  const button = els.signInForm.querySelector('button');
  button.disabled = true;
  try {
    await signIn($('#username').value.trim(), $('#password').value);
    $('#password').value = '';
    flash('', '');
    await showWorkspace();
  } catch (err) {
    flash('error', err instanceof ApiError && err.status === 401 ? t('signin.failed') : explain(err));
  } finally {
    button.disabled = false;
  }
});

els.signOut.addEventListener('click', async () => {
  await signOut();
  report = null;
  location.hash = '';
  showSignIn();
});

// ---------------------------------------------------------------- queue

function fillQueueFilters() {
  const me = user();
  const keep = els.queueState.value;
  clear(els.queueState).append(
    h('option', { value: '' }, t('queue.allOpen')),
    ...[...OPEN_STATES, ...CLOSED_STATES].map((s) => h('option', { value: s }, stateLabel(s, LABELS[s]))),
  );
  els.queueState.value = keep || (me.role === 'crm_officer' ? 'TRIAGE' : '');
  const keepUnit = els.queueUnit.value;
  clear(els.queueUnit).append(
    h('option', { value: '' }, t('queue.allUnits')),
    ...units.map((u) => h('option', { value: u.code }, `${u.name} (${u.code})`)),
  );
  els.queueUnit.value = keepUnit;
  // A unit officer only ever sees its own unit's queue.
  els.queueUnitField.hidden = me.role === 'unit_officer';
}

async function loadQueue() {
  try {
    const answer = await officerApi.queue({
      state: els.queueState.value,
      unit: els.queueUnit.value,
      assignee: els.queueMine.checked ? 'me' : '',
      limit: '100',
    });
    queueItems = answer.items ?? [];
    els.queueTotal.textContent = t('queue.total', { n: answer.total ?? queueItems.length });
  } catch (err) {
    queueItems = [];
    failed(err);
  }
  renderQueue();
  window.clearTimeout(queueTimer);
  queueTimer = window.setTimeout(() => {
    if (user() && !document.hidden) void loadQueue();
    else queueTimer = null;
  }, QUEUE_REFRESH_MS);
}

function dueChip(due) {
  if (!due?.dueAt) return null;
  const left = Date.parse(due.dueAt) - Date.now();
  const stage = t(`due.stage.${due.stage}`);
  return due.overdue || left < 0
    ? h('span', { class: 'badge overdue' }, `${t('due.overdue', { d: formatDuration(left) })} · ${stage}`)
    : h('span', { class: 'badge due' }, `${t('due.in', { d: formatDuration(left) })} · ${stage}`);
}

function renderQueue() {
  clear(els.queue);
  if (!queueItems.length) {
    els.queue.append(h('li', { class: 'empty' }, t('queue.empty')));
    return;
  }
  for (const item of queueItems) {
    els.queue.append(
      h(
        'li',
        {},
        h(
          'a',
          {
            href: `#/reports/${item.id}`,
            'aria-current': report?.id === item.id ? 'true' : 'false',
            'data-code': item.trackingCode,
          },
          h(
            'div',
            { class: 'line1' },
            h('span', { class: 'code' }, item.trackingCode),
            h('span', { class: `badge state-${item.state}` }, stateLabel(item.state, item.label)),
          ),
          h(
            'div',
            { class: 'line2' },
            [item.category ?? '–', item.area?.kelurahan?.nama].filter(Boolean).join(' · '),
          ),
          h('div', { class: 'line2' }, item.excerpt ?? ''),
          h(
            'div',
            { class: 'chips' },
            dueChip(item.due),
            item.evidenceFlags
              ? h('span', { class: 'badge flag' }, `⚑ ${t('flags.count', { n: item.evidenceFlags })}`)
              : null,
            h('span', { class: 'badge due' }, formatTime(item.receivedAt)),
            item.assignee ? h('span', { class: 'badge due' }, item.assignee.displayName) : null,
          ),
        ),
      ),
    );
  }
}

els.queueState.addEventListener('change', () => void loadQueue());
els.queueUnit.addEventListener('change', () => void loadQueue());
els.queueMine.addEventListener('change', () => void loadQueue());
document.addEventListener('visibilitychange', () => {
  if (!document.hidden && user() && queueTimer === null) void loadQueue();
});
$('#queue-refresh').addEventListener('click', () => void loadQueue());

// ---------------------------------------------------------------- detail

async function route() {
  const id = /^#\/reports\/([\w-]+)$/.exec(location.hash)?.[1];
  els.workspace.classList.toggle('detail-open', Boolean(id));
  if (!id) {
    report = null;
    renderEmptyDetail();
    return;
  }
  try {
    report = await officerApi.report(id);
  } catch (err) {
    report = null;
    renderEmptyDetail();
    failed(err);
    return;
  }
  await renderDetail();
  renderQueue();
}

window.addEventListener('hashchange', () => {
  flash('', '');
  if (user()) void route();
});

function renderEmptyDetail() {
  clear(els.detail).append(h('div', { class: 'card' }, h('p', { class: 'empty' }, t('detail.pick'))));
}

function releaseImages() {
  for (const url of blobUrls) URL.revokeObjectURL(url);
  blobUrls = [];
}

/** A photo the API serves behind the token, fetched and shown as a blob: URL. */
// Photos every channel adapter keeps in the media store: read behind the officer's token.
const MEDIA_URL = /\/media\/([0-9a-f]{64})$/;

function protectedImage(rawUrl, alt) {
  const img = h('img', { alt, loading: 'lazy' });
  const media = MEDIA_URL.exec(rawUrl ?? '');
  const url = media ? `/v1/officer/media/${media[1]}` : rawUrl;
  if (officerPath(url) === null) {
    return h('a', { href: url, target: '_blank', rel: 'noopener noreferrer' }, alt);
  }
  officerApi
    .image(url)
    .then((blob) => {
      const objectUrl = URL.createObjectURL(blob);
      blobUrls.push(objectUrl);
      img.src = objectUrl;
    })
    .catch(() => img.setAttribute('alt', `${alt} ✕`));
  return img;
}

function section(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

async function renderDetail() {
  releaseImages();
  const r = report;
  const facts = [
    ['track.category', r.category ?? '–'],
    ['track.unit', r.unit ? `${r.unit.name} (${r.unit.code})` : '–'],
    ['track.area', r.area ? `${r.area.kelurahan.nama}, ${r.area.kecamatan.nama}, ${r.area.kota.nama}` : '–'],
    ['track.received', formatTime(r.receivedAt)],
    ['track.channel', channelLabel(r.channel, r.channelLabel)],
    ['detail.reporter', r.reporter?.pseudonym ?? '–'],
    ['detail.assignee', r.assignee?.displayName ?? t('detail.nobody')],
    ['detail.followers', String(r.followers ?? 0)],
  ];
  const flagged = (r.evidence ?? []).some((e) => e.flags?.length);
  const head = h(
    'section',
    { class: 'card', 'data-testid': 'detail' },
    h('a', { class: 'back-link', href: '#/' }, t('detail.back')),
    h(
      'div',
      { class: 'report-head' },
      h(
        'div',
        {},
        h('h1', { class: 'code' }, r.trackingCode),
        h('div', { class: 'hint' }, `${t('detail.version')} ${r.version}`),
      ),
      h(
        'span',
        { class: `badge lg state-${r.state}`, 'data-testid': 'detail-state' },
        stateLabel(r.state, r.label),
      ),
    ),
    flagged ? h('p', { class: 'message error' }, t('flags.warning')) : null,
    (r.deliveries ?? [])
      .filter((d) => d.status === 'failed')
      .map((d) =>
        h(
          'p',
          { class: 'message error', 'data-testid': 'delivery-failed' },
          t('delivery.failed', { kind: t(`delivery.kind.${d.kind}`), reason: d.reason ?? '–' }),
        ),
      ),
    h(
      'dl',
      { class: 'facts' },
      facts.map(([key, value]) => h('div', {}, h('dt', {}, t(key)), h('dd', {}, value))),
    ),
    r.text ? h('p', { class: 'description' }, r.text) : null,
    (r.sla ?? []).length
      ? h(
          'div',
          { class: 'chips row' },
          r.sla.map((s) =>
            s.metAt ? null : dueChip({ stage: s.stage, dueAt: s.dueAt, overdue: s.overdue }),
          ),
        )
      : null,
  );

  const photos = (r.attachments ?? []).filter((a) => a.contentType?.startsWith('image/'));
  const mapSection = section(t('detail.map'), await locationMap(r.area, r.location));
  const photoSection = section(
    t('detail.photos'),
    photos.length
      ? h(
          'div',
          { class: 'photos' },
          photos.map((a, i) =>
            h('div', { class: 'photo' }, protectedImage(a.url, `${t('detail.photos')} ${i + 1}`)),
          ),
        )
      : h('p', { class: 'hint' }, t('detail.noPhotos')),
  );

  clear(els.detail).append(
    head,
    section(t('detail.actions'), actionsPanel()),
    h('div', { class: 'sections' }, mapSection, photoSection),
    section(t('detail.evidence'), evidenceGallery()),
    h(
      'div',
      { class: 'sections' },
      section(t('detail.timeline'), timeline()),
      section(t('detail.notes'), notesPanel()),
    ),
  );
}

function evidenceGallery() {
  const list = report.evidence ?? [];
  if (!list.length) return h('p', { class: 'hint' }, t('detail.noEvidence'));
  return h(
    'div',
    { class: 'photos', 'data-testid': 'evidence' },
    list.map((e, i) =>
      h(
        'div',
        { class: 'photo' },
        protectedImage(e.url, `${t('track.evidence')} ${i + 1}`),
        h('div', { class: 'meta' }, formatTime(e.uploadedAt)),
        (e.flags ?? []).map((f) =>
          h(
            'div',
            { class: 'flag', 'data-testid': 'evidence-flag' },
            `⚑ ${t(`flag.${f.code}`)}: ${f.detail ?? ''}`,
          ),
        ),
      ),
    ),
  );
}

function timeline() {
  return h(
    'ol',
    { class: 'timeline', 'data-testid': 'officer-timeline' },
    [...(report.timeline ?? [])]
      .reverse()
      .map((entry) =>
        h(
          'li',
          {},
          h('span', { class: `badge state-${entry.to}` }, stateLabel(entry.to, entry.label)),
          ' ',
          h('span', { class: 'when' }, formatTime(entry.at)),
          h(
            'div',
            { class: 'who' },
            [entry.actor?.displayName ?? entry.actor?.id ?? entry.actor?.kind, entry.unit?.name]
              .filter(Boolean)
              .join(' · '),
          ),
          entry.publicNote ? h('p', { class: 'note' }, entry.publicNote) : null,
          entry.internalNote ? h('p', { class: 'internal' }, entry.internalNote) : null,
        ),
      ),
  );
}

function notesPanel() {
  const notes = report.notes ?? [];
  return h(
    'div',
    {},
    notes.length
      ? h(
          'ul',
          { class: 'notes' },
          notes.map((n) =>
            h(
              'li',
              {},
              h('div', { class: 'who' }, `${n.author?.displayName ?? ''} · ${formatTime(n.at)}`),
              n.text,
            ),
          ),
        )
      : h('p', { class: 'hint' }, t('detail.noNotes')),
    allowed('note') ? noteForm() : null,
  );
}

// ---------------------------------------------------------------- actions

const ACTION_TITLES = {
  route: 'action.route',
  coordinate: 'action.coordinate',
  dispose: 'action.dispose',
  start: 'action.start',
  evidence: 'action.evidence',
  followup: 'action.followUp',
  validate: 'action.validate',
  reject: 'action.reject',
  merge: 'action.merge',
  reopen: 'action.reopen',
  claim: 'action.claim',
  assign: 'action.assign',
  note: 'action.note',
  notes: 'action.note',
  contact: 'action.contact',
};

const canonical = (name) =>
  String(name)
    .toLowerCase()
    .replace(/[^a-z]/g, '');

function actionTitle(name) {
  const key = ACTION_TITLES[canonical(name)];
  return key ? t(key) : null;
}

function allowed(name) {
  return (report.allowedActions ?? []).some((a) => canonical(a) === canonical(name));
}

function field(label, control) {
  const id = `f-${Math.random().toString(36).slice(2, 9)}`;
  control.id = id;
  return h('div', { class: 'field' }, h('label', { for: id }, label), control);
}

const UNIT_GROUPS = [
  ['OPD', (u) => !['suku_dinas', 'kota', 'kecamatan', 'kelurahan'].includes(u.kind)],
  ['Suku Dinas', (u) => u.kind === 'suku_dinas'],
  ['Kota', (u) => u.kind === 'kota'],
  ['Kecamatan', (u) => u.kind === 'kecamatan'],
  ['Kelurahan', (u) => u.kind === 'kelurahan'],
];

/** Several hundred units: grouped by level, each level sorted by name. */
function unitSelect(filter = () => true, name = 'unit') {
  const candidates = units.filter(filter);
  return h(
    'select',
    { name, required: true },
    h('option', { value: '' }, t('field.chooseUnit')),
    UNIT_GROUPS.map(([label, inGroup]) => {
      const members = candidates.filter(inGroup).sort((a, b) => a.name.localeCompare(b.name, 'id'));
      return members.length
        ? h(
            'optgroup',
            { label },
            members.map((u) => h('option', { value: u.code }, `${u.name} (${u.code})`)),
          )
        : null;
    }),
  );
}

/** One form per action; on success the answer is the report as it now is. */
function actionForm(name, title, controls, buttons, submit, { collapsed = false } = {}) {
  const form = h(
    'form',
    { class: collapsed ? '' : 'action', 'data-action': name, novalidate: true },
    collapsed ? null : h('h3', {}, title),
    ...controls,
    h('div', { class: 'buttons' }, ...buttons),
  );
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    const pressed = event.submitter?.value ?? '';
    for (const b of form.querySelectorAll('button')) b.disabled = true;
    try {
      const message = await submit(new window.FormData(form), pressed);
      flash('success', message ?? t('done.generic', { label: stateLabel(report.state, report.label) }));
      await renderDetail();
      void loadQueue();
    } catch (err) {
      failed(err);
      if (err instanceof ApiError && (err.code === 'STALE_VERSION' || err.code === 'ILLEGAL_TRANSITION')) {
        report = await officerApi.report(report.id).catch(() => report);
        await renderDetail();
        void loadQueue();
      }
    } finally {
      for (const b of form.querySelectorAll('button')) b.disabled = false;
    }
  });
  // Rare or drastic actions stay folded so the everyday one is the obvious one.
  return collapsed ? h('details', { class: 'action' }, h('summary', {}, title), form) : form;
}

async function act(action, body) {
  report = await officerApi.act(report.id, action, body, report.version);
}

const text = (name, required = false) => h('textarea', { name, required, maxlength: 2000 });
const requestIdInput = (required) =>
  h('input', {
    name: 'requestId',
    type: 'text',
    required,
    maxlength: 36,
    autocomplete: 'off',
    spellcheck: 'false',
  });

function actionsPanel() {
  const r = report;
  const forms = [];
  const current = units.find((u) => u.code === r.unit?.code);

  if (allowed('claim') && !r.assignee) {
    forms.push(
      actionForm(
        'claim',
        t('action.claim'),
        [],
        [h('button', { type: 'submit', class: 'secondary' }, t('action.claim'))],
        async () => act('claim', {}),
      ),
    );
  }
  if (allowed('claim') && officers.length) {
    const candidates = officers.filter((o) => o.role === 'unit_officer' && o.unit?.code === r.unit?.code);
    if (candidates.length) {
      forms.push(
        actionForm(
          'assign',
          t('action.assign'),
          [
            field(
              t('field.officer'),
              h(
                'select',
                { name: 'officer', required: true },
                h('option', { value: '' }, '—'),
                candidates.map((o) => h('option', { value: o.id }, `${o.displayName} (${o.username})`)),
              ),
            ),
          ],
          [h('button', { type: 'submit', class: 'secondary' }, t('action.assign'))],
          async (data) => act('assign', { officer: data.get('officer') }),
          { collapsed: true },
        ),
      );
    }
  }
  if (allowed('route')) {
    const suggestions = (r.routing?.candidates ?? []).filter((c) => c.opd).map((c) => c.opd);
    forms.push(
      actionForm(
        'route',
        t('action.route'),
        [
          field(t('field.unit'), unitSelect()),
          suggestions.length
            ? h('p', { class: 'hint' }, `${t('detail.routing')}: ${suggestions.join(', ')}`)
            : null,
          field(t('field.note'), text('note')),
        ],
        [h('button', { type: 'submit' }, t('action.route'))],
        async (data) => act('route', { unit: data.get('unit'), note: data.get('note') || undefined }),
      ),
    );
  }
  if (allowed('start')) {
    forms.push(
      actionForm(
        'start',
        t('action.start'),
        [field(t('field.publicNote'), text('note'))],
        [h('button', { type: 'submit' }, t('action.start'))],
        async (data) => act('start', { note: data.get('note') || undefined }),
      ),
    );
  }
  if (allowed('evidence')) forms.push(uploadForm());
  if (allowed('follow-up')) forms.push(followUpForm());
  if (allowed('validate')) {
    forms.push(
      actionForm(
        'validate',
        t('action.validate'),
        [field(t('field.reason'), text('reason'))],
        [
          h('button', { type: 'submit', class: 'ok', name: 'decision', value: 'accept' }, t('action.accept')),
          h(
            'button',
            { type: 'submit', class: 'danger', name: 'decision', value: 'refuse' },
            t('action.refuse'),
          ),
        ],
        async (data, decision) =>
          act(
            'validate',
            decision === 'refuse' ? { decision, reason: data.get('reason') } : { decision: 'accept' },
          ),
      ),
    );
  }
  if (allowed('coordinate')) {
    forms.push(
      actionForm(
        'coordinate',
        t('action.coordinate'),
        [
          field(
            t('field.unit'),
            unitSelect((u) => u.code !== r.unit?.code),
          ),
          field(t('field.internalReason'), text('note', true)),
        ],
        [h('button', { type: 'submit', class: 'secondary' }, t('action.coordinate'))],
        async (data) => act('coordinate', { unit: data.get('unit'), note: data.get('note') }),
        { collapsed: true },
      ),
    );
  }
  if (allowed('dispose')) {
    forms.push(
      actionForm(
        'dispose',
        t('action.dispose'),
        [
          field(
            t('field.unit'),
            unitSelect((u) => u.parent === (current?.code ?? r.unit?.code)),
          ),
          field(t('field.note'), text('note')),
        ],
        [h('button', { type: 'submit', class: 'secondary' }, t('action.dispose'))],
        async (data) => act('dispose', { unit: data.get('unit'), note: data.get('note') || undefined }),
        { collapsed: true },
      ),
    );
  }
  if (allowed('merge')) {
    forms.push(
      actionForm(
        'merge',
        t('action.merge'),
        [
          field(
            t('field.master'),
            h('input', { type: 'text', name: 'master', required: true, autocomplete: 'off' }),
          ),
        ],
        [h('button', { type: 'submit', class: 'secondary' }, t('action.merge'))],
        async (data) => act('merge', { master: String(data.get('master')).trim() }),
        { collapsed: true },
      ),
    );
  }
  if (allowed('reject')) {
    forms.push(
      actionForm(
        'reject',
        t('action.reject'),
        [field(t('field.publicReason'), text('reason', true))],
        [h('button', { type: 'submit', class: 'danger' }, t('action.reject'))],
        async (data) => act('reject', { reason: data.get('reason') }),
        { collapsed: true },
      ),
    );
  }
  if (allowed('reopen')) {
    forms.push(
      actionForm(
        'reopen',
        t('action.reopen'),
        [field(t('field.reason'), text('reason', true))],
        [h('button', { type: 'submit', class: 'secondary' }, t('action.reopen'))],
        async (data) => act('reopen', { reason: data.get('reason') }),
        { collapsed: true },
      ),
    );
  }
  if (allowed('contact')) forms.push(contactForm(), approveContactForm());
  return forms.length
    ? h('div', { class: 'actions' }, forms)
    : h('p', { class: 'hint' }, t('detail.noActions'));
}

function uploadForm() {
  return actionForm(
    'evidence',
    t('action.evidence'),
    [
      field(
        t('field.photo'),
        h('input', { type: 'file', name: 'file', accept: 'image/jpeg,image/png,image/webp,image/heic' }),
      ),
    ],
    [h('button', { type: 'submit', class: 'secondary' }, t('action.evidence'))],
    async (data) => {
      const file = data.get('file');
      if (!file || !file.size) throw new ApiError(400, { code: 'FILE_REQUIRED' });
      await officerApi.upload(report.id, file);
      report = await officerApi.report(report.id);
      return t('done.uploaded');
    },
  );
}

function followUpForm() {
  const unused = (report.evidence ?? []).filter((e) => !e.usedInTransition);
  return actionForm(
    'follow-up',
    t('action.followUp'),
    [
      unused.length
        ? h(
            'div',
            { class: 'photos' },
            unused.map((e, i) =>
              h(
                'div',
                { class: 'photo' },
                protectedImage(e.url, `${t('track.evidence')} ${i + 1}`),
                h(
                  'label',
                  {},
                  h('input', { type: 'checkbox', name: 'evidence', value: e.id, checked: true }),
                  t('field.useEvidence'),
                ),
              ),
            ),
          )
        : h('p', { class: 'hint' }, t('error.evidenceRequired')),
      field(t('field.publicNote'), text('note', true)),
    ],
    [h('button', { type: 'submit' }, t('action.followUp'))],
    async (data) => act('follow-up', { note: data.get('note'), evidence: data.getAll('evidence') }),
  );
}

function noteForm() {
  return actionForm(
    'note',
    t('action.note'),
    [field(t('field.note'), text('text', true))],
    [h('button', { type: 'submit', class: 'secondary' }, t('action.note'))],
    async (data) => {
      await officerApi.note(report.id, data.get('text'));
      report = await officerApi.report(report.id);
      return t('done.note');
    },
  );
}

function contactForm() {
  const out = h('div');
  const form = actionForm(
    'contact',
    t('action.contact'),
    [
      field(t('field.contactReason'), text('reason', true)),
      field(t('field.contactRequest'), requestIdInput(false)),
      out,
    ],
    [h('button', { type: 'submit', class: 'secondary' }, t('action.contact'))],
    async (data) => {
      const requestId = String(data.get('requestId') ?? '').trim();
      const c = await officerApi.contact(report.id, data.get('reason'), requestId || undefined);
      // A reveal needs a second officer: the first answer is the request they approve.
      if (c.status === 'awaiting-approval') return t('done.contactRequested', { id: c.requestId });
      // Shown once, in this page only; re-rendering the report drops it.
      window.setTimeout(() => {
        const target = els.detail.querySelector('form[data-action="contact"] .contact-out');
        if (target)
          target.replaceChildren(
            h(
              'div',
              { class: 'contact' },
              [c.name, c.phone, c.email, c.handle].filter(Boolean).join(' · ') || '–',
            ),
          );
      });
      return null;
    },
    { collapsed: true },
  );
  out.className = 'contact-out';
  return form;
}

function approveContactForm() {
  return actionForm(
    'approve-contact',
    t('action.approveContact'),
    [field(t('field.contactRequest'), requestIdInput(true))],
    [h('button', { type: 'submit', class: 'secondary' }, t('action.approveContact'))],
    async (data) => {
      await officerApi.approveContact(report.id, String(data.get('requestId')).trim());
      return t('done.contactApproved');
    },
    { collapsed: true },
  );
}

// ---------------------------------------------------------------- start

translatePage();
languageToggle($('#lang'), () => {
  if (!user()) return;
  fillQueueFilters();
  renderQueue();
  if (report) void renderDetail();
  const me = user();
  els.who.textContent = `${me.displayName} · ${t(`role.${me.role}`)}${me.unit ? ` · ${me.unit.name}` : ''}`;
});
if (user()) void showWorkspace();
else showSignIn();
