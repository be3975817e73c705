/* global document, fetch, history, location, URLSearchParams */
import { $, clear, h, svg } from './dom.mjs';
import { lang, setLang, stateLabel } from './i18n.mjs';

// The public statistics of /v1/public/stats (ADR 0050): every figure is shown as a table, the
// data itself, readable by a screen reader and copyable; the charts beside them are drawings of
// the same rows. Nothing here is about one report.

const API = '/api/status/v1/public/stats';

const STRINGS = {
  id: {
    'lang.switch': 'English',
    title: 'Statistik Laporan',
    tagline:
      'Angka laporan warga kepada Pemprov DKI Jakarta, dihitung dari riwayat setiap laporan. Tidak ada data pelapor di halaman ini.',
    footer: 'Aduan · Cepat Respon Masyarakat. Data terbuka: unduh setiap tabel sebagai CSV.',
    'range.from': 'Dari',
    'range.to': 'Sampai',
    'range.show': 'Tampilkan',
    loading: 'Memuat…',
    unavailable: 'Statistik sedang tidak dapat dimuat. Coba lagi sebentar lagi.',
    total: 'Laporan diterima',
    period: '{from} s.d. {to} (hari menurut WIB)',
    perDay: 'Laporan per hari',
    byChannel: 'Per kanal',
    byCategory: 'Per kategori',
    byKota: 'Per kota',
    byKecamatan: 'Per kecamatan',
    byKelurahan: 'Per kelurahan',
    byUnit: 'Per unit',
    name: 'Nama',
    day: 'Tanggal',
    reports: 'Laporan',
    units: 'Kinerja unit',
    unit: 'Unit',
    backlog: 'Belum selesai',
    overdue: 'Lewat batas waktu',
    completed: 'Selesai',
    reopened: 'Dibuka kembali',
    reopenRate: 'Tingkat dibuka kembali',
    sla: 'Ketepatan waktu per tahap',
    stage: 'Tahap',
    decided: 'Sudah dinilai',
    hitRate: 'Tepat waktu',
    median: 'Median (jam)',
    p90: 'P90 (jam)',
    rejections: 'Laporan ditolak dan alasannya',
    reason: 'Alasan',
    reasonHidden: 'Alasan tidak dipublikasikan (laporan rahasia)',
    noUnit: 'Ditolak sebelum diteruskan ke unit',
    map: 'Peta laporan per kelurahan',
    mapHint: 'Warna lebih gelap berarti lebih banyak laporan. Angka lengkap ada di tabel.',
    mapOff: 'Peta tidak dapat dimuat; angkanya ada di tabel.',
    kelurahan: 'Kelurahan',
    states: 'Status saat ini',
    none: 'Tidak ada data pada rentang ini.',
    csv: 'Unduh CSV',
    'stage.coordination': 'Koordinasi (6 jam)',
    'stage.resolution': 'Penyelesaian (7 hari)',
    'stage.lapor_response': 'LAPOR! tanggapan (3 hari kerja)',
    'stage.lapor_follow_up': 'LAPOR! tindak lanjut (5 hari kerja)',
    'stage.lapor_completion': 'LAPOR! selesai (10 hari kerja)',
    'stage.reopen': 'Penyelesaian setelah dibuka kembali',
    'stage.subtask': 'Bagian koordinasi paralel (7 hari)',
  },
  en: {
    'lang.switch': 'Bahasa Indonesia',
    title: 'Report statistics',
    tagline:
      "Figures on citizens' reports to the Jakarta government, computed from each report's history. No reporter data is on this page.",
    footer: 'Aduan · Cepat Respon Masyarakat. Open data: download every table as CSV.',
    'range.from': 'From',
    'range.to': 'To',
    'range.show': 'Show',
    loading: 'Loading…',
    unavailable: 'The statistics cannot be loaded right now. Try again shortly.',
    total: 'Reports received',
    period: '{from} to {to} (days in Jakarta time)',
    perDay: 'Reports per day',
    byChannel: 'By channel',
    byCategory: 'By category',
    byKota: 'By city',
    byKecamatan: 'By district (kecamatan)',
    byKelurahan: 'By subdistrict (kelurahan)',
    byUnit: 'By unit',
    name: 'Name',
    day: 'Date',
    reports: 'Reports',
    units: 'Unit performance',
    unit: 'Unit',
    backlog: 'Open',
    overdue: 'Overdue',
    completed: 'Completed',
    reopened: 'Reopened',
    reopenRate: 'Reopen rate',
    sla: 'Timeliness per stage',
    stage: 'Stage',
    decided: 'Assessed',
    hitRate: 'On time',
    median: 'Median (hours)',
    p90: 'P90 (hours)',
    rejections: 'Rejected reports and their reasons',
    reason: 'Reason',
    reasonHidden: 'Reason not published (confidential report)',
    noUnit: 'Rejected before reaching a unit',
    map: 'Map of reports by kelurahan',
    mapHint: 'Darker means more reports. The table has every figure.',
    mapOff: 'The map cannot be loaded; the figures are in the table.',
    kelurahan: 'Kelurahan',
    states: 'Current states',
    none: 'No data in this range.',
    csv: 'Download CSV',
    'stage.coordination': 'Coordination (6 hours)',
    'stage.resolution': 'Resolution (7 days)',
    'stage.lapor_response': 'LAPOR! response (3 working days)',
    'stage.lapor_follow_up': 'LAPOR! follow-up (5 working days)',
    'stage.lapor_completion': 'LAPOR! completion (10 working days)',
    'stage.reopen': 'Resolution after a reopen',
    'stage.subtask': 'Part of a parallel coordination (7 days)',
  },
};

// Kept here too: lang() reads storage, which a browser may refuse; the toggle still works then.
let current = lang();

function s(key, vars = {}) {
  const template = STRINGS[current]?.[key] ?? STRINGS.id[key] ?? key;
  return template.replace(/\{(\w+)\}/g, (_, name) => String(vars[name] ?? ''));
}

/** How the page writes the API's numbers; the browser test formats the JSON the same way. */
export const format = {
  count: (n) => String(n),
  rate: (r) => (r === null || r === undefined ? '–' : `${(r * 100).toFixed(1)}%`),
  hours: (x) => (x === null || x === undefined ? '–' : x.toFixed(1)),
};

function stageName(stage) {
  if (stage.startsWith('resolution_reopen_')) return `${s('stage.reopen')} ${stage.slice(18)}`;
  return STRINGS.id[`stage.${stage}`] ? s(`stage.${stage}`) : stage;
}

function translate() {
  document.documentElement.lang = current;
  for (const el of document.querySelectorAll('[data-s]')) el.textContent = s(el.dataset.s);
  $('#lang').textContent = s('lang.switch');
}

function say(kind, text) {
  const box = clear($('#message'));
  if (text) box.append(h('p', { class: `message ${kind}` }, text));
}

async function load(dataset, params) {
  const res = await fetch(`${API}/${dataset}?${params}`, { headers: { accept: 'application/json' } });
  const body = await res.json().catch(() => null);
  if (!res.ok) throw Object.assign(new Error(body?.message ?? `HTTP ${res.status}`), { status: res.status });
  return body;
}

function csvLink(dataset, params) {
  return h('a', { class: 'downloads', href: `${API}/${dataset}.csv?${params}`, download: '' }, s('csv'));
}

/** A table whose rows carry `data-key`, so a reader (or a test) can find a figure by its key. */
function table(testid, headers, rows) {
  if (!rows.length) return h('p', { class: 'empty' }, s('none'));
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      { 'data-testid': testid },
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map(([label, num]) => h('th', { scope: 'col', class: num ? 'num' : undefined }, label)),
        ),
      ),
      h(
        'tbody',
        {},
        rows.map(({ key, cells }) =>
          h(
            'tr',
            { 'data-key': key ?? '' },
            cells.map((c, i) => h('td', { class: headers[i][1] ? 'num' : undefined }, c)),
          ),
        ),
      ),
    ),
  );
}

function card(title, ...children) {
  return h('section', { class: 'card' }, h('h2', {}, title), ...children);
}

/** Bars of reports per day, drawn from the same rows as the table under it. */
function dayChart(rows) {
  const max = Math.max(1, ...rows.map((r) => r.reports));
  const w = 600;
  const hgt = 200;
  const gap = 2;
  const bw = Math.max(1, w / rows.length - gap);
  const label = rows.map((r) => `${r.key}: ${r.reports}`).join(', ');
  return h(
    'figure',
    { class: 'chart' },
    svg(
      'svg',
      {
        viewBox: `0 0 ${w} ${hgt + 20}`,
        role: 'img',
        'aria-label': `${s('perDay')}. ${label}`,
        'data-testid': 'day-chart',
      },
      svg('line', { class: 'axis', x1: 0, y1: hgt, x2: w, y2: hgt }),
      rows.map((r, i) => {
        const bh = (r.reports / max) * (hgt - 14);
        return svg(
          'rect',
          {
            class: 'bar',
            x: (i * (bw + gap)).toFixed(2),
            y: (hgt - bh).toFixed(2),
            width: bw.toFixed(2),
            height: bh.toFixed(2),
            'data-day': r.key,
            'data-reports': r.reports,
          },
          svg('title', {}, `${r.key}: ${r.reports}`),
        );
      }),
      svg('text', { x: 0, y: hgt + 14 }, rows[0]?.key ?? ''),
      svg('text', { x: w, y: hgt + 14, 'text-anchor': 'end' }, rows[rows.length - 1]?.key ?? ''),
      svg('text', { x: 0, y: 10 }, String(max)),
    ),
  );
}

// Kelurahan boundaries are public reference data (ADR 0042), fetched once per page.
const outlines = new Map();
function outline(kode) {
  if (!outlines.has(kode))
    outlines.set(
      kode,
      fetch(`/api/areas/kelurahan/${encodeURIComponent(kode)}`)
        .then((res) => (res.ok ? res.json() : null))
        .catch(() => null),
    );
  return outlines.get(kode);
}

/** Every kelurahan with reports, shaded by its count; without outlines the table stands alone. */
async function areaMap(rows) {
  const shapes = (await Promise.all(rows.map((r) => outline(r.kelurahan.kode)))).map((o, i) => ({
    o,
    row: rows[i],
  }));
  const drawn = shapes.filter((x) => x.o);
  if (!drawn.length) return h('p', { class: 'hint' }, s('mapOff'));
  const boxes = drawn.map((x) => x.o.bbox);
  const minLon = Math.min(...boxes.map((b) => b[0]));
  const minLat = Math.min(...boxes.map((b) => b[1]));
  const maxLon = Math.max(...boxes.map((b) => b[2]));
  const maxLat = Math.max(...boxes.map((b) => b[3]));
  const k = Math.cos((((minLat + maxLat) / 2) * Math.PI) / 180);
  const width = Math.max((maxLon - minLon) * k, 0.002);
  const height = Math.max(maxLat - minLat, 0.002);
  const pad = Math.max(width, height) * 0.04;
  const x = (lon) => ((lon - minLon) * k).toFixed(6);
  const y = (lat) => (maxLat - lat).toFixed(6);
  const max = Math.max(...drawn.map((d) => d.row.reports));
  return h(
    'figure',
    { class: 'area-map' },
    svg(
      'svg',
      {
        viewBox: `${-pad} ${-pad} ${width + 2 * pad} ${height + 2 * pad}`,
        role: 'img',
        'aria-label': `${s('map')}: ${drawn.map((d) => `${d.row.kelurahan.nama} ${d.row.reports}`).join(', ')}`,
        'data-testid': 'area-map',
        preserveAspectRatio: 'xMidYMid meet',
      },
      drawn.map(({ o, row }) =>
        svg(
          'path',
          {
            d: o.rings
              .map((ring) => `M${ring.map(([lon, lat]) => `${x(lon)},${y(lat)}`).join('L')}Z`)
              .join(''),
            fill: `rgba(11, 92, 173, ${(0.15 + 0.75 * (row.reports / max)).toFixed(3)})`,
            'data-kode': row.kelurahan.kode,
            'data-reports': row.reports,
          },
          svg('title', {}, `${row.kelurahan.nama}: ${row.reports}`),
        ),
      ),
    ),
    h('figcaption', { class: 'hint' }, s('mapHint')),
  );
}

function statesText(states, labels) {
  return Object.entries(states)
    .map(([state, n]) => `${stateLabel(state, labels?.[state] ?? state)} ${n}`)
    .join(', ');
}

const DIMENSIONS = [
  ['channel', 'byChannel'],
  ['category', 'byCategory'],
  ['kota', 'byKota'],
  ['kecamatan', 'byKecamatan'],
  ['kelurahan', 'byKelurahan'],
  ['unit', 'byUnit'],
];

let shown = null;

async function show(range) {
  const out = $('#figures');
  say('info', s('loading'));
  const params = new URLSearchParams(range).toString();
  let data;
  try {
    const [days, units, sla, rejections, map, ...by] = await Promise.all([
      load('reports', `${params}&by=day`),
      load('units', params),
      load('sla', params),
      load('rejections', params),
      load('map', params),
      ...DIMENSIONS.map(([d]) => load('reports', `${params}&by=${d}`)),
    ]);
    data = { days, units, sla, rejections, map, by };
  } catch (err) {
    clear(out);
    say('error', err.status === 400 ? err.message : s('unavailable'));
    return;
  }
  shown = range;
  say('', '');
  $('#from').value = data.days.from;
  $('#to').value = data.days.to;
  const total = data.days.rows.reduce((n, r) => n + r.reports, 0);

  clear(out).append(
    card(
      s('total'),
      h('p', { class: 'total', 'data-testid': 'total' }, format.count(total)),
      h('p', { class: 'hint' }, s('period', { from: data.days.from, to: data.days.to })),
      dayChart(data.days.rows),
      h(
        'details',
        {},
        h('summary', {}, s('perDay')),
        table(
          'reports-by-day',
          [[s('day')], [s('reports'), true]],
          data.days.rows.map((r) => ({ key: r.key, cells: [r.key, format.count(r.reports)] })),
        ),
      ),
      csvLink('reports', `${params}&by=day`),
    ),
    h(
      'div',
      { class: 'grid2' },
      data.by.map((answer, i) =>
        card(
          s(DIMENSIONS[i][1]),
          table(
            `reports-by-${DIMENSIONS[i][0]}`,
            [[s('name')], [s('reports'), true]],
            answer.rows.map((r) => ({ key: r.key, cells: [r.label, format.count(r.reports)] })),
          ),
          csvLink('reports', `${params}&by=${DIMENSIONS[i][0]}`),
        ),
      ),
    ),
    card(
      s('units'),
      table(
        'units',
        [
          [s('unit')],
          [s('reports'), true],
          [s('backlog'), true],
          [s('overdue'), true],
          [s('completed'), true],
          [s('reopened'), true],
          [s('reopenRate'), true],
        ],
        data.units.rows.map((r) => ({
          key: r.unit.code,
          cells: [
            r.unit.name,
            format.count(r.reports),
            format.count(r.backlog),
            format.count(r.overdue),
            format.count(r.completed),
            format.count(r.reopened),
            format.rate(r.reopenRate),
          ],
        })),
      ),
      csvLink('units', params),
    ),
    card(
      s('sla'),
      table(
        'sla',
        [
          [s('unit')],
          [s('stage')],
          [s('decided'), true],
          [s('hitRate'), true],
          [s('median'), true],
          [s('p90'), true],
        ],
        data.sla.rows.map((r) => ({
          key: `${r.unit.code}/${r.stage}`,
          cells: [
            r.unit.name,
            stageName(r.stage),
            format.count(r.decided),
            format.rate(r.hitRate),
            format.hours(r.medianHours),
            format.hours(r.p90Hours),
          ],
        })),
      ),
      csvLink('sla', params),
    ),
    card(
      s('rejections'),
      table(
        'rejections',
        [[s('unit')], [s('reason')], [s('reports'), true]],
        data.rejections.rows.map((r) => ({
          key: r.unit?.code ?? '',
          cells: [r.unit?.name ?? s('noUnit'), r.reason ?? s('reasonHidden'), format.count(r.reports)],
        })),
      ),
      csvLink('rejections', params),
    ),
    card(
      s('map'),
      await areaMap(data.map.rows),
      table(
        'map',
        [[s('kelurahan')], [s('reports'), true], [s('states')]],
        data.map.rows.map((r) => ({
          key: r.kelurahan.kode,
          cells: [
            `${r.kelurahan.nama}, ${r.kecamatan.nama}`,
            format.count(r.reports),
            statesText(r.states, data.map.stateLabels),
          ],
        })),
      ),
      csvLink('map', params),
    ),
  );
}

function rangeFromAddress() {
  const q = new URLSearchParams(location.search);
  const range = {};
  for (const name of ['from', 'to']) if (q.get(name)) range[name] = q.get(name);
  return range;
}

$('#range').addEventListener('submit', (event) => {
  event.preventDefault();
  const range = {};
  for (const name of ['from', 'to']) if ($(`#${name}`).value) range[name] = $(`#${name}`).value;
  history.pushState(null, '', `?${new URLSearchParams(range)}`);
  void show(range);
});
$('#lang').addEventListener('click', () => {
  current = current === 'id' ? 'en' : 'id';
  setLang(current);
  translate();
  if (shown) void show(shown);
});
globalThis.addEventListener('popstate', () => void show(rangeFromAddress()));

translate();
void show(rangeFromAddress());
