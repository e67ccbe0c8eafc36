import { scanHeader } from './header-scan';
import { cut, preview } from './preview';

/** Bytes per element of every dtype named by the safetensors spec. */
export const DTYPE_BYTES: Record<string, number> = {
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

/**
 * Most tensors one file may declare. Checked on the header text before `JSON.parse`, which would otherwise build
 * ~1 KB of objects per entry (a 50 MB header of 10⁶ empty tensors cost ~20× its size). Real checkpoints hold
 * thousands at most.
 */
export const MAX_TENSORS = 100_000;

/** Deepest nesting accepted; a valid header needs 3 (the header, an entry, its shape). */
const MAX_DEPTH = 64;

/** A tensor's entry in the header, checked against the dtype and the data size. */
export interface Entry {
  name: string;
  dtype: string;
  shape: number[];
  begin: number;
  end: number;
}

/** The prefix of every decoding error: 'safetensors' and, when known, the file it came from. */
export function where(source: string | undefined): string {
  return source === undefined ? 'safetensors' : `safetensors: ${sourceName(source)}`;
}

/** A file name for a message, cut to ~100 characters (a non-string is previewed, never stringified whole). */
export function sourceName(source: unknown): string {
  return typeof source === 'string' ? cut(source) : preview(source);
}

/** A name for a message, in single quotes, cut to ~100 characters. */
export function quoted(name: string): string {
  return `'${cut(name)}'`;
}

function decodeText(bytes: Uint8Array, fail: (m: string) => never): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return fail('the header is not valid UTF-8');
  }
}

function parseJson(text: string, fail: (m: string) => never): Record<string, unknown> {
  const scan = scanHeader(text, { maxDepth: MAX_DEPTH, stopAt: MAX_TENSORS + 1 });
  if (scan.depth > MAX_DEPTH)
    fail(`the header nests deeper than ${MAX_DEPTH} levels (a valid one needs 3); refusing it unparsed`);
  if (scan.topLevelKeys > MAX_TENSORS + 1)
    fail(`the header declares more than ${MAX_TENSORS} tensors (the limit); refusing it unparsed`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    fail(`the header is not valid JSON (${cut((e as Error).message)})`);
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed))
    fail('the header must be a JSON object');
  const dup = scan.duplicate;
  if (dup !== undefined) {
    if (dup.under === null)
      fail(`tensor ${quoted(dup.key)} appears twice in the header; names must be unique`);
    if (dup.under === '__metadata__') fail(`metadata key ${quoted(dup.key)} appears twice in the header`);
    fail(`tensor ${quoted(dup.under)}: field ${quoted(dup.key)} appears twice in the header`);
  }
  const names = Object.keys(parsed);
  if (names.length - (Object.hasOwn(parsed, '__metadata__') ? 1 : 0) > MAX_TENSORS)
    fail(`the header declares more than ${MAX_TENSORS} tensors (the limit)`);
  return parsed as Record<string, unknown>;
}

function readMetadata(value: unknown, fail: (m: string) => never): Record<string, string> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(`'__metadata__' must be an object of strings, got ${preview(value)}`);
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v !== 'string') fail(`metadata ${quoted(k)} must be a string, got ${preview(v)}`);
    Object.defineProperty(metadata, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return metadata;
}

function readEntry(name: string, value: unknown, fail: (m: string) => never): Entry {
  const at = `tensor ${quoted(name)}`;
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(`${at}: entry must be an object, got ${preview(value)}`);
  const { dtype, shape, data_offsets: offsets } = value as Record<string, unknown>;
  if (typeof dtype !== 'string') fail(`${at}: dtype must be a string, got ${preview(dtype)}`);
  if (!Object.hasOwn(DTYPE_BYTES, dtype)) fail(`${at}: unknown dtype ${preview(dtype)}`);
  if (!READABLE.includes(dtype)) {
    fail(`${at}: dtype ${dtype} is not supported (readable: ${READABLE.join(', ')})`);
  }
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    fail(`${at}: shape must be an array of non-negative integers, got ${preview(shape)}`);
  }
  if (
    !Array.isArray(offsets) ||
    offsets.length !== 2 ||
    !offsets.every((o) => Number.isSafeInteger(o) && o >= 0) ||
    offsets[0] > offsets[1]
  ) {
    fail(`${at}: data_offsets must be [begin, end] with 0 <= begin <= end, got ${preview(offsets)}`);
  }
  let count = 1;
  for (const d of shape as number[]) count *= d;
  const byteCount = offsets[1] - offsets[0];
  if (count * DTYPE_BYTES[dtype] !== byteCount) {
    fail(
      `${at}: shape ${preview(shape)} of ${dtype} needs ${count * DTYPE_BYTES[dtype]} bytes, ` +
        `but data_offsets span ${byteCount}`,
    );
  }
  return { name, dtype, shape: shape as number[], begin: offsets[0], end: offsets[1] };
}

/**
 * Reads and validates the header of a safetensors file: the length field, the JSON (scanned first for nesting,
 * size and repeated keys), every entry, and that the entries tile the data exactly. Throws naming `source`.
 */
export function parseHeader(
  bytes: Uint8Array,
  source?: string,
): { entries: Entry[]; metadata: Record<string, string>; dataStart: number } {
  const prefix = where(source);
  const fail = (message: string): never => {
    throw new Error(`${prefix}: ${message}`);
  };
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
  const parsed = parseJson(decodeText(bytes.subarray(8, 8 + n), fail), fail);

  let metadata: Record<string, string> = {};
  const entries: Entry[] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (name === '__metadata__') metadata = readMetadata(value, fail);
    else entries.push(readEntry(name, value, fail));
  }

  const dataStart = 8 + n;
  const dataLength = bytes.length - dataStart;
  const sorted = [...entries].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let expected = 0;
  for (const e of sorted) {
    const at = `tensor ${quoted(e.name)}`;
    if (e.end > dataLength) fail(`${at}: data_offsets end ${e.end} is past the ${dataLength}-byte data`);
    if (e.begin < expected) fail(`${at}: data_offsets [${e.begin}, ${e.end}] overlap another tensor`);
    if (e.begin > expected) fail(`bytes ${expected}..${e.begin} of the data belong to no tensor`);
    expected = e.end;
  }
  if (expected !== dataLength) fail(`the data is ${dataLength} bytes but the tensors cover ${expected}`);
  return { entries, metadata, dataStart };
}
