import { Tensor, tensor } from '@selfnorm/tensor';
import { preview } from './preview';
import {
  type DecodeOptions,
  decodeSafetensors,
  encodeSafetensors,
  type RawTensor,
} from './safetensors-format';
import { quoted } from './safetensors-header';

/**
 * Writes tensors (and optional string metadata) as a safetensors file, the format PyTorch, JAX and the Hugging Face
 * hub read: float32 as F32, float64 as F64. Pure bytes: the caller writes them where it wants.
 * Source: https://github.com/huggingface/safetensors
 * @example const bytes = saveSafetensors(model.stateDict(), { epoch: '3' }); // write bytes to model.safetensors
 */
export function saveSafetensors(
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  const raw: [string, RawTensor][] = Object.entries(tensors).map(([name, t]) => {
    if (!(t instanceof Tensor)) throw new TypeError(`saveSafetensors: ${quoted(name)} is not a Tensor`);
    if (t.isDisposed)
      throw new RangeError(`saveSafetensors: ${quoted(name)} was disposed; its values are gone`);
    return [name, { dtype: t.dtype === 'float64' ? 'F64' : 'F32', shape: [...t.shape], data: t.storage }];
  });
  return encodeSafetensors(Object.fromEntries(raw), metadata);
}

/**
 * `saveSafetensors` for tensors on any device: each is read with `await t.read()` first (a GPU tensor cannot be
 * read synchronously). @example const bytes = await saveSafetensorsAsync(model.stateDict());
 */
export async function saveSafetensorsAsync(
  tensors: Record<string, Tensor>,
  metadata?: Record<string, string>,
): Promise<Uint8Array> {
  const host: Record<string, Tensor> = {};
  for (const [name, t] of Object.entries(tensors)) {
    host[name] = t instanceof Tensor && !t.isDisposed ? await t.toAsync('cpu') : t;
  }
  return saveSafetensors(host, metadata);
}

/**
 * Reads a safetensors file into tensors and its metadata. The whole file is validated first; a corrupt or hostile
 * file (header longer than the file, bad JSON, offsets out of range, overlapping or leaving gaps, unknown dtype,
 * bytes not matching a shape) is refused with an error and nothing is returned. F16/BF16 load as float32; integer
 * dtypes (such as PyTorch's `num_batches_tracked`, I64) load as float64. Pass `{ source }` (the file name) to have
 * every error name the file.
 * @example model.loadStateDict(loadSafetensors(bytes).tensors);
 */
export function loadSafetensors(
  bytes: Uint8Array,
  options: DecodeOptions = {},
): {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
} {
  if (!(bytes instanceof Uint8Array))
    throw new TypeError(`loadSafetensors: expected the file contents as a Uint8Array, got ${preview(bytes)}`);
  const { tensors, metadata } = decodeSafetensors(bytes, options);
  const out = Object.entries(tensors).map(([name, t]): [string, Tensor] => [
    name,
    tensor(t.data, { shape: t.shape, dtype: t.dtype === 'F64' ? 'float64' : 'float32' }),
  ]);
  return { tensors: Object.fromEntries(out), metadata };
}
