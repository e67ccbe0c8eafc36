import { describe, expect, it } from 'vitest';
import { decodeSafetensors, encodeSafetensors } from './safetensors-format';

/** Builds a file by hand: length prefix, the given header text, then the given data bytes. */
function file(header: string, data: Uint8Array = new Uint8Array(0), lengthOverride?: bigint): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, lengthOverride ?? BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

function f32Bytes(values: number[]): Uint8Array {
  const out = new Uint8Array(4 * values.length);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(4 * i, values[i], true);
  return out;
}

describe('encodeSafetensors', () => {
  it('writes the length prefix, a space-padded JSON header and little-endian data', () => {
    const bytes = encodeSafetensors(
      { a: { dtype: 'F32', shape: [2], data: new Float32Array([1, -2]) } },
      { k: 'v' },
    );
    const view = new DataView(bytes.buffer);
    const n = Number(view.getBigUint64(0, true));
    expect(n % 8).toBe(0);
    const header = new TextDecoder().decode(bytes.subarray(8, 8 + n));
    expect(header.trimEnd()).toBe(
      '{"__metadata__":{"k":"v"},"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}',
    );
    expect(/^[^ ]* *$/.test(header)).toBe(true);
    expect(bytes.length).toBe(8 + n + 8);
    expect(view.getFloat32(8 + n, true)).toBe(1);
    expect(view.getFloat32(8 + n + 4, true)).toBe(-2);
  });

  it('puts 8-byte dtypes first so that every F64 block is aligned', () => {
    const bytes = encodeSafetensors({
      a: { dtype: 'F32', shape: [3], data: new Float32Array([1, 2, 3]) },
      b: { dtype: 'F64', shape: [1], data: new Float64Array([0.1]) },
    });
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.b.data_offsets).toEqual([0, 8]);
    expect(header.a.data_offsets).toEqual([8, 20]);
  });

  it('refuses a shape that does not match the data, a reserved name and non-string metadata', () => {
    expect(() => encodeSafetensors({ a: { dtype: 'F32', shape: [3], data: new Float32Array(2) } })).toThrow(
      /shape \[3\] needs 3 values, got 2/,
    );
    expect(() =>
      encodeSafetensors({ __metadata__: { dtype: 'F32', shape: [0], data: new Float32Array(0) } }),
    ).toThrow(/reserved/);
    expect(() => encodeSafetensors({}, { step: 3 as unknown as string })).toThrow(
      /metadata 'step' must be a string/,
    );
  });
});

describe('decodeSafetensors', () => {
  it('round-trips F32 and F64 exactly, with metadata', () => {
    const a = new Float32Array([1.5, -0, Number.POSITIVE_INFINITY, 3.4028234663852886e38, 1e-45]);
    const b = new Float64Array([Math.PI, -1e-300, Number.NaN, 0.1]);
    const bytes = encodeSafetensors(
      { a: { dtype: 'F32', shape: [5, 1], data: a }, b: { dtype: 'F64', shape: [2, 2], data: b } },
      { epoch: '3' },
    );
    const { tensors, metadata } = decodeSafetensors(bytes);
    expect(metadata).toEqual({ epoch: '3' });
    expect(tensors.a.dtype).toBe('F32');
    expect(tensors.a.shape).toEqual([5, 1]);
    expect(Array.from(tensors.a.data)).toEqual(Array.from(a));
    expect(tensors.b.data).toBeInstanceOf(Float64Array);
    expect(Array.from(tensors.b.data)).toEqual(Array.from(b));
  });

  it('reads a file built by hand, including a zero-element tensor and a scalar', () => {
    const header =
      '{"s":{"dtype":"F32","shape":[],"data_offsets":[8,12]},"e":{"dtype":"F32","shape":[0,3],"data_offsets":[8,8]},' +
      '"v":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
    const { tensors } = decodeSafetensors(file(header, f32Bytes([1, 2, 7])));
    expect(Array.from(tensors.v.data)).toEqual([1, 2]);
    expect(tensors.s.shape).toEqual([]);
    expect(Array.from(tensors.s.data)).toEqual([7]);
    expect(tensors.e.shape).toEqual([0, 3]);
    expect(tensors.e.data.length).toBe(0);
  });

  it('widens F16, BF16 and integer dtypes', () => {
    const data = new Uint8Array(2 * 2 + 2 * 2 + 8 + 4);
    const view = new DataView(data.buffer);
    view.setUint16(0, 0x3c00, true); // F16 1.0
    view.setUint16(2, 0xc000, true); // F16 -2.0
    view.setUint16(4, 0x3f80, true); // BF16 1.0
    view.setUint16(6, 0x4049, true); // BF16 3.140625
    view.setBigInt64(8, -5n, true);
    view.setInt32(16, 123456, true);
    const header =
      '{"h":{"dtype":"F16","shape":[2],"data_offsets":[0,4]},"b":{"dtype":"BF16","shape":[2],"data_offsets":[4,8]},' +
      '"n":{"dtype":"I64","shape":[],"data_offsets":[8,16]},"i":{"dtype":"I32","shape":[1],"data_offsets":[16,20]}}';
    const { tensors } = decodeSafetensors(file(header, data));
    expect(Array.from(tensors.h.data)).toEqual([1, -2]);
    expect(Array.from(tensors.b.data)).toEqual([1, 3.140625]);
    expect(tensors.n.dtype).toBe('F64');
    expect(Array.from(tensors.n.data)).toEqual([-5]);
    expect(Array.from(tensors.i.data)).toEqual([123456]);
  });

  it('reads from a view into a larger buffer at an odd offset (as Node Buffers are)', () => {
    const bytes = encodeSafetensors({ b: { dtype: 'F64', shape: [2], data: new Float64Array([0.1, -7]) } });
    const big = new Uint8Array(bytes.length + 3);
    big.set(bytes, 3);
    const { tensors } = decodeSafetensors(big.subarray(3));
    expect(Array.from(tensors.b.data)).toEqual([0.1, -7]);
  });

  it('keeps a hostile name such as __proto__ as a plain key', () => {
    const { tensors } = decodeSafetensors(
      file('{"__proto__":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}', f32Bytes([9])),
    );
    expect(Object.getPrototypeOf(tensors)).toBe(Object.prototype);
    expect(Object.keys(tensors)).toEqual(['__proto__']);
  });

  const ok = '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}';
  const cases: [string, Uint8Array, RegExp][] = [
    ['a file shorter than the length field', new Uint8Array(5), /file is 5 bytes/],
    ['a header longer than the file', file(ok, f32Bytes([1, 2]), 1000n), /header length 1000 is longer than/],
    ['a header length of 2^64 - 1', file(ok, f32Bytes([1, 2]), 2n ** 64n - 1n), /is longer than/],
    ['bad JSON', file('{"a": [1, 2', f32Bytes([1, 2])), /not valid JSON/],
    ['a header that is not an object', file('[1, 2, 3]', new Uint8Array(0)), /JSON object/],
    [
      'an unknown dtype',
      file('{"a":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}', f32Bytes([1, 2])),
      /unknown dtype "F33"/,
    ],
    [
      'an unsupported dtype',
      file('{"a":{"dtype":"BOOL","shape":[2],"data_offsets":[0,2]}}', new Uint8Array(2)),
      /BOOL is not supported/,
    ],
    [
      'a negative dimension',
      file('{"a":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}', f32Bytes([1, 2])),
      /non-negative integers/,
    ],
    [
      'bytes not matching the shape',
      file('{"a":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}', f32Bytes([1, 2])),
      /needs 12 bytes, but data_offsets span 8/,
    ],
    [
      'offsets past the end',
      file('{"a":{"dtype":"F32","shape":[2],"data_offsets":[4,12]}}', f32Bytes([1, 2])),
      /past the 8-byte data/,
    ],
    [
      'reversed offsets',
      file('{"a":{"dtype":"F32","shape":[0],"data_offsets":[8,0]}}', f32Bytes([1, 2])),
      /0 <= begin <= end/,
    ],
    [
      'overlapping tensors',
      file(
        '{"a":{"dtype":"F32","shape":[2],"data_offsets":[0,8]},"b":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}',
        f32Bytes([1, 2]),
      ),
      /overlap/,
    ],
    [
      'a gap in the data',
      file('{"a":{"dtype":"F32","shape":[1],"data_offsets":[4,8]}}', f32Bytes([1, 2])),
      /bytes 0\.\.4 of the data belong to no tensor/,
    ],
    ['trailing bytes', file(ok, f32Bytes([1, 2, 3])), /data is 12 bytes but the tensors cover 8/],
    ['non-string metadata', file('{"__metadata__":{"step":3}}'), /metadata 'step' must be a string/],
    [
      'an I64 beyond 2^53',
      (() => {
        const d = new Uint8Array(8);
        new DataView(d.buffer).setBigInt64(0, 2n ** 60n, true);
        return file('{"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}', d);
      })(),
      /not exactly representable/,
    ],
  ];
  for (const [what, bytes, message] of cases) {
    it(`refuses ${what}`, () => {
      expect(() => decodeSafetensors(bytes)).toThrow(message);
    });
  }
});
