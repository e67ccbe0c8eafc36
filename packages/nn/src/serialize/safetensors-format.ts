import { preview } from './preview';
import { DTYPE_BYTES, type Entry, parseHeader, quoted, where } from './safetensors-header';

/**
 * The safetensors byte format, on plain typed arrays (no Tensor): an 8-byte little-endian header length N,
 * N bytes of JSON header, then the raw little-endian data of every tensor.
 * Spec: https://github.com/huggingface/safetensors (README, "Format").
 */

/** A float tensor as raw storage: the element type, the shape, and the row-major data. */
export interface RawTensor {
  dtype: 'F32' | 'F64';
  shape: number[];
  data: Float32Array | Float64Array;
}

function fail(message: string): never {
  throw new Error(`encodeSafetensors: ${message}`);
}

function isLittleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
}

/** Throws unless `t` is a RawTensor whose array type matches its dtype and whose shape matches its length. */
function checkRawTensor(name: string, t: RawTensor): void {
  const at = `tensor ${quoted(name)}`;
  if (typeof t !== 'object' || t === null)
    fail(`${at} must be an object { dtype, shape, data }, got ${preview(t)}`);
  if (t.dtype !== 'F32' && t.dtype !== 'F64')
    fail(`${at}: dtype must be 'F32' or 'F64', got ${preview(t.dtype)}`);
  const needed = t.dtype === 'F32' ? Float32Array : Float64Array;
  if (!(t.data instanceof needed))
    fail(`${at}: dtype ${t.dtype} needs a ${needed.name}, got ${kindOf(t.data)}`);
  if (!Array.isArray(t.shape) || !t.shape.every((d) => Number.isSafeInteger(d) && d >= 0))
    fail(`${at}: shape must be an array of non-negative integers, got ${preview(t.shape)}`);
  const count = t.shape.reduce((a, b) => a * b, 1);
  if (count !== t.data.length)
    fail(`${at}: shape ${preview(t.shape)} needs ${count} values, got ${t.data.length}`);
}

/** 'a Float32Array', 'an Array', 'null', … for a message. */
function kindOf(v: unknown): string {
  if (v === null || v === undefined) return String(v);
  if (typeof v !== 'object') return `a ${typeof v}`;
  const name = (v as object).constructor?.name ?? 'Object';
  return /^[AEIOU]/.test(name) ? `an ${name}` : `a ${name}`;
}

/**
 * Encodes tensors and string metadata as one safetensors file.
 * Tensors are laid out by element size (largest first) then by name, so every F64 block stays 8-byte aligned;
 * the header is padded with spaces to a multiple of 8 bytes, as the spec recommends.
 * @example encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float32Array([1, 2]) } })
 */
export function encodeSafetensors(
  tensors: Record<string, RawTensor>,
  metadata?: Record<string, string>,
): Uint8Array {
  if (typeof tensors !== 'object' || tensors === null || Array.isArray(tensors))
    fail(`tensors must be an object of { dtype, shape, data } by name, got ${preview(tensors)}`);
  const names = Object.keys(tensors);
  for (const name of names) {
    if (name === '__metadata__')
      fail(`the tensor name '__metadata__' is reserved for the metadata map; rename it`);
    checkRawTensor(name, tensors[name]);
  }
  if (metadata !== undefined) {
    if (typeof metadata !== 'object' || metadata === null || Array.isArray(metadata))
      fail(`metadata must be an object of strings, got ${preview(metadata)}`);
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string')
        fail(`metadata ${quoted(k)} must be a string, got ${preview(v)}; JSON.stringify it first`);
    }
  }
  names.sort(
    (a, b) => DTYPE_BYTES[tensors[b].dtype] - DTYPE_BYTES[tensors[a].dtype] || (a < b ? -1 : a > b ? 1 : 0),
  );

  const header: Record<string, unknown> = {};
  if (metadata !== undefined && Object.keys(metadata).length > 0) header.__metadata__ = metadata;
  let offset = 0;
  for (const name of names) {
    const t = tensors[name];
    const end = offset + t.data.length * DTYPE_BYTES[t.dtype];
    Object.defineProperty(header, name, {
      value: { dtype: t.dtype, shape: [...t.shape], data_offsets: [offset, end] },
      enumerable: true,
    });
    offset = end;
  }
  let json = new TextEncoder().encode(JSON.stringify(header));
  const padded = Math.ceil(json.length / 8) * 8;
  if (padded !== json.length) {
    const withSpaces = new Uint8Array(padded).fill(0x20);
    withSpaces.set(json);
    json = withSpaces;
  }

  const out = new Uint8Array(8 + json.length + offset);
  const view = new DataView(out.buffer);
  view.setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  const little = isLittleEndianHost();
  let at = 8 + json.length;
  for (const name of names) {
    const { data } = tensors[name];
    if (little) {
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), at);
    } else if (data instanceof Float64Array) {
      for (let i = 0; i < data.length; i++) view.setFloat64(at + 8 * i, data[i], true);
    } else {
      for (let i = 0; i < data.length; i++) view.setFloat32(at + 4 * i, data[i], true);
    }
    at += data.byteLength;
  }
  return out;
}

function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function readTensor(e: Entry, view: DataView, at: number, fail: (m: string) => never): RawTensor {
  const count = e.shape.reduce((a, b) => a * b, 1);
  const wide = e.dtype === 'F64' || !['F32', 'F16', 'BF16'].includes(e.dtype);
  const size = DTYPE_BYTES[e.dtype];
  if ((e.dtype === 'F32' || e.dtype === 'F64') && isLittleEndianHost()) {
    // Fast path: one copy into fresh (hence aligned) storage.
    const copy = new Uint8Array(view.buffer, view.byteOffset + at, count * size).slice().buffer;
    return { dtype: e.dtype, shape: e.shape, data: wide ? new Float64Array(copy) : new Float32Array(copy) };
  }
  const data = wide ? new Float64Array(count) : new Float32Array(count);
  const scratch = new DataView(new ArrayBuffer(4));
  for (let i = 0; i < count; i++) {
    const p = at + i * size;
    switch (e.dtype) {
      case 'F64':
        data[i] = view.getFloat64(p, true);
        break;
      case 'F32':
        data[i] = view.getFloat32(p, true);
        break;
      case 'F16':
        data[i] = float16ToNumber(view.getUint16(p, true));
        break;
      case 'BF16':
        scratch.setUint32(0, view.getUint16(p, true) << 16);
        data[i] = scratch.getFloat32(0);
        break;
      case 'I64':
      case 'U64': {
        const v = e.dtype === 'I64' ? view.getBigInt64(p, true) : view.getBigUint64(p, true);
        if (v > 9007199254740992n || v < -9007199254740992n) {
          fail(
            `tensor ${quoted(e.name)}: ${e.dtype} value ${v} at index ${i} is not exactly representable as a double`,
          );
        }
        data[i] = Number(v);
        break;
      }
      case 'I32':
        data[i] = view.getInt32(p, true);
        break;
      case 'U32':
        data[i] = view.getUint32(p, true);
        break;
      case 'I16':
        data[i] = view.getInt16(p, true);
        break;
      case 'U16':
        data[i] = view.getUint16(p, true);
        break;
      case 'I8':
        data[i] = view.getInt8(p);
        break;
      case 'U8':
        data[i] = view.getUint8(p);
        break;
    }
  }
  return { dtype: wide ? 'F64' : 'F32', shape: e.shape, data };
}

/** Options of the decoding functions. */
export interface DecodeOptions {
  /** Where the bytes came from (a file name, a URL), named in every error message. */
  source?: string;
}

/**
 * Decodes and validates a safetensors file; throws (and returns nothing) if any part is corrupt.
 * F32 and F64 load as they are; F16 and BF16 widen to F32; integer dtypes widen to F64 (an I64/U64 value
 * beyond 2^53 is refused). BOOL and the F8 types are refused with an error naming the tensor.
 * @example const { tensors, metadata } = decodeSafetensors(bytes);
 */
export function decodeSafetensors(
  bytes: Uint8Array,
  { source }: DecodeOptions = {},
): {
  tensors: Record<string, RawTensor>;
  metadata: Record<string, string>;
} {
  const { entries, metadata, dataStart } = parseHeader(bytes, source);
  const fail = (message: string): never => {
    throw new Error(`${where(source)}: ${message}`);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: [string, RawTensor][] = [];
  for (const e of entries) out.push([e.name, readTensor(e, view, dataStart + e.begin, fail)]);
  // Object.fromEntries defines own properties, so a hostile name such as '__proto__' stays a plain key.
  return { tensors: Object.fromEntries(out), metadata };
}
