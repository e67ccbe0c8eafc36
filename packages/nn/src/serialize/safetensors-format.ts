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

/** Bytes per element of every dtype named by the safetensors spec. */
const DTYPE_BYTES: Record<string, number> = {
  BOOL: 1,
  U8: 1,
  I8: 1,
  F8_E4M3: 1,
  F8_E5M2: 1,
  I16: 2,
  U16: 2,
  F16: 2,
  BF16: 2,
  I32: 4,
  U32: 4,
  F32: 4,
  I64: 8,
  U64: 8,
  F64: 8,
};

/** The dtypes this reader converts to float storage (F16/BF16 widen to F32, integers to F64 when exact). */
const READABLE = ['F64', 'F32', 'F16', 'BF16', 'I64', 'U64', 'I32', 'U32', 'I16', 'U16', 'I8', 'U8'];

/** Largest header accepted (100 MB, the reference implementation's limit): a guard against hostile files. */
const MAX_HEADER_BYTES = 100_000_000;

function fail(message: string): never {
  throw new Error(`safetensors: ${message}`);
}

function isLittleEndianHost(): boolean {
  return new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;
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
  const names = Object.keys(tensors);
  for (const name of names) {
    if (name === '__metadata__')
      fail(`the tensor name '__metadata__' is reserved for the metadata map; rename it`);
    const t = tensors[name];
    if (t.dtype !== 'F32' && t.dtype !== 'F64')
      fail(`tensor '${name}': dtype must be 'F32' or 'F64', got ${t.dtype}`);
    const count = t.shape.reduce((a, b) => a * b, 1);
    if (count !== t.data.length)
      fail(`tensor '${name}': shape [${t.shape}] needs ${count} values, got ${t.data.length}`);
  }
  if (metadata !== undefined) {
    for (const [k, v] of Object.entries(metadata)) {
      if (typeof v !== 'string')
        fail(`metadata '${k}' must be a string, got ${typeof v}; JSON.stringify it first`);
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

interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

function parseHeader(bytes: Uint8Array): {
  entries: Entry[];
  metadata: Record<string, string>;
  dataStart: number;
} {
  if (bytes.length < 8)
    fail(`file is ${bytes.length} bytes; a safetensors file starts with an 8-byte header length`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = view.getBigUint64(0, true);
  if (headerLength > BigInt(bytes.length - 8)) {
    fail(`header length ${headerLength} is longer than the ${bytes.length - 8} bytes after the length field`);
  }
  const n = Number(headerLength);
  if (n > MAX_HEADER_BYTES) fail(`header length ${n} exceeds the ${MAX_HEADER_BYTES}-byte limit`);
  if (n < 2 || bytes[8] !== 0x7b) fail(`the header must be a JSON object starting with '{'`);
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(8, 8 + n));
  } catch {
    fail('the header is not valid UTF-8');
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(`the header is not valid JSON (${(e as Error).message})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail('the header must be a JSON object');

  const metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (name === '__metadata__') {
      if (typeof value !== 'object' || value === null || Array.isArray(value))
        fail(`'__metadata__' must be an object`);
      for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
        if (typeof v !== 'string') fail(`metadata '${k}' must be a string, got ${JSON.stringify(v)}`);
        Object.defineProperty(metadata, k, {
          value: v,
          enumerable: true,
          writable: true,
          configurable: true,
        });
      }
      continue;
    }
    if (typeof value !== 'object' || value === null) fail(`tensor '${name}': entry must be an object`);
    const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
    if (typeof dtype !== 'string') fail(`tensor '${name}': dtype must be a string`);
    if (!(dtype in DTYPE_BYTES)) fail(`tensor '${name}': unknown dtype ${JSON.stringify(dtype)}`);
    if (!READABLE.includes(dtype)) {
      fail(`tensor '${name}': dtype ${dtype} is not supported (readable: ${READABLE.join(', ')})`);
    }
    if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
      fail(`tensor '${name}': shape must be an array of non-negative integers, got ${JSON.stringify(shape)}`);
    }
    if (
      !Array.isArray(offsets) ||
      offsets.length !== 2 ||
      !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
      offsets[0] > offsets[1]
    ) {
      fail(
        `tensor '${name}': data_offsets must be [begin, end] with 0 <= begin <= end, got ${JSON.stringify(offsets)}`,
      );
    }
    const count = (shape as number[]).reduce((a, b) => a * b, 1);
    const byteCount = offsets[1] - offsets[0];
    if (count * DTYPE_BYTES[dtype] !== byteCount) {
      fail(
        `tensor '${name}': shape [${shape}] of ${dtype} needs ${count * DTYPE_BYTES[dtype]} bytes, ` +
          `but data_offsets span ${byteCount}`,
      );
    }
    entries.push({ name, dtype, shape: shape as number[], begin: offsets[0], end: offsets[1] });
  }

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    if (e.end > dataLength)
      fail(`tensor '${e.name}': data_offsets end ${e.end} is past the ${dataLength}-byte data`);
    if (e.begin < expected)
      fail(`tensor '${e.name}': data_offsets [${e.begin}, ${e.end}] overlap another tensor`);
    if (e.begin > expected) fail(`bytes ${expected}..${e.begin} of the data belong to no tensor`);
    expected = e.end;
  }
  if (expected !== dataLength) fail(`the data is ${dataLength} bytes but the tensors cover ${expected}`);
  return { entries, metadata, dataStart };
}

function float16ToNumber(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

function readTensor(e: Entry, view: DataView, at: number): RawTensor {
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
            `tensor '${e.name}': ${e.dtype} value ${v} at index ${i} is not exactly representable as a double`,
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

/**
 * Decodes and validates a safetensors file; throws (and returns nothing) if any part is corrupt.
 * F32 and F64 load as they are; F16 and BF16 widen to F32; integer dtypes widen to F64 (an I64/U64 value
 * beyond 2^53 is refused). BOOL and the F8 types are refused with an error naming the tensor.
 * @example const { tensors, metadata } = decodeSafetensors(bytes);
 */
export function decodeSafetensors(bytes: Uint8Array): {
  tensors: Record<string, RawTensor>;
  metadata: Record<string, string>;
} {
  const { entries, metadata, dataStart } = parseHeader(bytes);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: [string, RawTensor][] = [];
  for (const e of entries) out.push([e.name, readTensor(e, view, dataStart + e.begin)]);
  // Object.fromEntries defines own properties, so a hostile name such as '__proto__' stays a plain key.
  return { tensors: Object.fromEntries(out), metadata };
}
