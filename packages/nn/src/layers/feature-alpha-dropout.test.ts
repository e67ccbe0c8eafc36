import { full, Rng, randn, zeros } from '@selfnorm/tensor';
import { describe, expect, it } from 'vitest';
import { SELU_ALPHA, SELU_LAMBDA } from '../selu';
import { AlphaDropout } from './alpha-dropout';
import { FeatureAlphaDropout } from './feature-alpha-dropout';

describe('FeatureAlphaDropout', () => {
  it("uses AlphaDropout's −λα and a, b", () => {
    const f = new FeatureAlphaDropout({ rate: 0.1, rng: new Rng(0) });
    const a = new AlphaDropout({ rate: 0.1, rng: new Rng(0) });
    expect([f.alphaPrime, f.a, f.b]).toEqual([-SELU_LAMBDA * SELU_ALPHA, a.a, a.b]);
  });

  it("gives torch 1.13's values: F.feature_alpha_dropout(p=0.3) on float64 ones and zeros", () => {
    // The two values each output takes in torch (kept, dropped), printed with 17 digits by Python.
    for (const [input, kept] of [
      [1, 1.315044684383419],
      [0, 0.4540920681370629],
    ]) {
      const layer = new FeatureAlphaDropout({ rate: 0.3, rng: new Rng(8) });
      const y = layer.forward(full([100, 50, 2, 2], input, { dtype: 'float64' })).data;
      const values = [...new Set(y)].sort((a, b) => a - b);
      expect(values).toHaveLength(2);
      expect(values[0]).toBeCloseTo(-1.0595481589864801, 14);
      expect(values[1]).toBeCloseTo(kept, 14);
    }
  });

  it('drops whole channels: every (sample, channel) is all-dropped or all-kept, at the rate', () => {
    const layer = new FeatureAlphaDropout({ rate: 0.2, rng: new Rng(3) });
    const [n, c, hw] = [200, 100, 6];
    const y = layer.forward(zeros([n, c, 2, 3], { dtype: 'float64' })).data;
    const dropped = layer.a * layer.alphaPrime + layer.b;
    let droppedChannels = 0;
    let bad = 0;
    for (let ch = 0; ch < n * c; ch++) {
      const values = y.subarray(ch * hw, (ch + 1) * hw);
      const first = values[0];
      if (!(Math.abs(first - dropped) < 1e-12 || Math.abs(first - layer.b) < 1e-12)) bad++;
      if (values.some((v) => v !== first)) bad++; // one mask value for the whole channel
      if (Math.abs(first - dropped) < 1e-12) droppedChannels++;
    }
    expect(bad).toBe(0);
    // 2·10⁴ channel draws: the dropped fraction has standard error √(0.2·0.8/2·10⁴) ≈ 0.0028; 5 of them.
    expect(Math.abs(droppedChannels / (n * c) - 0.2)).toBeLessThan(0.014);
  });

  // [400, 50, 8, 8]: 1.28·10⁶ values but only 2·10⁴ channel draws, which set the error. At rate 0.2 the sample mean
  // has a standard error of about 0.0045 and the sample variance about 0.0021; the bounds are 5 of them. A +λα sign
  // error would shift the mean by more than 0.3.
  for (const rate of [0.05, 0.2]) {
    it(`keeps mean 0 and variance 1 on standard-normal [N, C, H, W] inputs at rate ${rate}`, () => {
      const rng = new Rng(99);
      const x = randn([400, 50, 8, 8], { rng: rng.split(), dtype: 'float64' });
      const y = new FeatureAlphaDropout({ rate, rng }).forward(x).data;
      let s = 0;
      for (const v of y) s += v;
      const mean = s / y.length;
      let q = 0;
      for (const v of y) q += (v - mean) ** 2;
      expect(Math.abs(mean)).toBeLessThan(0.023);
      expect(Math.abs(q / y.length - 1)).toBeLessThan(0.011);
    });
  }

  it('its gradient is a on kept channels and 0 on dropped ones', () => {
    const layer = new FeatureAlphaDropout({ rate: 0.5, rng: new Rng(4) });
    const x = randn([3, 4, 5], { rng: new Rng(5), dtype: 'float64', requiresGrad: true });
    const y = layer.forward(x);
    y.sum().backward();
    const g = x.grad!.data;
    const out = y.data;
    const dropped = layer.a * layer.alphaPrime + layer.b;
    for (let i = 0; i < g.length; i++) {
      expect(g[i]).toBeCloseTo(Math.abs(out[i] - dropped) < 1e-12 ? 0 : layer.a, 12);
    }
  });

  it('is the identity in eval mode and at rate 0', () => {
    const x = randn([2, 3, 4], { rng: new Rng(6) });
    expect(new FeatureAlphaDropout({ rate: 0.3, rng: new Rng(0) }).eval().forward(x)).toBe(x);
    expect(new FeatureAlphaDropout({ rate: 0, rng: new Rng(0) }).forward(x)).toBe(x);
  });

  it('refuses bad options and an input of rank < 2, naming the layer', () => {
    expect(() => new FeatureAlphaDropout({ rate: 1, rng: new Rng(0) })).toThrow(
      'FeatureAlphaDropout: rate is the drop probability and must be in [0, 1), got 1',
    );
    expect(() => new FeatureAlphaDropout({ rate: 0.1 } as never)).toThrow(
      'FeatureAlphaDropout: pass a seeded generator',
    );
    expect(() => new FeatureAlphaDropout({ rate: 0.1, rng: new Rng(0), noiseShape: [1] } as never)).toThrow(
      'FeatureAlphaDropout: takes no noiseShape',
    );
    const layer = new FeatureAlphaDropout({ rate: 0.1, rng: new Rng(0) });
    expect(() => layer.forward(randn([5], { rng: new Rng(0) }))).toThrow(
      'FeatureAlphaDropout: expected an input [N, C, ...] of rank 2 or more, got shape [5]',
    );
    expect(() => layer.forward(7 as never)).toThrow('FeatureAlphaDropout.forward: input must be a Tensor');
    expect(layer.extraRepr()).toBe('rate=0.1');
  });
});
