/** The result table: one row per figure, one column per framework, and selfnorm's ratio to the best peer. */
import type { FrameworkId } from './args';

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
 * selfnorm against the best peer (selfnorm's own variants are not peers), oriented so that > 1 means ahead:
 * selfnorm ÷ max(peers) for rates, min(peers) ÷ selfnorm for costs. Null if either side is missing.
 * @example ratioToBestPeer({ ..., higherIsBetter: true, values: { selfnorm: 50, 'jax-wasm': 25 } }) // 2
 */
export function ratioToBestPeer(fig: Figure): number | null {
  const own = fig.values.selfnorm;
  const peers = Object.entries(fig.values)
    .filter(([id, v]) => !id.startsWith('selfnorm') && v !== undefined && Number.isFinite(v))
    .map(([, v]) => v as number);
  if (own === undefined || !Number.isFinite(own) || peers.length === 0) return null;
  return fig.higherIsBetter ? own / Math.max(...peers) : Math.min(...peers) / own;
}

/** A figure with 3 significant digits (thousands grouped), e.g. 1,234 or 56.7 or 0.891. */
export function formatNumber(x: number | undefined): string {
  if (x === undefined || !Number.isFinite(x)) return '—';
  if (Math.abs(x) >= 100) return Math.round(x).toLocaleString('en-US');
  return x.toPrecision(3);
}

/**
 * The figures as a Markdown table (pasteable into docs/BENCHMARKS.md).
 * @example console.log(formatTable(figures, ['selfnorm', 'tfjs-wasm']));
 */
export function formatTable(figures: readonly Figure[], frameworks: readonly FrameworkId[]): string {
  const header = ['workload', 'unit', ...frameworks, 'selfnorm ÷ best peer'];
  const rows = figures.map((f) => {
    const r = ratioToBestPeer(f);
    return [
      `${f.workload} ${f.label}`,
      `${f.unit} (${f.higherIsBetter ? '↑' : '↓'})`,
      ...frameworks.map((id) => formatNumber(f.values[id])),
      r === null ? '—' : `${r.toFixed(2)}×`,
    ];
  });
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i].length)));
  const line = (cells: string[]) =>
    `| ${cells.map((c, i) => (i < 2 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join(' | ')} |`;
  const rule = `|${widths.map((w, i) => (i < 2 ? `${'-'.repeat(w + 1)}-` : `${'-'.repeat(w + 1)}:`)).join('|')}|`;
  return [line(header), rule, ...rows.map(line)].join('\n');
}
