/**
 * The `'webgpu'` device: float32 storage in GPU buffers and the seam's kernel set in WGSL. Kernels record
 * into a command encoder and return at once; `read` is the only wait. float64 stays on the CPU.
 */
import type { Device, DeviceBuffer, Kernels } from '../../device/device';
import type { DType, TypedArray } from '../../dtype';
import type { GpuDeviceHandle } from './gpu-types';
import { batchNorm, batchNormBackward } from './kernels-batch-norm';
import {
  avgPool2d,
  avgPool2dBackward,
  conv2d,
  conv2dBackInput,
  conv2dBackWeight,
  maxPool2d,
} from './kernels-conv';
import {
  addStrided,
  arange,
  axpy,
  binary,
  copy,
  fill,
  maskedAffine,
  selu,
  seluGrad,
  unary,
  where,
} from './kernels-elementwise';
import { concat, gather } from './kernels-gather';
import { matmul } from './kernels-matmul';
import { adamStep, sgdStep } from './kernels-optim';
import { random } from './kernels-random';
import { argReduce, reduce } from './kernels-reduce';
import { GpuRuntime, type WebGPUBuffer, type WebGPUMemoryStats } from './runtime';

/** A `Device` on WebGPU, with the runtime's extras: memory counters, `flush`, `sync`. */
export interface WebGPUDevice extends Device {
  readonly name: 'webgpu';
  /** Submits queued kernels without waiting. */
  flush(): void;
  /** Resolves once every queued kernel has run. */
  sync(): Promise<void>;
  /** Byte counters of this device's buffers. */
  memoryStats(): WebGPUMemoryStats;
  /** Destroys the pooled (free) buffers. */
  trimPool(): void;
  /** The runtime (pipelines, pool, encoder), for tests and the benchmark. */
  readonly runtime: GpuRuntime;
}

function float64Error(where: string): Error {
  return new TypeError(
    `webgpu ${where}: float64 tensors stay on the CPU (WebGPU has no float64); cast to float32 first (t.cast('float32')) or keep the tensor on 'cpu'`,
  );
}

/** The buffer as this device's, or a TypeError naming the kernel. */
function own(b: DeviceBuffer, kernel: string): WebGPUBuffer {
  const g = b as Partial<WebGPUBuffer>;
  if (g.buffer === undefined || g.dtype !== 'float32') {
    throw new TypeError(
      `webgpu ${kernel}: got a buffer of another device (${Object.prototype.toString.call(b)}); move the tensor with t.to('webgpu') first`,
    );
  }
  if (g.released)
    throw new Error(`webgpu ${kernel}: a buffer was used after it was destroyed (a disposed tensor)`);
  return b as WebGPUBuffer;
}

/** Builds the kernel table over one runtime. */
function makeKernels(rt: GpuRuntime): Kernels {
  return {
    unary: (op, x, out) => unary(rt, op, own(x, op), own(out, op)),
    binary: (op, a, as, b, bs, out, shape) =>
      binary(rt, op, own(a, op), as, own(b, op), bs, own(out, op), shape),
    where: (c, cs, a, as, b, bs, out, shape) =>
      where(rt, own(c, 'where'), cs, own(a, 'where'), as, own(b, 'where'), bs, own(out, 'where'), shape),
    reduce: (op, x, shape, axes, out) => reduce(rt, op, own(x, op), shape, axes, own(out, op)),
    argReduce: (x, shape, axis, sign, out) =>
      argReduce(rt, own(x, 'argReduce'), shape, axis, sign, own(out, 'argReduce')),
    matmul: (a, b, out, batch, m, n, k, tA, tB) =>
      matmul(rt, own(a, 'matmul'), own(b, 'matmul'), own(out, 'matmul'), batch, m, n, k, tA, tB),
    selu: (x, y) => selu(rt, own(x, 'selu'), own(y, 'selu')),
    seluGrad: (g, y, dx) => seluGrad(rt, own(g, 'seluGrad'), own(y, 'seluGrad'), own(dx, 'seluGrad')),
    maskedAffine: (x, u, k, out, scale) =>
      maskedAffine(
        rt,
        own(x, 'maskedAffine'),
        own(u, 'maskedAffine'),
        k,
        own(out, 'maskedAffine'),
        own(scale, 'maskedAffine'),
      ),
    copy: (x, offset, strides, out, shape) =>
      copy(rt, own(x, 'copy'), offset, strides, own(out, 'copy'), shape),
    addStrided: (src, shape, out, offset, strides) =>
      addStrided(rt, own(src, 'addStrided'), shape, own(out, 'addStrided'), offset, strides),
    gather: (x, index, out, outer, len, idxLen, inner, scatter, op) =>
      gather(rt, own(x, op), own(index, op), own(out, op), outer, len, idxLen, inner, scatter),
    concat: (parts, lens, out, outer, inner) =>
      concat(
        rt,
        parts.map((p) => own(p, 'concat')),
        lens,
        own(out, 'concat'),
        outer,
        inner,
      ),
    cast: (x, out) => rt.copyBuffer(own(x, 'cast'), own(out, 'cast'), out.length),
    fill: (out, value) => {
      const o = own(out, 'fill');
      if (value === 0 && !Object.is(value, -0)) rt.clear(o);
      else fill(rt, o, value);
    },
    arange: (out, start, step) => arange(rt, own(out, 'arange'), start, step),
    random: (out, kind, rng, low, high) => random(rt, own(out, 'random'), kind, rng, low, high),
    axpy: (alpha, x, y) => axpy(rt, alpha, own(x, 'axpy'), own(y, 'axpy')),
    sgdStep: (param, grad, mom, h) =>
      sgdStep(rt, own(param, 'sgdStep'), own(grad, 'sgdStep'), mom && own(mom, 'sgdStep'), h),
    adamStep: (param, grad, m, v, vMax, h) =>
      adamStep(
        rt,
        own(param, 'adamStep'),
        own(grad, 'adamStep'),
        own(m, 'adamStep'),
        own(v, 'adamStep'),
        vMax && own(vMax, 'adamStep'),
        h,
      ),
    conv2d: (x, w, out, g) => conv2d(rt, own(x, 'conv2d'), own(w, 'conv2d'), own(out, 'conv2d'), g),
    conv2dBackInput: (gy, w, dx, g) =>
      conv2dBackInput(
        rt,
        own(gy, 'conv2dBackInput'),
        own(w, 'conv2dBackInput'),
        own(dx, 'conv2dBackInput'),
        g,
      ),
    conv2dBackWeight: (x, gy, dw, g) =>
      conv2dBackWeight(
        rt,
        own(x, 'conv2dBackWeight'),
        own(gy, 'conv2dBackWeight'),
        own(dw, 'conv2dBackWeight'),
        g,
      ),
    maxPool2d: (x, out, argmax, g) =>
      maxPool2d(rt, own(x, 'maxPool2d'), own(out, 'maxPool2d'), own(argmax, 'maxPool2d'), g),
    avgPool2d: (x, out, g, pad) => avgPool2d(rt, own(x, 'avgPool2d'), own(out, 'avgPool2d'), g, pad),
    batchNorm: (x, w, b, out, mean, variance, outer, channels, inner, eps) =>
      batchNorm(
        rt,
        own(x, 'batchNorm'),
        w && own(w, 'batchNorm'),
        b && own(b, 'batchNorm'),
        own(out, 'batchNorm'),
        own(mean, 'batchNorm'),
        own(variance, 'batchNorm'),
        outer,
        channels,
        inner,
        eps,
      ),
    batchNormBackward: (g, x, w, mean, variance, dx, dw, db, outer, channels, inner, eps) =>
      batchNormBackward(
        rt,
        own(g, 'batchNormBackward'),
        own(x, 'batchNormBackward'),
        w && own(w, 'batchNormBackward'),
        own(mean, 'batchNormBackward'),
        own(variance, 'batchNormBackward'),
        own(dx, 'batchNormBackward'),
        dw && own(dw, 'batchNormBackward'),
        db && own(db, 'batchNormBackward'),
        outer,
        channels,
        inner,
        eps,
      ),
    avgPool2dBackward: (gy, dx, g, pad) =>
      avgPool2dBackward(rt, own(gy, 'avgPool2dBackward'), own(dx, 'avgPool2dBackward'), g, pad),
  };
}

/**
 * A WebGPU device over a GPUDevice the caller obtained (`initWebGPU()` does this for you).
 * @example const dev = createWebGPUDevice(await (await navigator.gpu.requestAdapter()).requestDevice());
 */
export function createWebGPUDevice(gpu: GpuDeviceHandle): WebGPUDevice {
  const rt = new GpuRuntime(gpu);
  const g = gpu as unknown as {
    addEventListener?: (t: string, f: (e: { error: { message: string } }) => void) => void;
  };
  g.addEventListener?.('uncapturederror', (e) => {
    rt.error ??= e.error.message;
  });
  return {
    name: 'webgpu',
    dtypes: ['float32'],
    syncReads: false,
    gcManaged: false,
    runtime: rt,
    allocate(dtype: DType, size: number, zeroed: boolean) {
      if (dtype !== 'float32') throw float64Error('allocate');
      return rt.allocate(size, zeroed);
    },
    dtypeOf(buffer: DeviceBuffer): DType {
      own(buffer, 'dtypeOf');
      return 'float32';
    },
    upload(data: TypedArray) {
      if (!(data instanceof Float32Array)) throw float64Error('upload');
      return rt.upload(data);
    },
    read: (buffer: DeviceBuffer) => rt.read(own(buffer, 'read')),
    readSync(): TypedArray {
      throw new Error(
        "webgpu: a tensor on the GPU cannot be read synchronously (.data, toArray(), item()); use `await t.read()` or `await t.toArrayAsync()`, or move it with t.to('cpu')",
      );
    },
    destroy: (buffer: DeviceBuffer) => rt.release(buffer as WebGPUBuffer),
    kernels: makeKernels(rt),
    flush: () => rt.flush(),
    sync: () => rt.sync(),
    memoryStats: () => ({ ...rt.stats }),
    trimPool: () => rt.trimPool(),
  };
}
