/** Training-loop cases: the W2a-shaped loop on both places, and GPU memory over 1,000 steps. */

import { cpu } from '../../src/devices/cpu';
import type { WebGPUDevice } from '../../src/devices/webgpu/device';
import { Rng } from '../../src/random';
import type { Check } from './harness';
import { batch, initWeights, type Place, trainStep, W2A } from './mlp';

const cpuPlace: Place = {
  kernels: cpu.kernels,
  alloc: (n) => new Float32Array(n),
  upload: (a) => a.slice(),
  free: () => {},
  read: async (b) => (b as Float32Array).slice(),
};

function gpuPlace(dev: WebGPUDevice): Place {
  return {
    kernels: dev.kernels,
    alloc: (n, zeroed = false) => dev.allocate('float32', n, zeroed),
    upload: (a) => dev.upload(a),
    free: (b) => dev.destroy(b),
    read: (b) => dev.read(b) as Promise<Float32Array>,
  };
}

/** Runs `steps` SGD steps and returns the losses. */
async function losses(
  p: Place,
  widths: number[],
  steps: number,
  bsz: number,
  readEvery = 1,
): Promise<number[]> {
  const params = initWeights(widths, 42).map((w) => p.upload(w));
  const rng = new Rng(99);
  const out: number[] = [];
  for (let i = 0; i < steps; i++) {
    const [x, y] = batch(rng, bsz, widths[0], widths[widths.length - 1]);
    const xb = p.upload(x);
    const yb = p.upload(y);
    const loss = trainStep(p, widths, params, xb, yb, bsz, 0.01);
    if ((i + 1) % readEvery === 0 || i === steps - 1) out.push((await p.read(loss))[0]);
    for (const b of [xb, yb, loss]) p.free(b);
  }
  for (const b of params) p.free(b);
  return out;
}

export const TRAINING_CASES: Record<string, (c: Check) => Promise<void>> = {
  'W2a loop (784 → 8×512 SELU → 10, batch 128, SGD): 50 steps, losses agree within 1e-4 relative': async (
    c,
  ) => {
    const steps = 50;
    const gpu = await losses(gpuPlace(c.dev), W2A, steps, 128);
    const cpu = await losses(cpuPlace, W2A, steps, 128);
    c.close('losses step by step', gpu, cpu, 1e-4, 0);
    c.expect(cpu[steps - 1] < cpu[0], `the CPU loss fell: ${cpu[0]} → ${cpu[steps - 1]}`);
  },
  '1,000 training steps leave GPU memory flat (bytes allocated)': async (c) => {
    const widths = [20, 16, 16, 16, 4];
    const dev = c.dev;
    await losses(gpuPlace(dev), widths, 3, 8); // warm the pool
    await dev.sync();
    const before = dev.memoryStats();
    const l = await losses(gpuPlace(dev), widths, 1000, 8, 100);
    const after = dev.memoryStats();
    c.expect(l.every(Number.isFinite), `finite losses: ${l.join(', ')}`);
    c.expect(
      after.bytesCreated === before.bytesCreated,
      `1,000 steps created ${after.bytesCreated - before.bytesCreated} new bytes`,
    );
    c.expect(
      after.bytesInUse === before.bytesInUse,
      `bytes in use ${before.bytesInUse} → ${after.bytesInUse}`,
    );
  },
};
