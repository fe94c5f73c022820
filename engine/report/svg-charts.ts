// Charts as inline SVG strings, rendered here so report.html needs no network and no library.
// Three shapes cover the reports: line charts (time series, sweeps), grouped bar charts (per slice,
// cost lines) and heatmaps (TU × SU). Axes get "nice" ticks (1, 2, 2.5, 5 × 10^k).
import { escapeXml, formatCompact } from './format.js';

export const PALETTE = ['#2563eb', '#16a34a', '#dc2626', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Roboto, sans-serif"';
const MARGIN = { top: 34, right: 16, bottom: 62, left: 62 };

export interface LineSeries {
  name: string;
  points: readonly (readonly [number, number])[];
  color?: string;
  dashed?: boolean;
  /** Draw as a step function (values hold until the next point), e.g. rates per interval. */
  step?: boolean;
}

export interface Marker {
  x: number;
  label?: string;
}

export interface LineChartOptions {
  title: string;
  series: readonly LineSeries[];
  width?: number;
  height?: number;
  xLabel?: string;
  yLabel?: string;
  xFormat?: (x: number) => string;
  yFormat?: (y: number) => string;
  /** Vertical guide lines (e.g. slice boundaries). */
  markers?: readonly Marker[];
  /** Show points as dots (for sparse data such as sweeps). */
  dots?: boolean;
}

/** Tick values covering [min, max] with about `count` steps of 1, 2, 2.5 or 5 × 10^k. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [0, 1];
  if (max === min) {
    if (max === 0) return [0, 1];
    [min, max] = max > 0 ? [0, max] : [min, 0];
  }
  const raw = (max - min) / count;
  const power = Math.pow(10, Math.floor(Math.log10(raw)));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = Math.floor(min / step) * step; v <= max + step * 1e-9; v += step) ticks.push(Number(v.toPrecision(12)));
  if (ticks[ticks.length - 1] < max) ticks.push(Number((ticks[ticks.length - 1] + step).toPrecision(12)));
  return ticks;
}

function frame(width: number, height: number, title: string, body: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(title)}" ${FONT}>` +
    `<rect width="${width}" height="${height}" fill="#fff"/>` +
    `<text x="${MARGIN.left}" y="20" font-size="14" font-weight="600" fill="#111827">${escapeXml(title)}</text>` +
    body +
    `</svg>`
  );
}

function legend(items: readonly { name: string; color: string; dashed?: boolean }[], x: number, y: number, maxWidth: number): string {
  let out = '';
  let cx = x;
  for (const item of items) {
    const w = 26 + item.name.length * 6.4;
    if (cx + w > x + maxWidth) break;
    out += `<line x1="${cx}" y1="${y - 4}" x2="${cx + 16}" y2="${y - 4}" stroke="${item.color}" stroke-width="3"${item.dashed ? ' stroke-dasharray="5 3"' : ''}/>`;
    out += `<text x="${cx + 20}" y="${y}" font-size="11" fill="#374151">${escapeXml(item.name)}</text>`;
    cx += w;
  }
  return out;
}

export function lineChart(o: LineChartOptions): string {
  const width = o.width ?? 560;
  const height = o.height ?? 260;
  const xFormat = o.xFormat ?? formatCompact;
  const yFormat = o.yFormat ?? formatCompact;
  const all = o.series.flatMap((s) => s.points);
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  if (all.length === 0) {
    return frame(width, height, o.title, `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="12" fill="#6b7280">no data</text>`);
  }
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter(Number.isFinite);
  let xMin = Math.min(...xs);
  let xMax = Math.max(...xs);
  if (xMax === xMin) {
    xMin -= 1;
    xMax += 1;
  }
  const yTicks = niceTicks(Math.min(0, ...ys), Math.max(0, ...ys));
  const yMin = yTicks[0];
  const yMax = yTicks[yTicks.length - 1];
  const X = (x: number) => MARGIN.left + ((x - xMin) / (xMax - xMin)) * plotW;
  const Y = (y: number) => MARGIN.top + plotH - ((y - yMin) / (yMax - yMin || 1)) * plotH;
  let body = '';
  for (const t of yTicks) {
    body += `<line x1="${MARGIN.left}" y1="${Y(t).toFixed(1)}" x2="${MARGIN.left + plotW}" y2="${Y(t).toFixed(1)}" stroke="#e5e7eb"/>`;
    body += `<text x="${MARGIN.left - 6}" y="${(Y(t) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#4b5563">${escapeXml(yFormat(t))}</text>`;
  }
  for (const t of niceTicks(xMin, xMax, 6).filter((t) => t >= xMin && t <= xMax)) {
    body += `<line x1="${X(t).toFixed(1)}" y1="${MARGIN.top + plotH}" x2="${X(t).toFixed(1)}" y2="${MARGIN.top + plotH + 4}" stroke="#9ca3af"/>`;
    body += `<text x="${X(t).toFixed(1)}" y="${MARGIN.top + plotH + 16}" font-size="11" text-anchor="middle" fill="#4b5563">${escapeXml(xFormat(t))}</text>`;
  }
  for (const m of o.markers ?? []) {
    if (m.x < xMin || m.x > xMax) continue;
    body += `<line x1="${X(m.x).toFixed(1)}" y1="${MARGIN.top}" x2="${X(m.x).toFixed(1)}" y2="${MARGIN.top + plotH}" stroke="#9ca3af" stroke-dasharray="2 3"/>`;
    if (m.label) body += `<text x="${(X(m.x) + 3).toFixed(1)}" y="${MARGIN.top + 10}" font-size="10" fill="#6b7280">${escapeXml(m.label)}</text>`;
  }
  body += `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#6b7280"/>`;
  const colors = o.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]);
  o.series.forEach((s, i) => {
    const pts: string[] = [];
    s.points.forEach(([x, y], k) => {
      if (!Number.isFinite(y)) return;
      if (s.step && k > 0) pts.push(`${X(x).toFixed(1)},${Y(s.points[k - 1][1]).toFixed(1)}`);
      pts.push(`${X(x).toFixed(1)},${Y(y).toFixed(1)}`);
    });
    body += `<polyline fill="none" stroke="${colors[i]}" stroke-width="1.8" stroke-linejoin="round"${s.dashed ? ' stroke-dasharray="6 4"' : ''} points="${pts.join(' ')}"/>`;
    if (o.dots) for (const [x, y] of s.points) if (Number.isFinite(y)) body += `<circle cx="${X(x).toFixed(1)}" cy="${Y(y).toFixed(1)}" r="3" fill="${colors[i]}"/>`;
  });
  if (o.xLabel) body += `<text x="${MARGIN.left + plotW / 2}" y="${MARGIN.top + plotH + 32}" font-size="11" text-anchor="middle" fill="#374151">${escapeXml(o.xLabel)}</text>`;
  if (o.yLabel) body += `<text transform="translate(13 ${MARGIN.top + plotH / 2}) rotate(-90)" font-size="11" text-anchor="middle" fill="#374151">${escapeXml(o.yLabel)}</text>`;
  body += legend(o.series.map((s, i) => ({ name: s.name, color: colors[i], dashed: s.dashed })), MARGIN.left + 4, height - 8, plotW);
  return frame(width, height, o.title, body);
}

export interface BarChartOptions {
  title: string;
  categories: readonly string[];
  series: readonly { name: string; values: readonly (number | null)[]; color?: string }[];
  width?: number;
  height?: number;
  yLabel?: string;
  yFormat?: (y: number) => string;
  /** Fixed top of the axis (e.g. 1 for shares). */
  yMax?: number;
}

export function barChart(o: BarChartOptions): string {
  const width = o.width ?? 560;
  const height = o.height ?? 260;
  const yFormat = o.yFormat ?? formatCompact;
  const plotW = width - MARGIN.left - MARGIN.right;
  const plotH = height - MARGIN.top - MARGIN.bottom;
  const values = o.series.flatMap((s) => s.values).filter((v): v is number => v !== null && Number.isFinite(v));
  if (o.categories.length === 0 || values.length === 0) {
    return frame(width, height, o.title, `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="12" fill="#6b7280">no data</text>`);
  }
  const ticks = niceTicks(0, o.yMax ?? Math.max(...values, 0));
  const top = ticks[ticks.length - 1];
  const Y = (y: number) => MARGIN.top + plotH - (y / (top || 1)) * plotH;
  let body = '';
  for (const t of ticks) {
    body += `<line x1="${MARGIN.left}" y1="${Y(t).toFixed(1)}" x2="${MARGIN.left + plotW}" y2="${Y(t).toFixed(1)}" stroke="#e5e7eb"/>`;
    body += `<text x="${MARGIN.left - 6}" y="${(Y(t) + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#4b5563">${escapeXml(yFormat(t))}</text>`;
  }
  const group = plotW / o.categories.length;
  const barW = Math.max(2, Math.min(36, (group * 0.8) / o.series.length));
  const colors = o.series.map((s, i) => s.color ?? PALETTE[i % PALETTE.length]);
  const labelEvery = Math.ceil(o.categories.length / Math.max(1, Math.floor(plotW / 48)));
  o.categories.forEach((cat, c) => {
    const gx = MARGIN.left + c * group + (group - barW * o.series.length) / 2;
    o.series.forEach((s, i) => {
      const v = s.values[c];
      if (v === null || !Number.isFinite(v)) return;
      const y = Y(Math.max(0, v));
      body += `<rect x="${(gx + i * barW).toFixed(1)}" y="${y.toFixed(1)}" width="${(barW - 1).toFixed(1)}" height="${(MARGIN.top + plotH - y).toFixed(1)}" fill="${colors[i]}"><title>${escapeXml(`${cat} · ${s.name}: ${yFormat(v)}`)}</title></rect>`;
    });
    if (c % labelEvery === 0)
      body += `<text x="${(MARGIN.left + c * group + group / 2).toFixed(1)}" y="${MARGIN.top + plotH + 16}" font-size="11" text-anchor="middle" fill="#4b5563">${escapeXml(cat)}</text>`;
  });
  body += `<line x1="${MARGIN.left}" y1="${MARGIN.top + plotH}" x2="${MARGIN.left + plotW}" y2="${MARGIN.top + plotH}" stroke="#6b7280"/>`;
  if (o.yLabel) body += `<text transform="translate(13 ${MARGIN.top + plotH / 2}) rotate(-90)" font-size="11" text-anchor="middle" fill="#374151">${escapeXml(o.yLabel)}</text>`;
  if (o.series.length > 1 || o.series[0].name) body += legend(o.series.map((s, i) => ({ name: s.name, color: colors[i] })), MARGIN.left + 4, height - 8, plotW);
  return frame(width, height, o.title, body);
}

export interface HeatmapOptions {
  title: string;
  xLabels: readonly string[];
  yLabels: readonly string[];
  /** values[y][x]; null for a missing combination. */
  values: readonly (readonly (number | null)[])[];
  xTitle?: string;
  yTitle?: string;
  format?: (v: number) => string;
  /** Whether high values are good (green) or bad (red). */
  higherIsBetter?: boolean;
  width?: number;
  height?: number;
}

/** Linear blend from red through amber to green, t in [0, 1] (1 = good). */
function goodness(t: number): string {
  const stops = [
    [220, 38, 38],
    [245, 158, 11],
    [22, 163, 74],
  ];
  const x = Math.max(0, Math.min(1, t)) * 2;
  const i = Math.min(1, Math.floor(x));
  const f = x - i;
  const c = stops[i].map((v, k) => Math.round(v + (stops[i + 1][k] - v) * f));
  return `rgb(${c[0]},${c[1]},${c[2]})`;
}

export function heatmap(o: HeatmapOptions): string {
  const width = o.width ?? 420;
  const height = o.height ?? 300;
  const format = o.format ?? formatCompact;
  const left = 70;
  const top = 40;
  const bottom = 44;
  const plotW = width - left - 16;
  const plotH = height - top - bottom;
  const cw = plotW / Math.max(1, o.xLabels.length);
  const ch = plotH / Math.max(1, o.yLabels.length);
  const finite = o.values.flat().filter((v): v is number => v !== null && Number.isFinite(v));
  const lo = Math.min(...finite);
  const hi = Math.max(...finite);
  let body = '';
  o.yLabels.forEach((yl, r) => {
    // Row 0 at the bottom, like a plot's y axis.
    const y = top + plotH - (r + 1) * ch;
    body += `<text x="${left - 8}" y="${(y + ch / 2 + 4).toFixed(1)}" font-size="11" text-anchor="end" fill="#374151">${escapeXml(yl)}</text>`;
    o.xLabels.forEach((_, c) => {
      const v = o.values[r]?.[c] ?? null;
      const x = left + c * cw;
      const t = v === null || !Number.isFinite(v) || hi === lo ? 0.5 : (v - lo) / (hi - lo);
      const fill = v === null || !Number.isFinite(v) ? '#f3f4f6' : goodness(o.higherIsBetter === false ? 1 - t : t);
      body += `<rect x="${x.toFixed(1)}" y="${y.toFixed(1)}" width="${(cw - 2).toFixed(1)}" height="${(ch - 2).toFixed(1)}" fill="${fill}" rx="3"/>`;
      body += `<text x="${(x + cw / 2 - 1).toFixed(1)}" y="${(y + ch / 2 + 4).toFixed(1)}" font-size="12" font-weight="600" text-anchor="middle" fill="${v === null ? '#9ca3af' : '#fff'}">${escapeXml(v === null || !Number.isFinite(v) ? '–' : format(v))}</text>`;
    });
  });
  o.xLabels.forEach((xl, c) => {
    body += `<text x="${(left + c * cw + cw / 2).toFixed(1)}" y="${top + plotH + 16}" font-size="11" text-anchor="middle" fill="#374151">${escapeXml(xl)}</text>`;
  });
  if (o.xTitle) body += `<text x="${left + plotW / 2}" y="${height - 8}" font-size="11" text-anchor="middle" fill="#374151">${escapeXml(o.xTitle)}</text>`;
  if (o.yTitle) body += `<text transform="translate(13 ${top + plotH / 2}) rotate(-90)" font-size="11" text-anchor="middle" fill="#374151">${escapeXml(o.yTitle)}</text>`;
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(o.title)}" ${FONT}>` +
    `<rect width="${width}" height="${height}" fill="#fff"/><text x="${left}" y="22" font-size="14" font-weight="600" fill="#111827">${escapeXml(o.title)}</text>${body}</svg>`
  );
}

export interface GanttRow {
  label: string;
  /** The slice's data window. */
  window: [number, number];
  /** When its activities ran (absent if it never started). */
  run?: [number, number];
  deadline: number;
  state: string;
  deadlineMet?: boolean;
}

/** The slice timeline: each slice's window, when its work ran, and its deadline. */
export function sliceTimeline(o: { title: string; rows: readonly GanttRow[]; origin: number; width?: number }): string {
  const width = o.width ?? 1120;
  const rowH = 22;
  const height = 86 + o.rows.length * rowH;
  const left = 80;
  const plotW = width - left - 20;
  const tMax = Math.max(...o.rows.flatMap((r) => [r.window[1], r.run?.[1] ?? 0, r.deadline])) - o.origin;
  const ticks = niceTicks(0, tMax / 60_000, 8);
  const X = (t: number) => left + ((t - o.origin) / 60_000 / ticks[ticks.length - 1]) * plotW;
  let body = '';
  for (const t of ticks) {
    const x = left + (t / ticks[ticks.length - 1]) * plotW;
    body += `<line x1="${x.toFixed(1)}" y1="34" x2="${x.toFixed(1)}" y2="${height - 46}" stroke="#e5e7eb"/>`;
    body += `<text x="${x.toFixed(1)}" y="${height - 32}" font-size="11" text-anchor="middle" fill="#4b5563">${t} min</text>`;
  }
  o.rows.forEach((r, i) => {
    const y = 38 + i * rowH;
    body += `<text x="${left - 8}" y="${y + 13}" font-size="11" text-anchor="end" fill="#374151">${escapeXml(r.label)}</text>`;
    body += `<rect x="${X(r.window[0]).toFixed(1)}" y="${y + 3}" width="${Math.max(1, X(r.window[1]) - X(r.window[0])).toFixed(1)}" height="${rowH - 8}" fill="#dbeafe" rx="2"><title>data window</title></rect>`;
    if (r.run) {
      const color = r.state === 'Failed' ? '#dc2626' : r.deadlineMet === false ? '#ea580c' : '#16a34a';
      body += `<rect x="${X(r.run[0]).toFixed(1)}" y="${y + 6}" width="${Math.max(2, X(r.run[1]) - X(r.run[0])).toFixed(1)}" height="${rowH - 14}" fill="${color}" rx="2"><title>${escapeXml(`${r.state}${r.deadlineMet === false ? ', deadline missed' : ''}`)}</title></rect>`;
    }
    body += `<line x1="${X(r.deadline).toFixed(1)}" y1="${y + 1}" x2="${X(r.deadline).toFixed(1)}" y2="${y + rowH - 3}" stroke="#111827" stroke-width="2"/>`;
  });
  body += legend(
    [
      { name: 'data window', color: '#93c5fd' },
      { name: 'ETL + scoring (met)', color: '#16a34a' },
      { name: 'missed deadline', color: '#ea580c' },
      { name: 'failed', color: '#dc2626' },
      { name: 'deadline', color: '#111827' },
    ],
    left,
    height - 8,
    plotW,
  );
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeXml(o.title)}" ${FONT}>` +
    `<rect width="${width}" height="${height}" fill="#fff"/><text x="${left}" y="22" font-size="14" font-weight="600" fill="#111827">${escapeXml(o.title)}</text>${body}</svg>`
  );
}

/** Horizontal bars with the value printed at the end: for few items with long names (cost lines). */
export function horizontalBars(o: { title: string; items: readonly { label: string; value: number }[]; format?: (v: number) => string; width?: number }): string {
  const width = o.width ?? 560;
  const format = o.format ?? formatCompact;
  const rowH = 30;
  const height = Math.max(120, 50 + o.items.length * rowH);
  // Room for the longest label (≈ 6.3 px per character at 11.5 px), at most 45 % of the width; longer
  // labels are shortened with an ellipsis (the full text is in the cost table and the tooltip).
  const maxChars = Math.floor((width * 0.45) / 6.3);
  const longest = Math.max(0, ...o.items.map((i) => Math.min(i.label.length, maxChars)));
  const left = Math.max(80, Math.round(longest * 6.3) + 14);
  const plotW = width - left - 90;
  const max = Math.max(0, ...o.items.map((i) => i.value));
  let body = '';
  if (o.items.length === 0) body = `<text x="${width / 2}" y="${height / 2}" text-anchor="middle" font-size="12" fill="#6b7280">no data</text>`;
  o.items.forEach((item, k) => {
    const y = 40 + k * rowH;
    const w = max > 0 ? (Math.max(0, item.value) / max) * plotW : 0;
    const label = item.label.length > maxChars ? `${item.label.slice(0, maxChars - 1)}…` : item.label;
    body += `<text x="${left - 8}" y="${y + 15}" font-size="11.5" text-anchor="end" fill="#374151">${escapeXml(label)}<title>${escapeXml(item.label)}</title></text>`;
    body += `<rect x="${left}" y="${y + 3}" width="${Math.max(1, w).toFixed(1)}" height="${rowH - 10}" fill="${PALETTE[6]}" rx="2"/>`;
    body += `<text x="${(left + w + 6).toFixed(1)}" y="${y + 15}" font-size="11.5" fill="#111827">${escapeXml(format(item.value))}</text>`;
  });
  return frame(width, height, o.title, body);
}
