/**
 * The result table: one row per figure, one column per framework, selfnorm's ratio to the best JavaScript
 * peer and, where PyTorch on one thread ran, to it.
 */
import { type FrameworkId, JS_PEERS } from './args';

/** One measured quantity on every framework that ran it. */
export interface Figure {
  workload: string;
  /** What was measured, e.g. `n=1024 Aᵀ·B`. */
  label: string;
  unit: string;
  /** True for rates (GFLOP/s, samples/s); false for costs (ns/element, MB). */
  higherIsBetter: boolean;
  values: Partial<Record<FrameworkId, number>>;
}

/**
 * selfnorm against the best of `peers` (by default the JavaScript peers: neither selfnorm's own variants nor
 * PyTorch count), oriented so that > 1 means ahead: selfnorm ÷ max(peers) for rates, min(peers) ÷ selfnorm
 * for costs. Null if either side is missing.
 * @example ratioToBestPeer({ ..., higherIsBetter: true, values: { selfnorm: 50, 'jax-wasm': 25 } }) // 2
 */
export function ratioToBestPeer(fig: Figure, peers: readonly FrameworkId[] = JS_PEERS): number | null {
  const own = fig.values.selfnorm;
  const values = peers
    .map((id) => fig.values[id])
    .filter((v): v is number => v !== undefined && Number.isFinite(v));
  if (own === undefined || !Number.isFinite(own) || values.length === 0) return null;
  return fig.higherIsBetter ? own / Math.max(...values) : Math.min(...values) / own;
}

/** A figure with 3 significant digits (thousands grouped), e.g. 1,234 or 56.7 or 0.891. */
export function formatNumber(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return x.toPrecision(3);
}

/**
 * The figures as a Markdown table (pasteable into docs/BENCHMARKS.md). A framework in `notes` (e.g.
 * `{ pytorch: 'not installed' }`) shows its note where it has no figure. With `pytorch-1t` among the
 * frameworks, a last column gives selfnorm ÷ pytorch-1t (the targets of issue 18).
 * @example console.log(formatTable(figures, ['selfnorm', 'tfjs-wasm']));
 */
export function formatTable(
  figures: readonly Figure[],
  frameworks: readonly FrameworkId[],
  notes: Partial<Record<FrameworkId, string>> = {},
): string {
  const vsTorch = frameworks.includes('pytorch-1t');
  const header = ['workload', 'unit', ...frameworks, 'selfnorm ÷ best peer'];
  if (vsTorch) header.push('selfnorm ÷ pytorch-1t');
  const ratio = (r: number | null) => (r === null ? '—' : `${r.toFixed(2)}×`);
  const rows = figures.map((f) => {
    const cells = [
      `${f.workload} ${f.label}`,
      `${f.unit} (${f.higherIsBetter ? '↑' : '↓'})`,
      ...frameworks.map((id) =>
        f.values[id] === undefined && notes[id] ? (notes[id] as string) : formatNumber(f.values[id]),
      ),
      ratio(ratioToBestPeer(f)),
    ];
    if (vsTorch) cells.push(ratio(ratioToBestPeer(f, ['pytorch-1t'])));
    return cells;
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
