import * as vega from 'vega';

/** A point of a line chart. */
export interface ChartPoint {
  x: number;
  y: number;
  series: string;
}

/** How one series is drawn. */
export interface SeriesStyle {
  width?: number;
  opacity?: number;
  dash?: number[];
  points?: boolean;
}

/** A line chart: one line per series. */
export interface LineChart {
  title: string;
  xTitle: string;
  yTitle: string;
  points: ChartPoint[];
  /** 'log' draws only y > 0; 'auto' picks log when the positive values span more than 30×. */
  yScale?: 'linear' | 'log' | 'auto';
  /**
   * Colour: 'category' for named series; 'layers' for numbered ones (layers 1..n): ten distinct
   * categorical colours, then the same colours dashed, then dotted, with a legend entry per layer.
   */
  color?: 'category' | 'layers';
  /** Series order for the legend and colours. */
  order?: string[];
  styles?: Record<string, SeriesStyle>;
  /** A dashed horizontal reference line (e.g. 0 for means, 1 for variances). */
  refY?: number;
  yDomain?: [number, number];
  /** Integer ticks on x (layer numbers, epochs of short runs). */
  xIntegers?: boolean;
  width?: number;
  height?: number;
}

/**
 * Renders a line chart to a static SVG string with Vega, headless (no DOM, no canvas, no network).
 * Source: Vega 6 (vega.github.io), `new View(parse(spec), { renderer: 'none' }).toSVG()`.
 *
 * @example
 * const svg = await renderLineChart({ title: 'loss', xTitle: 'epoch', yTitle: 'loss',
 *   points: [{ x: 1, y: 0.3, series: 'train' }, { x: 2, y: 0.2, series: 'train' }] });
 */
export async function renderLineChart(chart: LineChart): Promise<string> {
  const spec = lineChartSpec(chart);
  const view = new vega.View(vega.parse(spec), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

/** The Vega spec behind {@link renderLineChart} (exposed for tests). */
export function lineChartSpec(chart: LineChart): vega.Spec {
  const finite = chart.points.filter((p) => Number.isFinite(p.x) && Number.isFinite(p.y));
  const positive = finite.filter((p) => p.y > 0);
  let log = chart.yScale === 'log';
  if (chart.yScale === 'auto' && positive.length === finite.length && positive.length > 0) {
    const ys = positive.map((p) => p.y);
    log = Math.max(...ys) / Math.min(...ys) > 30;
  }
  const shown = log ? positive : finite;
  const order = chart.order ?? [...new Set(shown.map((p) => p.series))];
  const values = shown.map((p) => {
    const s = chart.styles?.[p.series] ?? {};
    return { ...p, n: Number(p.series), w: s.width ?? 2, o: s.opacity ?? 1, d: s.dash ?? [] };
  });
  const withPoints = order.filter((s) => chart.styles?.[s]?.points);
  const layers = chart.color === 'layers';
  const colorScale: vega.Scale = layers
    ? { name: 'color', type: 'ordinal', domain: order, range: order.map((_, i) => LAYER_COLORS[i % 10]) }
    : { name: 'color', type: 'ordinal', domain: order, range: 'category' };
  const dashScale: vega.Scale = {
    name: 'dash',
    type: 'ordinal',
    domain: order,
    range: order.map((_, i) => LAYER_DASHES[Math.floor(i / 10) % LAYER_DASHES.length]),
  };
  const colorField = 'series';
  const huge = shown.some((p) => Math.abs(p.y) >= 1e5);
  const yScale: vega.Scale = {
    name: 'y',
    type: log ? 'log' : 'linear',
    domain: chart.yDomain ?? yDomainWithRef(shown, chart.refY, log) ?? { data: 't', field: 'y' },
    range: 'height',
    nice: true,
    zero: false,
  };
  const marks: vega.Mark[] = [
    {
      type: 'group',
      from: { facet: { name: 's', data: 't', groupby: 'series' } },
      marks: [
        {
          type: 'line',
          from: { data: 's' },
          sort: { field: 'datum.x' },
          encode: {
            enter: {
              x: { scale: 'x', field: 'x' },
              y: { scale: 'y', field: 'y' },
              stroke: { scale: 'color', field: colorField },
              strokeWidth: { field: 'w' },
              strokeOpacity: { field: 'o' },
              strokeDash: layers ? { scale: 'dash', field: 'series' } : { field: 'd' },
            },
          },
        },
      ],
    },
  ];
  if (withPoints.length) {
    marks.push({
      type: 'symbol',
      from: { data: 'pts' },
      encode: {
        enter: {
          x: { scale: 'x', field: 'x' },
          y: { scale: 'y', field: 'y' },
          fill: { scale: 'color', field: colorField },
          size: { value: 30 },
        },
      },
    });
  }
  if (chart.refY !== undefined && (!log || chart.refY > 0)) {
    marks.unshift({
      type: 'rule',
      encode: {
        enter: {
          x: { value: 0 },
          x2: { signal: 'width' },
          y: { scale: 'y', value: chart.refY },
          stroke: { value: '#888' },
          strokeDash: { value: [4, 4] },
        },
      },
    });
  }
  return {
    $schema: 'https://vega.github.io/schema/vega/v6.json',
    width: chart.width ?? 520,
    height: chart.height ?? 260,
    padding: 8,
    background: 'white',
    title: { text: chart.title, anchor: 'start', fontSize: 14 },
    data: [
      { name: 't', values },
      {
        name: 'pts',
        source: 't',
        transform: [{ type: 'filter', expr: `indexof(${JSON.stringify(withPoints)}, datum.series) >= 0` }],
      },
    ],
    scales: [
      {
        name: 'x',
        type: 'linear',
        domain: { data: 't', field: 'x' },
        range: 'width',
        zero: false,
        nice: !chart.xIntegers,
      },
      yScale,
      colorScale,
      ...(layers ? [dashScale] : []),
    ],
    axes: [
      {
        orient: 'bottom',
        scale: 'x',
        title: chart.xTitle,
        grid: true,
        gridOpacity: 0.3,
        ...(chart.xIntegers ? { format: 'd', tickMinStep: 1 } : {}),
      },
      {
        orient: 'left',
        scale: 'y',
        title: chart.yTitle + (log ? ' (log scale)' : ''),
        grid: true,
        gridOpacity: 0.3,
        // Huge values (a variance of 2·10⁷) get short labels ("2e+7") instead of "20,000,000".
        ...(huge ? { format: '.3~g' } : {}),
      },
    ],
    legends: layers
      ? [
          {
            stroke: 'color',
            strokeDash: 'dash',
            title: 'layer',
            symbolType: 'stroke',
            orient: 'right',
            columns: Math.ceil(order.length / 16),
          },
        ]
      : [{ stroke: 'color', title: '', symbolType: 'stroke', orient: 'right', labelLimit: 260 }],
    marks,
  } as vega.Spec;
}

/** A y domain that also shows the reference line (undefined: let Vega take the data's extent). */
function yDomainWithRef(
  points: ChartPoint[],
  refY: number | undefined,
  log: boolean,
): [number, number] | undefined {
  if (refY === undefined || points.length === 0 || (log && refY <= 0)) return undefined;
  let lo = refY;
  let hi = refY;
  for (const p of points) {
    lo = Math.min(lo, p.y);
    hi = Math.max(hi, p.y);
  }
  return lo === hi ? [lo - 1, hi + 1] : [lo, hi];
}

/** Vega's tableau10: ten colours told apart at a glance (layer 4 and layer 8 are teal and brown). */
export const LAYER_COLORS = [
  '#4c78a8',
  '#f58518',
  '#e45756',
  '#72b7b2',
  '#54a24b',
  '#eeca3b',
  '#b279a2',
  '#ff9da6',
  '#9d755d',
  '#bab0ac',
] as const;
/** Layers 1–10 solid, 11–20 dashed, 21–30 dotted (then again). */
const LAYER_DASHES: number[][] = [[], [6, 3], [2, 2]];
