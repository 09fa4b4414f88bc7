// A small hand-drawn SVG time-series chart: mean lines with a min–max band per series.
import type { Aggregate } from './types';

const SVG = 'http://www.w3.org/2000/svg';

export interface Series {
  label: string;
  color: string;
  points: Aggregate[];
}

function el<K extends keyof SVGElementTagNameMap>(name: K, attrs: Record<string, string | number>): SVGElementTagNameMap[K] {
  const e = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, String(v));
  return e;
}

/** Renders into `host` (replacing its content). `from`/`to` fix the time axis; gaps stay gaps. */
export function renderChart(host: HTMLElement, series: Series[], opts: { from: Date; to: Date; unit: string; title: string; daily: boolean }): void {
  const W = 340;
  const H = 150;
  const m = { l: 34, r: 8, t: 8, b: 20 };
  const t0 = opts.from.getTime();
  const t1 = opts.to.getTime();
  const all = series.flatMap((s) => s.points.flatMap((p) => [p.max ?? p.mean, p.mean])).filter((v): v is number => v != null && Number.isFinite(v));
  const yMax = niceCeil(Math.max(10, ...all));
  const x = (t: number) => m.l + ((t - t0) / (t1 - t0)) * (W - m.l - m.r);
  const y = (v: number) => H - m.b - (v / yMax) * (H - m.t - m.b);

  const svg = el('svg', { viewBox: `0 0 ${W} ${H}`, role: 'img', 'aria-label': opts.title, class: 'chart' });
  const title = el('title', {});
  title.textContent = opts.title;
  svg.append(title);

  for (let i = 0; i <= 4; i++) {
    const v = (yMax * i) / 4;
    svg.append(el('line', { x1: m.l, x2: W - m.r, y1: y(v), y2: y(v), class: 'grid' }));
    const lbl = el('text', { x: m.l - 4, y: y(v) + 3, 'text-anchor': 'end', class: 'axis' });
    lbl.textContent = fmt(v);
    svg.append(lbl);
  }
  const ticks = opts.daily ? 3 : 4;
  for (let i = 0; i <= ticks; i++) {
    const t = t0 + ((t1 - t0) * i) / ticks;
    const lbl = el('text', { x: x(t), y: H - 6, 'text-anchor': i === 0 ? 'start' : i === ticks ? 'end' : 'middle', class: 'axis' });
    const d = new Date(t);
    lbl.textContent = opts.daily ? d.toISOString().slice(5, 10) : `${d.toISOString().slice(5, 10)} ${d.toISOString().slice(11, 13)}h`;
    svg.append(lbl);
  }

  for (const s of series) {
    for (const seg of segments(s.points, opts.daily ? 86_400_000 : 3_600_000)) {
      const band = seg.filter((p) => p.min != null && p.max != null);
      if (band.length > 1) {
        const top = band.map((p) => `${x(Date.parse(p.periodStart)).toFixed(1)},${y(p.max!).toFixed(1)}`);
        const bottom = band.map((p) => `${x(Date.parse(p.periodStart)).toFixed(1)},${y(p.min!).toFixed(1)}`).reverse();
        svg.append(el('polygon', { points: [...top, ...bottom].join(' '), fill: s.color, 'fill-opacity': 0.15, stroke: 'none' }));
      }
      const pts = seg.filter((p) => p.mean != null).map((p) => `${x(Date.parse(p.periodStart)).toFixed(1)},${y(p.mean!).toFixed(1)}`);
      if (pts.length === 1) {
        const [cx, cy] = pts[0].split(',');
        svg.append(el('circle', { cx, cy, r: 2, fill: s.color }));
      } else if (pts.length > 1) {
        svg.append(el('polyline', { points: pts.join(' '), fill: 'none', stroke: s.color, 'stroke-width': 1.5 }));
      }
    }
  }

  const legend = document.createElement('div');
  legend.className = 'chart-legend';
  for (const s of series) {
    const item = document.createElement('span');
    const sw = document.createElement('i');
    sw.style.background = s.color;
    item.append(sw, `${s.label} (${opts.unit})`);
    if (s.points.length === 0) item.append(' — no data');
    legend.append(item);
  }
  host.replaceChildren(svg, legend);
}

/** Splits a series where consecutive points are more than one period apart, so gaps are not bridged. */
export function segments(points: Aggregate[], periodMs: number): Aggregate[][] {
  const sorted = [...points].sort((a, b) => Date.parse(a.periodStart) - Date.parse(b.periodStart));
  const out: Aggregate[][] = [];
  let cur: Aggregate[] = [];
  let prev = Number.NaN;
  for (const p of sorted) {
    const t = Date.parse(p.periodStart);
    if (cur.length && t - prev > periodMs * 1.5) {
      out.push(cur);
      cur = [];
    }
    cur.push(p);
    prev = t;
  }
  if (cur.length) out.push(cur);
  return out;
}

export function niceCeil(v: number): number {
  const p = 10 ** Math.floor(Math.log10(v));
  for (const k of [1, 2, 2.5, 5, 10]) if (k * p >= v) return k * p;
  return 10 * p;
}

function fmt(v: number): string {
  return v === 0 || v >= 10 ? v.toFixed(0) : v.toFixed(1);
}
