/**
 * @selfnorm/nn on the WebGPU device, unchanged: a Sequential of Linear and SELU layers with cross-entropy,
 * built with the GPU as the default device, trained three steps with SGD (momentum) and three with Adam,
 * agrees with the same model on the CPU, loss by loss and weight by weight (nn's initializers draw on the
 * host, so both start from the same weights). NOTE: nn's initializers compute in float64 with tensor ops on the
 * default device, which the GPU refuses; the weights are therefore drawn on the CPU (an `init` that moves
 * them), the rest is built with 'webgpu' as the default device.
 */
import * as nn from '../../../nn/src/index';
import * as T from '../../src/index';
import type { Check } from './harness';

async function run(device: string) {
  const previous = T.setDefaultDevice(device);
  try {
    const rng = new T.Rng(3);
    const lecun = nn.lecunNormal({ rng });
    const init: nn.Initializer = (shape, context) => {
      const onCpu = T.setDefaultDevice('cpu');
      try {
        return lecun(shape, context).to(device);
      } finally {
        T.setDefaultDevice(onCpu);
      }
    };
    const model = new nn.Sequential(
      new nn.Linear(20, 17, { init }),
      new nn.SELU(),
      new nn.Linear(17, 17, { init }),
      new nn.SELU(),
      new nn.Linear(17, 4, { init }),
    );
    const x = T.tensor(
      new Float32Array(8 * 20).map((_, i) => Math.sin(i)),
      { shape: [8, 20], device },
    );
    const params = model.parameters();
    const losses: number[] = [];
    let grads: Float32Array[] = [];
    for (const opt of [
      new nn.SGD(params, { lr: 0.05, momentum: 0.9 }),
      new nn.Adam(params, { lr: 1e-3, weightDecay: 0.01 }),
    ]) {
      for (let step = 0; step < 3; step++) {
        opt.zeroGrad();
        const loss = nn.crossEntropy(model.forward(x), [0, 1, 2, 3, 0, 1, 2, 3]);
        loss.backward();
        if (grads.length === 0)
          grads = (await Promise.all(params.map((p) => p.grad!.read()))) as Float32Array[];
        opt.step();
        losses.push((await loss.read())[0]);
      }
    }
    return {
      devices: params.map((p) => p.device.name),
      losses,
      grads,
      weights: (await Promise.all(params.map((p) => p.read()))) as Float32Array[],
    };
  } finally {
    T.setDefaultDevice(previous);
  }
}

/** The nn case. */
export async function nnForwardBackward(c: Check): Promise<void> {
  const cpu = await run('cpu');
  const gpu = await run('webgpu');
  c.expect(
    gpu.devices.every((d) => d === 'webgpu'),
    `parameters live on ${gpu.devices}`,
  );
  c.close('losses (3 SGD steps, 3 Adam steps)', gpu.losses, cpu.losses, 1e-5, 0);
  cpu.grads.forEach((g, i) => {
    c.close(`first gradient of parameter ${i}`, gpu.grads[i], g, 1e-5, 1e-6);
  });
  cpu.weights.forEach((w, i) => {
    // Adam's m/√v step is ±lr for any gradient far above eps, so a float32 wobble in a tiny gradient moves
    // a weight by up to lr (1e-3): the absolute tolerance is a tenth of it.
    c.close(`parameter ${i} after the six steps`, gpu.weights[i], w, 1e-5, 1e-4);
  });
}
