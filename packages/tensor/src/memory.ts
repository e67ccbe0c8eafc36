/**
 * The one home of memory: allocation and the pool of reusable buffers, who saves a tensor, who owns a
 * gradient, and disposal. Every buffer of every device goes through here.
 *
 * THE RULE. A buffer is reused (pooled, or freed on a device that frees explicitly) only when nothing can
 * read it any more: it was allocated here, exactly one tensor wraps it (no `reshape`/`detach` view and no
 * `new Tensor` over the same buffer), that tensor was disposed, and no unfreed node of the graph saves the
 * tensor (`savedBy` is 0). (A buffer nothing references any more is the collector's on the CPU, and the
 * device's own business on a GPU, which reclaims it through its buffer handles.)
 * A node counts itself in the `savedBy` of its output, its inputs and what else its VJP reads when it is
 * recorded (`save`), and counts down when the backward pass frees it (`unsave`); the last count down
 * releases a tensor whose `dispose()` came earlier. A gradient a VJP has just created is `owned` (nothing
 * else references it), so the engine may keep it as a leaf's `.grad` without a copy, or dispose it once the
 * next VJP has consumed it; adopting it, or handing it to the caller, withdraws the mark.
 *
 * Why a pool: a fresh multi-megabyte typed array costs more than the kernel that fills it (its pages fault
 * on first touch). The pool here is for devices whose buffers the garbage collector frees (the CPU); a device
 * that frees explicitly (a GPU) pools its own buffers behind `destroy`, which also has to wait for queued work,
 * and reclaims a buffer nothing references any more itself.
 */
import type { Device, DeviceBuffer } from './device/device';
import type { DType } from './dtype';
import type { Tensor } from './tensor';
import { unwatch, watchCount } from './versions';

/** Buffers of fewer elements than this are never pooled: the allocator serves small arrays well. */
export const POOL_MIN_ELEMENTS = 1 << 14;

const BYTES: Record<DType, number> = { float32: 4, float64: 8 };

/** Buffers allocated here (large enough to pool) and not yet wrapped by a tensor. */
const unclaimed = new WeakSet<DeviceBuffer>();
/** Buffers wrapped by exactly one tensor: the only ones a `dispose()` can give back. */
const sole = new WeakSet<DeviceBuffer>();

/** Free buffers per device, by dtype and length. */
const pools = new Map<Device, Map<string, DeviceBuffer[]>>();
const stats = { arrays: 0, bytes: 0, reused: 0, returned: 0 };
let limitBytes = 64 * 1024 * 1024;

/**
 * A buffer of `size` elements of `dtype` on `device`: zeroed, unless `zeroed` is false (for a kernel that
 * writes every element). Large buffers come from the pool when one of the same dtype and length is free.
 */
export function allocate(device: Device, dtype: DType, size: number, zeroed = true): DeviceBuffer {
  if (size < POOL_MIN_ELEMENTS && device.gcManaged) return device.allocate(dtype, size, zeroed);
  let out = device.gcManaged ? pools.get(device)?.get(`${dtype}:${size}`)?.pop() : undefined;
  if (out) {
    stats.arrays--;
    stats.bytes -= size * BYTES[dtype];
    stats.reused++;
    if (zeroed) device.kernels.fill(out, 0);
  } else {
    out = device.allocate(dtype, size, zeroed);
  }
  unclaimed.add(out);
  return out;
}

/** The Tensor constructor: the first tensor to wrap a pooled allocation is its sole owner. */
export function claim(t: Tensor): void {
  const buffer = t.buffer;
  if (buffer.length < POOL_MIN_ELEMENTS && t.device.gcManaged) return;
  if (unclaimed.delete(buffer)) sole.add(buffer);
  else sole.delete(buffer); // a second tensor over the same buffer: it can never be given back
}

/**
 * A released tensor's buffer, if it is the sole tensor over it: back to its device at once (a GPU pools it
 * there), or, on the CPU, into the pool here when there is room.
 */
function giveBack(device: Device, buffer: DeviceBuffer): void {
  if (!sole.delete(buffer)) return;
  const dtype = device.dtypeOf(buffer);
  const bytes = buffer.length * BYTES[dtype];
  if (!device.gcManaged || stats.bytes + bytes > limitBytes || buffer.length < POOL_MIN_ELEMENTS) {
    device.destroy(buffer);
    return;
  }
  let pool = pools.get(device);
  if (!pool) pools.set(device, (pool = new Map()));
  const key = `${dtype}:${buffer.length}`;
  const bucket = pool.get(key);
  if (bucket) bucket.push(buffer);
  else pool.set(key, [buffer]);
  stats.arrays++;
  stats.bytes += bytes;
  stats.returned++;
}

/** Tensors that `dispose()` was called on. */
const disposedTensors = new WeakSet<Tensor>();

const DISPOSED =
  'Tensor: this tensor was disposed (dispose() gave its storage back for reuse) and cannot be used; ' +
  'dispose a tensor only when nothing reads it any more, or clone() what you keep';

/** `Tensor.dispose()`: released now if no unfreed node saves it, else by the last `unsave`. */
export function dispose(t: Tensor): void {
  if (disposedTensors.has(t)) return;
  disposedTensors.add(t);
  if (t.savedBy === 0) release(t);
}

/** Whether `dispose()` was called on `t`. */
export function isDisposed(t: Tensor): boolean {
  return disposedTensors.has(t);
}

/** A disposed tensor that nothing saved by the graph reads: poison it and give its buffer back. */
function release(t: Tensor): void {
  const { buffer, device } = t;
  Object.defineProperty(t, 'buffer', {
    get() {
      throw new Error(DISPOSED);
    },
  });
  giveBack(device, buffer);
}

/** A node of the graph saves `t` (its output, an input, or a tensor its VJP reads). */
export function save(t: Tensor): void {
  t.savedBy++;
}

/** The engine freed a node that saved `t`: once no node saves it, a disposed `t` is released. */
export function unsave(t: Tensor): void {
  if (--t.savedBy !== 0) return;
  if (watchCount() > 0) unwatch(t.buffer);
  if (disposedTensors.has(t)) release(t);
}

/** Gradients whose buffer is new and referenced by that tensor alone (see `owned`). */
const ownedTensors = new WeakSet<Tensor>();

/**
 * Declares that `t`'s buffer was just allocated and nothing else references it, so the engine may make it
 * a leaf's `.grad` without the defensive copy. Only for tensors a VJP (or the engine) has just created.
 * Returns `t`.
 */
export function owned(t: Tensor): Tensor {
  ownedTensors.add(t);
  return t;
}

/** Whether `t` was declared `owned` (and not since adopted as a .grad or handed to the caller). */
export function isOwned(t: Tensor): boolean {
  return ownedTensors.has(t);
}

/** Withdraws `owned`: the tensor is now referenced from more than one place. */
export function disown(t: Tensor): void {
  ownedTensors.delete(t);
}

/** The pool of disposed storage: what it holds now, its limit, and how often it was used. */
export interface StoragePoolStats {
  /** Buffers held for reuse, on every device. */
  arrays: number;
  /** Their total size in bytes. */
  bytes: number;
  /** The most it holds (`setStoragePoolLimit`); storage disposed beyond it is freed. */
  limitBytes: number;
  /** Allocations served from the pool, since the process started. */
  reused: number;
  /** Disposed buffers taken into the pool, since the process started. */
  returned: number;
}

/**
 * The pool that `Tensor.dispose()` gives large storage (≥ 16,384 elements) back to.
 * @example
 * y.dispose();
 * storagePoolStats(); // { arrays: 1, bytes: 4194304, limitBytes: 67108864, reused: 0, returned: 1 }
 */
export function storagePoolStats(): StoragePoolStats {
  return { ...stats, limitBytes };
}

/**
 * Sets the most memory (bytes) the pool of disposed storage holds; 0 turns reuse off. Lowering it frees
 * what no longer fits. Default 64 MiB.
 * @example setStoragePoolLimit(64 * 1024 * 1024);
 */
export function setStoragePoolLimit(bytes: number): void {
  if (!(Number.isFinite(bytes) && bytes >= 0)) {
    throw new RangeError(`setStoragePoolLimit: bytes must be a finite number ≥ 0, got ${bytes}`);
  }
  limitBytes = bytes;
  for (const [device, pool] of pools) {
    for (const [key, bucket] of pool) {
      while (stats.bytes > limitBytes && bucket.length > 0) {
        const dropped = bucket.pop() as DeviceBuffer;
        stats.arrays--;
        stats.bytes -= dropped.length * BYTES[device.dtypeOf(dropped)];
        device.destroy(dropped);
      }
      if (bucket.length === 0) pool.delete(key);
    }
  }
}
