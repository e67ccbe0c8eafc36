import { describe, expect, it } from 'vitest';
import { type Figure, formatNumber, formatTable, ratioToBestPeer } from './table';

const fig = (higherIsBetter: boolean, values: Figure['values']): Figure => ({
  workload: 'W1',
  label: 'n=256 A·B',
  unit: higherIsBetter ? 'GFLOP/s' : 'ns/element',
  higherIsBetter,
  values,
});

describe('ratioToBestPeer', () => {
  it('divides selfnorm by the fastest peer for rates', () => {
    expect(ratioToBestPeer(fig(true, { selfnorm: 60, 'tfjs-wasm': 30, 'jax-wasm': 24 }))).toBe(2);
  });
  it('divides the cheapest peer by selfnorm for costs', () => {
    expect(ratioToBestPeer(fig(false, { selfnorm: 4, 'tfjs-cpu': 113, 'jax-wasm': 14 }))).toBe(3.5);
  });
  it("does not count selfnorm's own variants as peers", () => {
    expect(ratioToBestPeer(fig(true, { selfnorm: 30, 'selfnorm-1t': 60, 'jax-wasm': 20 }))).toBe(1.5);
  });
  it('is null without selfnorm or without a peer', () => {
    expect(ratioToBestPeer(fig(true, { 'jax-wasm': 24 }))).toBeNull();
    expect(ratioToBestPeer(fig(true, { selfnorm: 24 }))).toBeNull();
  });
});

describe('formatTable', () => {
  it('prints one aligned Markdown row per figure, dashes for missing values, and the ratio', () => {
    const text = formatTable(
      [fig(true, { selfnorm: 1234.5, 'jax-wasm': 617.25 }), fig(false, { selfnorm: 2 })],
      ['selfnorm', 'tfjs-cpu', 'jax-wasm'],
    );
    const lines = text.split('\n');
    expect(lines).toHaveLength(4);
    expect(new Set(lines.map((l) => l.length)).size).toBe(1);
    expect(lines[0]).toMatch(
      /^\| workload +\| unit +\| selfnorm \| tfjs-cpu \| jax-wasm \| selfnorm ÷ best peer \|$/,
    );
    const cells = (line: string) =>
      line
        .split('|')
        .slice(1, -1)
        .map((c) => c.trim());
    expect(cells(lines[2])).toEqual(['W1 n=256 A·B', 'GFLOP/s (↑)', '1,235', '—', '617', '2.00×']);
    expect(cells(lines[3])).toEqual(['W1 n=256 A·B', 'ns/element (↓)', '2.00', '—', '—', '—']);
  });
  it('formats numbers to three significant digits', () => {
    expect([formatNumber(0.8912), formatNumber(56.74), formatNumber(undefined)]).toEqual([
      '0.891',
      '56.7',
      '—',
    ]);
  });
});
