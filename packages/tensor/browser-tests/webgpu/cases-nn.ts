/**
 * @selfnorm/nn on the WebGPU device, unchanged: a Sequential of Linear and SELU layers with cross-entropy,
 * forward and backward, built with the GPU as the default device, agrees with the same model on the CPU
 * (nn's initializers draw on the host, so both start from the same weights). nn's optimizers are not
 * covered: they update typed arrays, which a GPU tensor does not have.
 */
import * as nn from '../../../nn/src/index';
import * as T from '../../src/index';
import type { Check } from './harness';

async function run(device: string) {
  const previous = T.setDefaultDevice(device);
  try {
    const rng = new T.Rng(3);
    const model = new nn.Sequential(
      new nn.Linear(20, 17, { rng }),
      new nn.SELU(),
      new nn.Linear(17, 17, { rng }),
      new nn.SELU(),
      new nn.Linear(17, 4, { rng }),
    );
    const x = T.tensor(
      new Float32Array(8 * 20).map((_, i) => Math.sin(i)),
      { shape: [8, 20], device },
    );
    const loss = nn.crossEntropy(model.forward(x), [0, 1, 2, 3, 0, 1, 2, 3]);
    loss.backward();
    const params = model.parameters();
    return {
      devices: params.map((p) => p.device.name),
      loss: await loss.read(),
      grads: await Promise.all(params.map((p) => p.grad!.read())),
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
  c.close('loss', gpu.loss, cpu.loss, 1e-6, 0);
  cpu.grads.forEach((g, i) => {
    c.close(`gradient of parameter ${i}`, gpu.grads[i], g, 1e-5, 1e-6);
  });
}
