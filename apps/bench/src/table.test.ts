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
  it('counts only the JavaScript peers, never PyTorch, unless asked for other peers', () => {
    const f = fig(true, { selfnorm: 30, 'jax-wasm': 20, pytorch: 90, 'pytorch-1t': 60 });
    expect(ratioToBestPeer(f)).toBe(1.5);
    expect(ratioToBestPeer(f, ['pytorch-1t'])).toBe(0.5);
    expect(ratioToBestPeer(fig(true, { selfnorm: 30, 'pytorch-1t': 60 }))).toBeNull();
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
  it('adds selfnorm ÷ pytorch-1t when pytorch-1t runs, and shows "not installed" for a missing torch', () => {
    const rows = (notes = {}) =>
      formatTable(
        [
          fig(true, { selfnorm: 65, 'jax-wasm': 26, 'pytorch-1t': 100 }),
          fig(false, { selfnorm: 2, 'jax-wasm': 14 }),
        ],
        ['selfnorm', 'jax-wasm', 'pytorch-1t'],
        notes,
      )
        .split('\n')
        .map((l) =>
          l
            .split('|')
            .slice(1, -1)
            .map((c) => c.trim()),
        );
    const t = rows();
    expect(t[0]).toEqual([
      'workload',
      'unit',
      'selfnorm',
      'jax-wasm',
      'pytorch-1t',
      'selfnorm ÷ best peer',
      'selfnorm ÷ pytorch-1t',
    ]);
    expect(t[2].slice(2)).toEqual(['65.0', '26.0', '100', '2.50×', '0.65×']);
    expect(t[3].slice(2)).toEqual(['2.00', '14.0', '—', '7.00×', '—']);
    const missing = rows({ 'pytorch-1t': 'not installed' });
    expect(missing[3].slice(2)).toEqual(['2.00', '14.0', 'not installed', '7.00×', '—']);
    // A note never hides a figure that is there.
    expect(missing[2][4]).toBe('100');
  });
  it('formats numbers to three significant digits', () => {
    expect([formatNumber(0.8912), formatNumber(56.74), formatNumber(undefined)]).toEqual([
      '0.891',
      '56.7',
      '—',
    ]);
  });
});
