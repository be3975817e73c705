import type { PhaseResult } from './results';

/**
 * Latency against offered load as a self-contained SVG (no fonts or scripts fetched): one x
 * position per phase, a log-scale y axis in milliseconds, p50 dashed and p99 solid for each
 * stage. A percentile that never arrived while it was watched is drawn as a hollow mark in a
 * "not seen" band above the plot rather than left out.
 */
const WIDTH = 800;
const HEIGHT = 420;
const PAD = { left: 70, right: 190, top: 40, bottom: 60 };
/** Height of the band above the plot where percentiles never seen are marked. */
const UNSEEN_BAND = 26;
const STAGES = [
  { key: 'intake', label: 'intake (HTTP answer)', color: '#1f77b4' },
  { key: 'routed', label: 'intake → routed', color: '#ff7f0e' },
  { key: 'visible', label: 'intake → public API', color: '#2ca02c' },
] as const;

export function phaseLabel(p: PhaseResult): string {
  return p.mode === 'open' ? `${p.offeredPerSecond}/s` : `max (${p.clients} clients)`;
}

function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

export function latencyChart(phases: readonly PhaseResult[], title: string): string {
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotTop = PAD.top + UNSEEN_BAND;
  const plotH = HEIGHT - plotTop - PAD.bottom;
  const unseenY = PAD.top + 6;
  const seen = phases
    .flatMap((p) => STAGES.flatMap((s) => [p[s.key].p50, p[s.key].p99]))
    .filter((v) => Number.isFinite(v) && v > 0);
  const top = 10 ** Math.max(1, Math.ceil(Math.log10(Math.max(10, ...seen))));
  const bottom = 10 ** Math.min(0, Math.floor(Math.log10(Math.min(...seen, 1))));
  const y = (ms: number) =>
    plotTop +
    plotH * (1 - (Math.log10(Math.max(ms, bottom)) - Math.log10(bottom)) / Math.log10(top / bottom));
  const x = (i: number) => PAD.left + (phases.length === 1 ? plotW / 2 : (plotW * i) / (phases.length - 1));

  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${HEIGHT}" viewBox="0 0 ${WIDTH} ${HEIGHT}" font-family="sans-serif" font-size="12">`,
    `<rect width="${WIDTH}" height="${HEIGHT}" fill="#fff"/>`,
    `<text x="${WIDTH / 2}" y="22" text-anchor="middle" font-size="14">${escapeXml(title)}</text>`,
  ];
  for (let v = bottom; v <= top; v *= 10) {
    const label = v >= 1000 ? `${v / 1000} s` : `${v} ms`;
    out.push(
      `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${y(v).toFixed(1)}" y2="${y(v).toFixed(1)}" stroke="#ddd"/>`,
      `<text x="${PAD.left - 6}" y="${(y(v) + 4).toFixed(1)}" text-anchor="end">${label}</text>`,
    );
  }
  out.push(
    `<line x1="${PAD.left}" x2="${PAD.left + plotW}" y1="${unseenY}" y2="${unseenY}" stroke="#bbb" stroke-dasharray="2 3"/>`,
    `<text x="${PAD.left - 6}" y="${unseenY + 4}" text-anchor="end">not seen</text>`,
  );
  phases.forEach((p, i) =>
    out.push(
      `<text x="${x(i).toFixed(1)}" y="${plotTop + plotH + 20}" text-anchor="middle">${escapeXml(phaseLabel(p))}</text>`,
    ),
  );
  out.push(
    `<text x="${PAD.left + plotW / 2}" y="${HEIGHT - 14}" text-anchor="middle">offered load</text>`,
    `<text x="16" y="${plotTop + plotH / 2}" text-anchor="middle" transform="rotate(-90 16 ${plotTop + plotH / 2})">latency (log scale)</text>`,
  );
  for (const stage of STAGES) {
    for (const [pct, dash] of [
      ['p50', ' stroke-dasharray="5 4"'],
      ['p99', ''],
    ] as const) {
      const points = phases.map((p, i) => ({ x: x(i), value: p[stage.key][pct] }));
      const drawn = points.filter((pt) => !Number.isNaN(pt.value));
      const yOf = (v: number) => (Number.isFinite(v) ? y(v) : unseenY);
      if (drawn.length > 1)
        out.push(
          `<polyline fill="none" stroke="${stage.color}" stroke-width="2"${dash} points="${drawn
            .map((pt) => `${pt.x.toFixed(1)},${yOf(pt.value).toFixed(1)}`)
            .join(' ')}"/>`,
        );
      for (const pt of drawn) {
        const fill = Number.isFinite(pt.value) ? stage.color : '#fff';
        out.push(
          `<circle cx="${pt.x.toFixed(1)}" cy="${yOf(pt.value).toFixed(1)}" r="3.5" fill="${fill}" stroke="${stage.color}"/>`,
        );
      }
    }
  }
  STAGES.forEach((stage, i) => {
    const ly = PAD.top + 10 + i * 22;
    const lx = PAD.left + plotW + 16;
    out.push(
      `<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="${stage.color}" stroke-width="2"/>`,
      `<text x="${lx + 28}" y="${ly + 4}">${escapeXml(stage.label)}</text>`,
    );
  });
  const ly = PAD.top + 10 + STAGES.length * 22 + 10;
  const lx = PAD.left + plotW + 16;
  out.push(
    `<line x1="${lx}" x2="${lx + 22}" y1="${ly}" y2="${ly}" stroke="#555" stroke-width="2"/>`,
    `<text x="${lx + 28}" y="${ly + 4}">p99</text>`,
    `<line x1="${lx}" x2="${lx + 22}" y1="${ly + 18}" y2="${ly + 18}" stroke="#555" stroke-width="2" stroke-dasharray="5 4"/>`,
    `<text x="${lx + 28}" y="${ly + 22}">p50</text>`,
    '</svg>',
  );
  return out.join('\n') + '\n';
}
