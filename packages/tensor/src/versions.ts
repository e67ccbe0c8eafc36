/**
 * In-place write tracking: the version of each buffer written in place (as PyTorch's `_version`), the
 * write clock, and the fingerprints of CPU arrays that user code took through `Tensor.data` while the graph
 * saved them. Keyed by the device buffer, so views (`reshape`, `detach`) share one state. The engine
 * (`checkSaved`) uses it to refuse a backward pass over values that changed after an op saved them.
 */
import type { DeviceBuffer } from './device/device';
import type { TypedArray } from './dtype';

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
const states = new WeakMap<DeviceBuffer, StorageState>();
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
export function storageState(data: DeviceBuffer): StorageState | undefined {
  return states.get(data);
}

/** The version of `data`: how many in-place writes were declared on it (0 for most arrays). */
export function versionOf(data: DeviceBuffer): number {
  return states.get(data)?.version ?? 0;
}

/**
 * Declares an in-place write into `data`: its version goes up by one and the write clock moves, so that a
 * node that saved it before the write refuses to run its backward pass. A watch on it ends (the write is
 * declared; a later `.data` starts a new one).
 */
export function bumpVersion(data: DeviceBuffer): void {
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
export function resaveWatched(data: DeviceBuffer): void {
  const s = states.get(data);
  if (s === undefined || !s.watched) return;
  const h = fingerprintOf(data as TypedArray); // only CPU arrays are watched
  if (h === s.fingerprint) return;
  s.fingerprint = h;
  s.version++;
  s.lastWrite = ++clock;
}

/** The last tensor over `data` that a node saved was freed: the watch on it (if any) ends. */
export function unwatch(data: DeviceBuffer): void {
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
