/**
 * Charts as inline SVG drawn here (no library): horizontal bars, one group per category, one bar
 * per series. Each chart is an image with a title and a description for screen readers, and the
 * same numbers are given as a table next to it.
 */
import { h, svg, uid } from './dom.js';
import { t } from './i18n.js';
import { table } from './ui.js';

export interface Series {
  name: string;
  values: number[];
}

const BAR = 18;
const GAP = 6;
const GROUP_GAP = 14;
const LABEL_W = 260;
const CHART_W = 720;

/** Cuts a label to fit the label column (the full text stays in the bar's <title>). */
function truncateLabel(label: string, max = 38): string {
  return label.length > max ? `${label.slice(0, max - 1)}…` : label;
}

export function barChart(title: string, description: string, categories: string[], series: Series[]): HTMLElement {
  const titleId = uid('chart-title');
  const descId = uid('chart-desc');
  // Whole-number ticks: up to four steps, the axis rounded up to a multiple of them.
  const top = Math.max(1, ...series.flatMap((s) => s.values));
  const steps = Math.min(4, top);
  const max = Math.ceil(top / steps) * steps;
  const groupH = series.length * (BAR + GAP) - GAP;
  const legendH = series.length > 1 ? 28 : 0;
  const height = legendH + categories.length * (groupH + GROUP_GAP) + 24;
  const plotW = CHART_W - LABEL_W - 60;
  const scale = (v: number) => (v / max) * plotW;

  const root = svg('svg', { viewBox: `0 0 ${CHART_W} ${Math.max(height, 60)}`, role: 'img', 'aria-labelledby': `${titleId} ${descId}`, class: 'chart', width: '100%' });
  root.append(svg('title', { id: titleId }, title), svg('desc', { id: descId }, description));

  if (series.length > 1) {
    series.forEach((s, i) => {
      const x = LABEL_W + i * 200;
      root.append(svg('rect', { x, y: 6, width: 14, height: 14, class: `bar bar-${i}` }), svg('text', { x: x + 20, y: 18, class: 'legend' }, s.name));
    });
  }
  // Grid lines at each tick.
  for (let q = 0; q <= steps; q++) {
    const x = LABEL_W + (plotW * q) / steps;
    const value = (max * q) / steps;
    root.append(
      svg('line', { x1: x, x2: x, y1: legendH, y2: height - 20, class: 'grid' }),
      svg('text', { x, y: height - 6, class: 'axis', 'text-anchor': 'middle' }, String(value)),
    );
  }
  categories.forEach((cat, ci) => {
    const y0 = legendH + ci * (groupH + GROUP_GAP);
    root.append(svg('text', { x: LABEL_W - 8, y: y0 + groupH / 2 + 5, class: 'label', 'text-anchor': 'end' }, truncateLabel(cat)));
    series.forEach((s, si) => {
      const v = s.values[ci] ?? 0;
      const y = y0 + si * (BAR + GAP);
      const w = Math.max(v > 0 ? 2 : 0, scale(v));
      root.append(
        svg('rect', { x: LABEL_W, y, width: w, height: BAR, class: `bar bar-${si}` }, svg('title', null, `${cat} — ${s.name}: ${v}`)),
        svg('text', { x: LABEL_W + w + 6, y: y + BAR - 4, class: 'value' }, String(v)),
      );
    });
  });

  const data = table(
    title,
    ['', ...series.map((s) => s.name)],
    categories.map((c, i) => [c, ...series.map((s) => String(s.values[i] ?? 0))]),
  );
  const details = h('details', { class: 'chart-data' }, h('summary', null, t('chart.data')), data);
  return h('figure', { class: 'chart-figure' }, root, h('figcaption', null, description), details);
}
