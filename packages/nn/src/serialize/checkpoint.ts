import type { Tensor } from '@selfnorm/tensor';
import type { Module } from '../module';
import type { SchedulerStateDict } from '../optim/lr-scheduler';
import type { Optimizer, OptimizerOptions, OptimizerStateDict } from '../optim/optimizer';
import { crc32 } from './crc32';
import { cut, preview } from './preview';
import { loadSafetensors, saveSafetensors } from './safetensors';
import { sourceName } from './safetensors-header';

/** The metadata key that holds the optimizer's class name and hyper-parameters (JSON). */
const OPTIMIZER_KEY = 'selfnorm.optimizer';

/** The metadata key that holds the learning-rate scheduler's state (JSON). */
const SCHEDULER_KEY = 'selfnorm.scheduler';

/** A learning-rate scheduler as checkpoints see it: any of the schedulers, or one of the user's. */
export interface CheckpointScheduler {
  stateDict(): SchedulerStateDict;
  loadStateDict(sd: SchedulerStateDict): void;
}

/** The metadata key that holds the CRC-32 of the file's data section, as 'crc32:' and 8 lowercase hex digits. */
const CHECKSUM_KEY = 'selfnorm.checksum';

/** Written first and overwritten once the data's CRC is known (same length, so no offset moves). */
const PLACEHOLDER = 'crc32:00000000';

/** What goes into a checkpoint. */
export interface CheckpointContents {
  /** Its `stateDict()` is saved under the key prefix `model.`. */
  model: Module;
  /** Its per-parameter state is saved under `optim.`, its hyper-parameters in the metadata. */
  optimizer?: Optimizer;
  /** Its state (the step count) is saved in the metadata, so a resumed run continues the schedule. */
  scheduler?: CheckpointScheduler;
  /** Extra string metadata (epoch, seed, …). Keys starting with 'selfnorm.' are reserved. */
  metadata?: Record<string, string>;
}

/** Options of `loadCheckpoint`. */
export interface LoadCheckpointOptions {
  /** The module to restore (its state was saved under `model.`). */
  model: Module;
  /** The optimizer to restore; the checkpoint must then hold state of the same type. */
  optimizer?: Optimizer;
  /** The learning-rate scheduler to restore (after the optimizer); the checkpoint must then hold its state. */
  scheduler?: CheckpointScheduler;
  /** Refuse missing and unexpected keys (default true); shapes must match either way. */
  strict?: boolean;
  /** Where the bytes came from (a file name), named in every error message. */
  source?: string;
}

/** Where the data section of a well-formed safetensors file starts. */
function dataStart(bytes: Uint8Array): number {
  return 8 + Number(new DataView(bytes.buffer, bytes.byteOffset, 8).getBigUint64(0, true));
}

const hex8 = (n: number) => n.toString(16).padStart(8, '0');

/** The first index of `needle` in `haystack` from `from`, or -1. */
function indexOfBytes(haystack: Uint8Array, needle: Uint8Array, from: number, to: number): number {
  outer: for (let i = from; i + needle.length <= to; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

/**
 * Saves a model's parameters and buffers, and optionally an optimizer's state, as one safetensors file:
 * `model.<name>` for the model, `optim.<index>.<buffer>` for the optimizer, whose hyper-parameters go to the
 * metadata key 'selfnorm.optimizer' as JSON (with its parameter groups, when it has several), and a learning-rate
 * scheduler's state to 'selfnorm.scheduler'. The CRC-32 of the data goes to 'selfnorm.checksum', and
 * `loadCheckpoint` refuses a file whose data no longer matches it. The tensors under `model.` load in PyTorch as an
 * ordinary state dict (strip the prefix). Pure bytes: the caller writes the file (atomically).
 * @example const bytes = saveCheckpoint({ model, optimizer, metadata: { epoch: String(epoch) } });
 */
export function saveCheckpoint(contents: CheckpointContents): Uint8Array {
  const { tensors, meta } = gather(contents);
  return encode(tensors, meta);
}

/**
 * `saveCheckpoint` for a model or optimizer on any device: the values are read with `await t.read()` (a GPU
 * tensor cannot be read synchronously), then written exactly as `saveCheckpoint` writes them.
 * @example const bytes = await saveCheckpointAsync({ model, optimizer }); // model on 'webgpu'
 */
export async function saveCheckpointAsync(contents: CheckpointContents): Promise<Uint8Array> {
  const { tensors, meta } = gather(contents);
  for (const [k, t] of Object.entries(tensors)) tensors[k] = await t.toAsync('cpu');
  return encode(tensors, meta);
}

/** The tensors and metadata of a checkpoint, before encoding. */
function gather({ model, optimizer, scheduler, metadata = {} }: CheckpointContents): {
  tensors: Record<string, Tensor>;
  meta: Record<string, string>;
} {
  for (const k of Object.keys(metadata)) {
    if (k.startsWith('selfnorm.'))
      throw new RangeError(`saveCheckpoint: metadata key '${cut(k)}' is reserved; rename it`);
  }
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(model.stateDict())) tensors[`model.${k}`] = t;
  const meta = { ...metadata };
  if (optimizer !== undefined) {
    const { options, state, groups } = optimizer.stateDict();
    for (const [k, t] of Object.entries(state)) tensors[`optim.${k}`] = t;
    meta[OPTIMIZER_KEY] = JSON.stringify(
      groups === undefined ? { type: optimizer.type, options } : { type: optimizer.type, options, groups },
    );
  }
  if (scheduler !== undefined) meta[SCHEDULER_KEY] = JSON.stringify(scheduler.stateDict());
  meta[CHECKSUM_KEY] = PLACEHOLDER;
  return { tensors, meta };
}

/** The safetensors bytes of a checkpoint, with the CRC-32 of the data written into its placeholder. */
function encode(tensors: Record<string, Tensor>, meta: Record<string, string>): Uint8Array {
  const bytes = saveSafetensors(tensors, meta);
  const start = dataStart(bytes);
  const text = new TextEncoder().encode(`"${CHECKSUM_KEY}":"${PLACEHOLDER}"`);
  // The only unescaped occurrence: a quote inside any other key or value is written as \".
  const found = indexOfBytes(bytes, text, 8, start);
  if (found < 0) throw new Error('saveCheckpoint: internal error: the checksum placeholder is missing');
  const at = found + text.length - 1 - 8;
  bytes.set(new TextEncoder().encode(hex8(crc32(bytes.subarray(start)))), at);
  return bytes;
}

/** Throws unless the data section's CRC-32 matches the one stored; a file without one (older) passes. */
function verifyChecksum(bytes: Uint8Array, stored: string | undefined, fail: (m: string) => never): void {
  if (stored === undefined) return;
  if (!/^crc32:[0-9a-f]{8}$/.test(stored))
    fail(`metadata '${CHECKSUM_KEY}' is ${preview(stored)}; expected 'crc32:' and 8 hex digits`);
  const computed = `crc32:${hex8(crc32(bytes.subarray(dataStart(bytes))))}`;
  if (computed !== stored) {
    fail(
      `the data does not match its checksum (stored ${stored}, computed ${computed}); the file is damaged ` +
        '(a partial write, a disk or a transfer error) and nothing was loaded: use another copy',
    );
  }
}

/** Every parameter and buffer of `model` whose shape differs from the same key of `state`, as messages. */
function shapeMismatches(model: Module, state: Record<string, Tensor>): string[] {
  const out: string[] = [];
  for (const [k, t] of [...model.namedParameters(), ...model.namedBuffers()]) {
    const saved = Object.hasOwn(state, k) ? state[k] : undefined;
    if (saved === undefined) continue;
    const same = saved.shape.length === t.shape.length && saved.shape.every((d, i) => d === t.shape[i]);
    if (!same)
      out.push(
        `'model.${cut(k)}' is [${saved.shape.join(', ')}] in the file but [${t.shape.join(', ')}] in the model`,
      );
  }
  return out;
}

/**
 * Restores a checkpoint written by `saveCheckpoint` into a model (and optimizer), and returns the user metadata.
 * All or nothing: if the file, its checksum, the model's keys and shapes, or the optimizer's state do not fit, an
 * error says why (naming `source`, the file, when given) and neither the model nor the optimizer changes.
 * Checkpoints written before checksums existed (no 'selfnorm.checksum') still load, unchecked.
 * @example const { metadata } = loadCheckpoint(bytes, { model, optimizer, source: 'run/checkpoint.safetensors' });
 */
export function loadCheckpoint(
  bytes: Uint8Array,
  { model, optimizer, scheduler, strict = true, source }: LoadCheckpointOptions,
): { metadata: Record<string, string> } {
  const prefix = source === undefined ? 'loadCheckpoint' : `loadCheckpoint: ${sourceName(source)}`;
  const fail = (message: string): never => {
    throw new Error(`${prefix}: ${message}`);
  };
  const { tensors, metadata } = loadSafetensors(bytes, { source });
  verifyChecksum(bytes, metadata[CHECKSUM_KEY], fail);
  const modelState: Record<string, Tensor> = {};
  const optimState: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith('model.')) modelState[k.slice(6)] = t;
    else if (k.startsWith('optim.')) optimState[k.slice(6)] = t;
    else if (strict) fail(`key '${cut(k)}' is neither 'model.…' nor 'optim.…'`);
  }
  const mismatches = shapeMismatches(model, modelState);
  if (mismatches.length > 0) {
    throw new Error(
      `${source === undefined ? 'loadCheckpoint: the checkpoint' : prefix} does not fit the model: ` +
        `${mismatches.join('; ')}; nothing was loaded (build the model with the sizes it was saved with)`,
    );
  }
  const user = Object.fromEntries(Object.entries(metadata).filter(([k]) => !k.startsWith('selfnorm.')));
  if (optimizer === undefined) {
    if (scheduler !== undefined)
      fail('a scheduler can only be restored with its optimizer: pass { optimizer }');
    model.loadStateDict(modelState, { strict });
    return { metadata: user };
  }
  let schedulerState: SchedulerStateDict | undefined;
  if (scheduler !== undefined) {
    const text = metadata[SCHEDULER_KEY];
    if (text === undefined)
      fail('the checkpoint holds no scheduler state (it was saved without { scheduler })');
    try {
      schedulerState = JSON.parse(text as string);
    } catch {
      fail(`metadata '${SCHEDULER_KEY}' is not valid JSON`);
    }
  }
  const saved = metadata[OPTIMIZER_KEY];
  if (saved === undefined) fail('the checkpoint holds no optimizer state');
  let parsed: { type?: unknown; options?: OptimizerOptions; groups?: OptimizerStateDict['groups'] };
  try {
    parsed = JSON.parse(saved);
  } catch {
    return fail(`metadata '${OPTIMIZER_KEY}' is not valid JSON`);
  }
  if (typeof parsed !== 'object' || parsed === null) fail(`metadata '${OPTIMIZER_KEY}' is not an object`);
  const type = optimizer.type;
  if (parsed.type !== type)
    fail(
      `the checkpoint holds ${typeof parsed.type === 'string' ? cut(parsed.type) : preview(parsed.type)} state, not ${type}`,
    );
  const before = optimizer.stateDict();
  const schedulerBefore = scheduler?.stateDict();
  const next: OptimizerStateDict = { options: parsed.options ?? {}, state: optimState };
  if (parsed.groups !== undefined) next.groups = parsed.groups;
  optimizer.loadStateDict(next);
  try {
    if (scheduler !== undefined) scheduler.loadStateDict(schedulerState as SchedulerStateDict);
    model.loadStateDict(modelState, { strict });
  } catch (e) {
    optimizer.loadStateDict(before);
    if (scheduler !== undefined) scheduler.loadStateDict(schedulerBefore as SchedulerStateDict);
    throw e;
  }
  return { metadata: user };
}
