import type { Tensor } from '@selfnorm/tensor';
import type { Module } from '../module';
import type { Optimizer, OptimizerOptions } from '../optim/optimizer';
import { loadSafetensors, saveSafetensors } from './safetensors';

/** The metadata key that holds the optimizer's class name and hyper-parameters (JSON). */
const OPTIMIZER_KEY = 'selfnorm.optimizer';

/** What goes into a checkpoint. */
export interface CheckpointContents {
  /** Its `stateDict()` is saved under the key prefix `model.`. */
  model: Module;
  /** Its per-parameter state is saved under `optim.`, its hyper-parameters in the metadata. */
  optimizer?: Optimizer;
  /** Extra string metadata (epoch, seed, …). Keys starting with 'selfnorm.' are reserved. */
  metadata?: Record<string, string>;
}

/**
 * Saves a model's parameters and buffers, and optionally an optimizer's state, as one safetensors file:
 * `model.<name>` for the model, `optim.<index>.<buffer>` for the optimizer, whose hyper-parameters go to the
 * metadata key 'selfnorm.optimizer' as JSON. The tensors under `model.` load in PyTorch as an ordinary state dict
 * (strip the prefix). Pure bytes: the caller writes the file (atomically).
 * @example const bytes = saveCheckpoint({ model, optimizer, metadata: { epoch: String(epoch) } });
 */
export function saveCheckpoint({ model, optimizer, metadata = {} }: CheckpointContents): Uint8Array {
  for (const k of Object.keys(metadata)) {
    if (k.startsWith('selfnorm.'))
      throw new RangeError(`saveCheckpoint: metadata key '${k}' is reserved; rename it`);
  }
  const tensors: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(model.stateDict())) tensors[`model.${k}`] = t;
  const meta = { ...metadata };
  if (optimizer !== undefined) {
    const { options, state } = optimizer.stateDict();
    for (const [k, t] of Object.entries(state)) tensors[`optim.${k}`] = t;
    meta[OPTIMIZER_KEY] = JSON.stringify({ type: optimizer.type, options });
  }
  return saveSafetensors(tensors, meta);
}

/**
 * Restores a checkpoint written by `saveCheckpoint` into a model (and optimizer), and returns the user metadata.
 * All or nothing: if the file, the model's keys and shapes, or the optimizer's state do not fit, an error says
 * why and neither the model nor the optimizer changes.
 * @example const { metadata } = loadCheckpoint(bytes, { model, optimizer }); const epoch = Number(metadata.epoch);
 */
export function loadCheckpoint(
  bytes: Uint8Array,
  { model, optimizer, strict = true }: { model: Module; optimizer?: Optimizer; strict?: boolean },
): { metadata: Record<string, string> } {
  const { tensors, metadata } = loadSafetensors(bytes);
  const modelState: Record<string, Tensor> = {};
  const optimState: Record<string, Tensor> = {};
  for (const [k, t] of Object.entries(tensors)) {
    if (k.startsWith('model.')) modelState[k.slice(6)] = t;
    else if (k.startsWith('optim.')) optimState[k.slice(6)] = t;
    else if (strict) throw new Error(`loadCheckpoint: key '${k}' is neither 'model.…' nor 'optim.…'`);
  }
  const user = Object.fromEntries(Object.entries(metadata).filter(([k]) => !k.startsWith('selfnorm.')));
  if (optimizer === undefined) {
    model.loadStateDict(modelState, { strict });
    return { metadata: user };
  }
  const saved = metadata[OPTIMIZER_KEY];
  if (saved === undefined) throw new Error('loadCheckpoint: the checkpoint holds no optimizer state');
  let parsed: { type?: unknown; options?: OptimizerOptions };
  try {
    parsed = JSON.parse(saved);
  } catch {
    throw new Error(`loadCheckpoint: metadata '${OPTIMIZER_KEY}' is not valid JSON`);
  }
  const type = optimizer.type;
  if (parsed.type !== type) {
    throw new Error(`loadCheckpoint: the checkpoint holds ${String(parsed.type)} state, not ${type}`);
  }
  const before = optimizer.stateDict();
  optimizer.loadStateDict({ options: parsed.options ?? {}, state: optimState });
  try {
    model.loadStateDict(modelState, { strict });
  } catch (e) {
    optimizer.loadStateDict(before);
    throw e;
  }
  return { metadata: user };
}
