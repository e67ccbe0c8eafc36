import { describe, expect, it } from 'vitest';
import { type ChartPoint, LAYER_COLORS, lineChartSpec, renderLineChart } from './charts.ts';

const layerPoints = (layers: number, yOf: (layer: number, x: number) => number): ChartPoint[] =>
  Array.from({ length: layers }, (_, l) =>
    [0, 1, 2, 3].map((x) => ({ x, y: yOf(l + 1, x), series: String(l + 1) })),
  ).flat();

/** The text of every <text> element of an SVG. */
const texts = (svg: string) => [...svg.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);

describe('renderLineChart: layers', () => {
  it('gives every layer its own colour (or dash) and a legend entry', async () => {
    const spec = lineChartSpec({
      title: 't',
      xTitle: 'epoch',
      yTitle: 'variance',
      color: 'layers',
      points: layerPoints(12, (l, x) => 1 + l * x),
    }) as unknown as { scales: { name: string; range: unknown[] }[]; legends: Record<string, unknown>[] };
    const color = spec.scales.find((s) => s.name === 'color')!.range as string[];
    const dash = spec.scales.find((s) => s.name === 'dash')!.range as number[][];
    expect(color[3]).not.toBe(color[7]); // layer 4 and layer 8
    expect(new Set(color.slice(0, 10)).size).toBe(10);
    expect(color[10]).toBe(LAYER_COLORS[0]); // layer 11: layer 1's colour, dashed
    expect(dash[0]).toEqual([]);
    expect(dash[10]).toEqual([6, 3]);
    expect(spec.legends[0]).toMatchObject({ stroke: 'color', strokeDash: 'dash', title: 'layer' });
    const svg = await renderLineChart({
      title: 't',
      xTitle: 'epoch',
      yTitle: 'variance',
      color: 'layers',
      points: layerPoints(8, (l, x) => 1 + l * x),
    });
    for (let l = 1; l <= 8; l++) expect(texts(svg)).toContain(String(l));
  });

  it('labels huge values briefly and gives integer epochs integer ticks', async () => {
    const svg = await renderLineChart({
      title: 't',
      xTitle: 'epoch',
      yTitle: 'variance',
      xIntegers: true,
      points: [0, 1, 2, 3].map((x) => ({ x, y: 1 + 2.2e7 * x, series: 'a' })),
    });
    const labels = texts(svg);
    expect(labels.some((t) => t.includes('e+7'))).toBe(true);
    expect(labels.every((t) => t.length <= 8)).toBe(true);
    const x = lineChartSpec({
      title: 't',
      xTitle: 'epoch',
      yTitle: 'y',
      xIntegers: true,
      points: [1, 2, 3].map((e) => ({ x: e, y: e, series: 'a' })),
    }) as unknown as { axes: Record<string, unknown>[] };
    expect(x.axes[0]).toMatchObject({ format: 'd', tickMinStep: 1 });
    const svg2 = await renderLineChart({
      title: 't',
      xTitle: 'epoch',
      yTitle: 'y',
      xIntegers: true,
      points: [1, 2].map((e) => ({ x: e, y: 100 * e, series: 'a' })),
    });
    // Vega's default ticks for [1, 2] are 1.0, 1.2, …, 2.0; an epoch axis shows 1 and 2 only.
    expect(texts(svg2).filter((t) => t.includes('.'))).toEqual([]);
    expect(texts(svg2)).toEqual(expect.arrayContaining(['1', '2']));
  });
});
