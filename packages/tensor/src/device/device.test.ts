import { describe, expect, it } from 'vitest';
import { cpu } from '../devices/cpu';
import * as T from '../index';
import type { Device } from './device';
import { deviceNames, getDefaultDevice, getDevice, registerDevice, setDefaultDevice } from './registry';

/**
 * A second device for these tests: the CPU's own kernels behind buffers that cannot be read synchronously,
 * as a GPU's cannot. Everything above the seam must work on it through kernels and async reads alone.
 */
class Boxed {
  constructor(readonly array: Float32Array | Float64Array) {}
  get length() {
    return this.array.length;
  }
}
const un = (b: unknown) => (b as Boxed).array;
const kernels = new Proxy(cpu.kernels, {
  get(target, name: keyof typeof cpu.kernels) {
    const kernel = target[name] as (...args: unknown[]) => unknown;
    return (...args: unknown[]) =>
      kernel(
        ...args.map((a) =>
          a instanceof Boxed
            ? a.array
            : Array.isArray(a)
              ? a.map((p) => (p instanceof Boxed ? p.array : p))
              : a,
        ),
      );
  },
});
const boxed: Device = {
  name: 'boxed',
  dtypes: ['float32'],
  gcManaged: true,
  syncReads: false,
  allocate: (dtype, size) => new Boxed(dtype === 'float64' ? new Float64Array(size) : new Float32Array(size)),
  dtypeOf: (b) => (un(b) instanceof Float64Array ? 'float64' : 'float32'),
  upload: (data) => new Boxed(data.slice()),
  read: async (b) => un(b).slice(),
  readSync() {
    throw new Error('boxed: no synchronous reads');
  },
  destroy() {},
  kernels,
};
registerDevice(boxed);

describe('devices', () => {
  it('tensors live on the CPU unless asked; getDevice finds devices by name and lists them when it cannot', () => {
    expect(T.tensor([1, 2]).device).toBe(cpu);
    expect(getDevice('cpu')).toBe(cpu);
    expect(getDevice(cpu)).toBe(cpu);
    expect(deviceNames()).toContain('boxed');
    expect(() => getDevice('webgpu')).toThrow(/no device 'webgpu'; available: 'cpu', 'boxed'.*initWebGPU/);
    expect(() => registerDevice({ ...boxed })).toThrow(/a different device named 'boxed'/);
  });

  it('the default device is explicit: setDefaultDevice returns the previous one, per-call options win', () => {
    const previous = setDefaultDevice('boxed');
    try {
      expect(getDefaultDevice()).toBe(boxed);
      expect(T.zeros([2]).device).toBe(boxed);
      expect(T.zeros([2], { device: 'cpu' }).device).toBe(cpu);
    } finally {
      setDefaultDevice(previous);
    }
    expect(T.zeros([2]).device).toBe(cpu);
  });

  it('a device without synchronous reads refuses .data, toArray and item, naming the async methods', async () => {
    const x = T.tensor([1, 2, 3], { device: 'boxed' });
    expect(() => x.data).toThrow(/lives on 'boxed'.*await t\.read\(\).*toArrayAsync/);
    expect(() => x.toArray()).toThrow(/await t\.read\(\)/);
    expect(() => T.tensor([4], { device: boxed }).item()).toThrow(/await t\.read\(\)/);
    expect(Array.from(await x.read())).toEqual([1, 2, 3]);
    expect(await x.toArrayAsync()).toEqual([1, 2, 3]);
    expect(String(x)).toBe('tensor(<await read()>, shape=[3], dtype=float32, device=boxed)');
    expect(await T.tensor([1, 2], { device: 'cpu' }).toArrayAsync()).toEqual([1, 2]);
  });

  it('ops on tensors of two devices are an error naming both; a dtype the device lacks is refused', () => {
    const a = T.ones([2], { device: 'boxed' });
    const b = T.ones([2]);
    expect(() => T.add(a, b)).toThrow(/add: the tensors are on different devices, 'boxed' and 'cpu'/);
    expect(() => T.matmul(T.ones([2, 2]), T.ones([2, 2], { device: boxed }))).toThrow(/different devices/);
    expect(() => T.zeros([2], { dtype: 'float64', device: 'boxed' })).toThrow(
      /'boxed' holds float32 tensors, not float64; float64 tensors stay on the CPU/,
    );
    expect(() => T.ones([2], { dtype: 'float64' }).to('boxed')).toThrow(/not float64/);
  });

  it('to() copies a tensor to a device, cut from the graph; toAsync() brings it home', async () => {
    const x = T.tensor([1, -2, 3], { requiresGrad: true });
    expect(x.to('cpu')).toBe(x);
    const y = x.to('boxed');
    expect(y.device).toBe(boxed);
    expect(() => y.to('cpu')).toThrow(/must wait for its values; use `await t.toAsync\('cpu'\)`/);
    const back = await T.selu(y).toAsync('cpu');
    expect(back.device).toBe(cpu);
    expect(back.toArray()).toEqual(T.selu(T.tensor([1, -2, 3])).toArray());
    // A copy cut from the graph, like detach().
    expect(y.requiresGrad).toBe(false);
    expect(y.isLeaf).toBe(true);
  });

  it('assign copies a CPU tensor into a tensor on another device (as loadStateDict does)', async () => {
    const target = T.zeros([2, 3], { device: 'boxed' });
    T.assign(
      target,
      T.tensor([
        [1, 2, 3],
        [4, 5, 6],
      ]),
    );
    expect(await target.toArrayAsync()).toEqual([
      [1, 2, 3],
      [4, 5, 6],
    ]);
    T.assign(target, T.tensor([7, 8, 9], { dtype: 'float64' }));
    expect(await target.toArrayAsync()).toEqual([
      [7, 8, 9],
      [7, 8, 9],
    ]);
  });

  it('a training step runs on a device without synchronous reads and matches the CPU bit for bit', async () => {
    const rng = new T.Rng(3);
    const w0 = T.randn([5, 4], { rng });
    const x0 = T.randn([8, 5], { rng });
    const step = async (device: Device) => {
      const w = T.tensor(await w0.read(), { shape: w0.shape, device, requiresGrad: true });
      const x = x0.to(device);
      const h = T.selu(T.matmul(x, w));
      const loss = T.mean(T.mul(T.logSoftmax(h, 1), -1).max(1));
      loss.backward();
      return { loss: await loss.read(), grad: await (w.grad as T.Tensor).read(), device: w.grad?.device };
    };
    const onCpu = await step(cpu);
    const onBoxed = await step(boxed);
    expect(onBoxed.device).toBe(boxed);
    expect(onBoxed.loss).toEqual(onCpu.loss);
    expect(onBoxed.grad).toEqual(onCpu.grad);
  });
});
