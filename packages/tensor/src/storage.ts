/**
 * Storage allocation, and the reuse of large storage given back by `Tensor.dispose()`.
 *
 * A fresh multi-megabyte typed array costs more than the kernel that fills it: its pages fault on first
 * touch and are returned to the system when it is collected. Storage that a caller disposes goes to a
 * pool instead, and the next allocation of the same dtype and length takes it. Reuse is safe by
 * construction: only storage this module allocated, wrapped by exactly one tensor (no view, no
 * `detach()`), and not saved by a recorded operation whose backward pass has not run yet is ever reused.
 * Storage still saved by the graph is reused once `backward()` frees that part of the graph.
 */
import type { DType, TypedArray } from './dtype';

/** Storage of fewer elements than this is never pooled: the allocator serves small arrays well. */
export const POOL_MIN_ELEMENTS = 1 << 14;

/** Arrays allocated here (large enough to pool) and not yet wrapped by a tensor. */
const unclaimed = new WeakSet<TypedArray>();
/** Arrays wrapped by exactly one tensor: the only ones a `dispose()` can give back. */
const sole = new WeakSet<TypedArray>();

const free: Record<DType, Map<number, TypedArray[]>> = { float32: new Map(), float64: new Map() };
const stats = { arrays: 0, bytes: 0, reused: 0, returned: 0 };
let limitBytes = 64 * 1024 * 1024;

/**
 * Storage of `size` elements for `dtype`: zeroed, unless `zeroed` is false (for a kernel that writes every
 * element). Large arrays come from the pool of disposed storage when one of the same length is free.
 */
export function allocate(dtype: DType, size: number, zeroed = true): TypedArray {
  if (size < POOL_MIN_ELEMENTS) return dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  const bucket = free[dtype].get(size);
  let out = bucket?.pop();
  if (out) {
    stats.arrays--;
    stats.bytes -= out.byteLength;
    stats.reused++;
    if (zeroed) out.fill(0);
  } else {
    out = dtype === 'float64' ? new Float64Array(size) : new Float32Array(size);
  }
  unclaimed.add(out);
  return out;
}

/** Called by the Tensor constructor: the first tensor to wrap a pooled allocation is its sole owner. */
export function claim(data: TypedArray): void {
  if (data.length < POOL_MIN_ELEMENTS) return;
  if (unclaimed.delete(data)) sole.add(data);
  else sole.delete(data); // a second tensor over the same storage: it can never be given back
}

/**
 * `Tensor.dispose()`, once nothing saved by the graph reads the tensor: its storage goes to the pool if it
 * is the sole tensor over storage allocated here (and the pool has room).
 */
export function giveBack(data: TypedArray): void {
  if (!sole.delete(data) || stats.bytes + data.byteLength > limitBytes) return;
  const buckets = free[data instanceof Float64Array ? 'float64' : 'float32'];
  const bucket = buckets.get(data.length);
  if (bucket) bucket.push(data);
  else buckets.set(data.length, [data]);
  stats.arrays++;
  stats.bytes += data.byteLength;
  stats.returned++;
}

/** The pool of disposed storage: what it holds now, its limit, and how often it was used. */
export interface StoragePoolStats {
  /** Arrays held for reuse. */
  arrays: number;
  /** Their total size in bytes. */
  bytes: number;
  /** The most it holds (`setStoragePoolLimit`); storage disposed beyond it is left to the collector. */
  limitBytes: number;
  /** Allocations served from the pool, since the process started. */
  reused: number;
  /** Disposed arrays taken into the pool, since the process started. */
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
 * Sets the most memory (bytes) the pool of disposed storage holds; 0 turns reuse off. Lowering it drops
 * what no longer fits. Default 64 MiB.
 * @example setStoragePoolLimit(64 * 1024 * 1024);
 */
export function setStoragePoolLimit(bytes: number): void {
  if (!(Number.isFinite(bytes) && bytes >= 0)) {
    throw new RangeError(`setStoragePoolLimit: bytes must be a finite number ≥ 0, got ${bytes}`);
  }
  limitBytes = bytes;
  for (const buckets of Object.values(free)) {
    for (const [length, bucket] of buckets) {
      while (stats.bytes > limitBytes && bucket.length > 0) {
        const dropped = bucket.pop() as TypedArray;
        stats.arrays--;
        stats.bytes -= dropped.byteLength;
      }
      if (bucket.length === 0) buckets.delete(length);
    }
  }
}
