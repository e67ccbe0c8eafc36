/** Runs one kernel call on the WebGPU device and on the CPU device from the same inputs, and compares. */
import type { DeviceBuffer, Kernels } from '../../src/device/device';
import { cpu } from '../../src/devices/cpu';
import type { WebGPUDevice } from '../../src/devices/webgpu/device';
import { Rng } from '../../src/random';

/** What one case found: its failures (empty when it passed) and how many values it compared. */
export interface CaseResult {
  failures: string[];
  compared: number;
}

/** A case's context: the device and a seeded generator, and the result it fills in. */
export class Check {
  readonly failures: string[] = [];
  compared = 0;
  readonly rng = new Rng(1234);
  constructor(readonly dev: WebGPUDevice) {}

  /** n values uniform in [lo, hi). */
  values(n: number, lo = -3, hi = 3): Float32Array {
    const a = new Float32Array(n);
    for (let i = 0; i < n; i++) a[i] = lo + (hi - lo) * this.rng.uniform();
    return a;
  }

  /**
   * Runs `call` on both: `inputs` are read, `outputs` give the outputs' initial contents (zeros for a plain
   * output). Returns the GPU's and the CPU's outputs.
   */
  async both(
    inputs: Float32Array[],
    outputs: Float32Array[],
    call: (k: Omit<Kernels, 'random'>, bufs: DeviceBuffer[]) => void,
  ): Promise<{ gpu: Float32Array[]; cpu: Float32Array[] }> {
    const cpuBufs = [...inputs, ...outputs].map((a) => a.slice());
    call(cpu.kernels, cpuBufs);
    const gpuBufs = [...inputs, ...outputs].map((a) => this.dev.upload(a));
    call(this.dev.kernels, gpuBufs);
    const gpu = await Promise.all(
      gpuBufs.slice(inputs.length).map((b) => this.dev.read(b) as Promise<Float32Array>),
    );
    for (const b of gpuBufs) this.dev.destroy(b);
    return { gpu, cpu: cpuBufs.slice(inputs.length) };
  }

  /** Records a failure where |gpu − cpu| > atol + rtol·|cpu| (NaN must match NaN). */
  close(label: string, gpu: ArrayLike<number>, cpu: ArrayLike<number>, rtol = 1e-5, atol = 1e-6): void {
    if (gpu.length !== cpu.length) {
      this.failures.push(`${label}: length ${gpu.length} vs ${cpu.length}`);
      return;
    }
    let worst = -1;
    let worstErr = 0;
    let bad = 0;
    for (let i = 0; i < cpu.length; i++) {
      const g = gpu[i];
      const c = cpu[i];
      this.compared++;
      if (Number.isNaN(c) && Number.isNaN(g)) continue;
      if (c === g) continue;
      const err = Math.abs(g - c);
      if (!(err <= atol + rtol * Math.abs(c))) {
        bad++;
        if (!(err <= worstErr)) {
          worstErr = err;
          worst = i;
        }
      }
    }
    if (bad > 0)
      this.failures.push(
        `${label}: ${bad}/${cpu.length} differ, worst at ${worst}: gpu ${gpu[worst]} vs cpu ${cpu[worst]}`,
      );
  }

  /** Records a failure unless `ok`. */
  expect(ok: boolean, message: string): void {
    this.compared++;
    if (!ok) this.failures.push(message);
  }

  result(): CaseResult {
    return { failures: this.failures, compared: this.compared };
  }
}

/** The odd sizes every kernel is checked on. */
export const SIZES = [1, 3, 17, 129, 1000];

/** Row-major contiguous strides. */
export function contiguousStrides(shape: readonly number[]): number[] {
  const s = new Array<number>(shape.length);
  let acc = 1;
  for (let d = shape.length - 1; d >= 0; d--) {
    s[d] = acc;
    acc *= shape[d];
  }
  return s;
}

/** Broadcast strides of `shape` read as `outShape` (0 along broadcast axes, leading axes added). */
export function broadcastStrides(shape: readonly number[], outShape: readonly number[]): number[] {
  const c = contiguousStrides(shape);
  const off = outShape.length - shape.length;
  return outShape.map((_, d) => (d < off || shape[d - off] === 1 ? 0 : c[d - off]));
}

/** Element count. */
export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}
