import type { Page } from 'playwright-core';

export interface ContrastFailure {
  text: string;
  where: string;
  ratio: number;
  needed: number;
  color: string;
  background: string;
}

/**
 * Runs in the page (as text: the tests compile without the browser's types). Every visible
 * element with text of its own, and every select and filled input, is measured: its computed
 * colour against the background it is drawn on, the translucent layers above the first opaque
 * one composited, and the element's opacity applied. Disabled controls are exempt (WCAG 1.4.3),
 * as are elements hidden from sight (`.sr-only`, zero size).
 */
const MEASURE = `(() => {
  const parse = (c) => {
    const m = c.match(/rgba?\\(([^)]+)\\)/);
    if (!m) return [0, 0, 0, 0];
    const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number);
    return [p[0], p[1], p[2], p.length > 3 ? p[3] : 1];
  };
  const over = (top, bottom) => {
    const a = top[3] + bottom[3] * (1 - top[3]);
    if (a === 0) return [0, 0, 0, 0];
    return [0, 1, 2].map((i) => (top[i] * top[3] + bottom[i] * bottom[3] * (1 - top[3])) / a).concat([a]);
  };
  const lum = (c) => {
    const [r, g, b] = c.slice(0, 3).map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : Math.pow((s + 0.055) / 1.055, 2.4);
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const ratio = (a, b) => {
    const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
    return (hi + 0.05) / (lo + 0.05);
  };
  const background = (el) => {
    const layers = [];
    for (let e = el; e; e = e.parentElement) {
      const bg = parse(getComputedStyle(e).backgroundColor);
      if (bg[3] > 0) layers.push(bg);
      if (bg[3] >= 1) break;
    }
    let c = [255, 255, 255, 1];
    for (const layer of layers.reverse()) c = over(layer, c);
    return c;
  };
  const opacity = (el) => {
    let o = 1;
    for (let e = el; e; e = e.parentElement) o *= Number(getComputedStyle(e).opacity);
    return o;
  };
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    if (r.width < 2 || r.height < 2) return false;
    const s = getComputedStyle(el);
    if (s.visibility !== 'visible' || s.display === 'none') return false;
    if (el.closest('.sr-only, [hidden], [aria-hidden="true"]')) return false;
    return true;
  };
  const describe = (el) => el.tagName.toLowerCase() + (el.id ? '#' + el.id : '') + (el.classList.length ? '.' + [...el.classList].join('.') : '');
  const failures = [];
  let measured = 0;
  for (const el of document.body.querySelectorAll('*')) {
    if (['SCRIPT', 'STYLE', 'OPTION', 'svg'].includes(el.tagName)) continue;
    const own = [...el.childNodes].some((n) => n.nodeType === 3 && n.textContent.trim());
    const field = (el.tagName === 'SELECT' || (el.tagName === 'INPUT' && el.value && !['checkbox', 'radio', 'hidden', 'file'].includes(el.type)) || el.tagName === 'TEXTAREA');
    if (!own && !field) continue;
    if (!visible(el)) continue;
    if (el.closest('button:disabled, fieldset:disabled, input:disabled, select:disabled, textarea:disabled, [aria-disabled="true"]')) continue;
    const s = getComputedStyle(el);
    const bg = background(el);
    const fg = parse(s.color);
    const text = over([fg[0], fg[1], fg[2], fg[3] * opacity(el)], bg);
    const size = parseFloat(s.fontSize);
    const bold = Number(s.fontWeight) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    const needed = large ? 3 : 4.5;
    const r = ratio(text, bg);
    measured += 1;
    if (r < needed)
      failures.push({
        text: (field ? el.value || el.tagName : el.textContent).trim().slice(0, 40),
        where: describe(el),
        ratio: Math.round(r * 100) / 100,
        needed,
        color: s.color,
        background: 'rgb(' + bg.slice(0, 3).map(Math.round).join(', ') + ')',
      });
  }
  return { measured, failures };
})()`;

/** What WCAG 2.1 AA asks of the page's text as it is drawn now. */
export function measureContrast(page: Page): Promise<{ measured: number; failures: ContrastFailure[] }> {
  return page.evaluate<{ measured: number; failures: ContrastFailure[] }>(MEASURE);
}

/** How far the page is wider than its window: 0 when nothing scrolls sideways. */
export function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate<number>(`document.documentElement.scrollWidth - document.documentElement.clientWidth`);
}
