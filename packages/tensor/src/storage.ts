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

/**
 * What the graph knows of one array that was written in place or watched, shared by every tensor over it
 * (`reshape`, `detach`, `new Tensor(t.data)` are views of one storage). Most arrays have none: an array
 * without a state was never written in place.
 */
export interface StorageState {
  /** Declared in-place writes (`markModified`, `axpy`, optimizers, `loadStateDict`); never decreases. */
  version: number;
  /** The `writeClock()` of the last declared write. */
  lastWrite: number;
  /** Whether `fingerprint` holds: user code took `.data` of a tensor over it that a node saved. */
  watched: boolean;
  /** `fingerprintOf` the contents when the watch began (or when a node last saved the array). */
  fingerprint: number;
  /** The sweep that last verified the fingerprint (so a sweep hashes each watched array once). */
  checkedIn: number;
}

/** Arrays written in place or watched. */
const states = new WeakMap<TypedArray, StorageState>();
/** Counts declared writes and watches anywhere: a node recorded at the current clock has seen neither. */
let clock = 0;
/** How many arrays are watched now (`watchStorage`): while none, a node need not look at what it saves. */
let watching = 0;
/** A watched array collected with its (never differentiated) graph no longer counts as watched. */
const collected = new FinalizationRegistry<StorageState>((s) => {
  if (!s.watched) return;
  s.watched = false;
  watching--;
});

/**
 * The write clock: it moves on every declared write (and when a watch begins). A node remembers it when it
 * is recorded; if it has not moved by the backward pass, nothing the node saved can have been written, and
 * the engine checks nothing (no lookups on the hot path).
 */
export function writeClock(): number {
  return clock;
}

/** How many arrays are watched for raw writes through `.data` (see `watchStorage`). */
export function watchCount(): number {
  return watching;
}

/** The state of `data`, or undefined if it was never written in place nor watched. */
export function storageState(data: TypedArray): StorageState | undefined {
  return states.get(data);
}

/** The version of `data`: how many in-place writes were declared on it (0 for most arrays). */
export function versionOf(data: TypedArray): number {
  return states.get(data)?.version ?? 0;
}

/**
 * Declares an in-place write into `data`: its version goes up by one and the write clock moves, so that a
 * node that saved it before the write refuses to run its backward pass. A watch on it ends (the write is
 * declared; a later `.data` starts a new one).
 */
export function bumpVersion(data: TypedArray): void {
  const s = states.get(data);
  clock++;
  if (s === undefined) {
    states.set(data, { version: 1, lastWrite: clock, watched: false, fingerprint: 0, checkedIn: 0 });
    return;
  }
  s.version++;
  s.lastWrite = clock;
  if (s.watched) {
    s.watched = false;
    watching--;
  }
}

/**
 * User code takes `.data` of a tensor that a node saves: fingerprint the contents (once per watch), so
 * that a raw write through the array is caught before a backward pass reads it.
 */
export function watchStorage(data: TypedArray): void {
  let s = states.get(data);
  if (s === undefined) {
    s = { version: 0, lastWrite: 0, watched: false, fingerprint: 0, checkedIn: 0 };
    states.set(data, s);
  } else if (s.watched) return;
  s.fingerprint = fingerprintOf(data);
  s.watched = true;
  watching++;
  clock++;
  collected.register(data, s);
}

/**
 * A node saves `data` while some array is watched (record): if `data` is watched and its contents
 * changed since the watch began (a raw write through `.data`), that write is declared now, so that nodes
 * which saved the old contents refuse to run, and the watch goes on with the new contents.
 */
export function resaveWatched(data: TypedArray): void {
  const s = states.get(data);
  if (s === undefined || !s.watched) return;
  const h = fingerprintOf(data);
  if (h === s.fingerprint) return;
  s.fingerprint = h;
  s.version++;
  s.lastWrite = ++clock;
}

/** The last tensor over `data` that a node saved was freed: the watch on it (if any) ends. */
export function unwatch(data: TypedArray): void {
  const s = states.get(data);
  if (s === undefined || !s.watched) return;
  s.watched = false;
  watching--;
}

/**
 * A 32-bit FNV-1a-style hash of the array's bytes, 32 bits at a time: any change of a single word
 * changes it (each step is a bijection of the running hash), so does -0 for 0 or another NaN payload.
 * About 1 ns per word.
 */
export function fingerprintOf(data: TypedArray): number {
  const words = new Int32Array(data.buffer, data.byteOffset, data.byteLength >>> 2);
  let h = 0x811c9dc5 | 0;
  for (let i = 0; i < words.length; i++) h = Math.imul(h ^ words[i], 0x01000193);
  return h ^ words.length;
}
