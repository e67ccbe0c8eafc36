import { describe, expect, it } from 'vitest';
import { jaxWasm } from './frameworks/jax';
import { selfnorm } from './frameworks/selfnorm';
import { tfjs } from './frameworks/tfjs';
import type { Framework } from './frameworks/types';
import { CNN_SPEC, type CnnSpec, cnnData } from './workloads';

/** W4's network, narrower and on a smaller batch, so that the slowest peer runs it in seconds. */
const SMALL: CnnSpec = { ...CNN_SPEC, channels: [4, 8], hidden: 16, batch: 8, lr: 0.05 };

/** The losses of the first two steps: the same network, data and SGD update gives the same numbers. */
async function twoLosses(fw: Framework): Promise<number[]> {
  const step = fw.cnnStep(SMALL, cnnData(SMALL));
  const losses = [Number(await step.run()), Number(await step.run())];
  step.dispose();
  return losses;
}

describe('W4 is the same CNN on every framework (no timing)', () => {
  it('selfnorm, TF.js (cpu) and jax-js (wasm) give the same losses before and after one SGD step', async () => {
    const own = await twoLosses(selfnorm);
    expect(own[0]).toBeGreaterThan(1);
    expect(Math.abs(own[1] - own[0])).toBeGreaterThan(1e-3);
    for (const peer of [await tfjs('cpu'), await jaxWasm()]) {
      const theirs = await twoLosses(peer);
      expect(theirs[0]).toBeCloseTo(own[0], 4);
      expect(theirs[1]).toBeCloseTo(own[1], 4);
    }
  }, 120_000);
});
