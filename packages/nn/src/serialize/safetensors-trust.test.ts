import { describe, expect, it } from 'vitest';
import { messageOf } from '../testing/message-of';
import { decodeSafetensors, encodeSafetensors, type RawTensor } from './safetensors-format';

/** Builds a file by hand: length prefix, the given header text, then the given data bytes. */
function file(header: string, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const json = new TextEncoder().encode(header);
  const out = new Uint8Array(8 + json.length + data.length);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  out.set(data, 8 + json.length);
  return out;
}

const raw = (t: unknown) => t as RawTensor;

describe('encodeSafetensors refuses data it would write wrongly (issue 11)', () => {
  it('refuses an array type that does not match the dtype, naming the tensor', () => {
    expect(() =>
      encodeSafetensors({ w: { dtype: 'F64', shape: [2], data: new Float32Array([1, 2]) } }),
    ).toThrow(/encodeSafetensors: tensor 'w': dtype F64 needs a Float64Array, got a Float32Array/);
    expect(() =>
      encodeSafetensors({ w: { dtype: 'F32', shape: [2], data: new Float64Array([1, 2]) } }),
    ).toThrow(/tensor 'w': dtype F32 needs a Float32Array, got a Float64Array/);
  });

  it('refuses plain arrays (they were written as zeros)', () => {
    expect(() => encodeSafetensors({ b: raw({ dtype: 'F32', shape: [2], data: [1, 2] }) })).toThrow(
      /tensor 'b': dtype F32 needs a Float32Array, got an Array/,
    );
  });

  it('refuses negative, fractional and non-number shapes', () => {
    for (const shape of [[-2, -2], [2.5, 1.6], ['2', '2'], [Number.NaN], 'abc', null]) {
      expect(() => encodeSafetensors({ s: raw({ dtype: 'F32', shape, data: new Float32Array(4) }) })).toThrow(
        /tensor 's': shape must be an array of non-negative integers, got /,
      );
    }
  });

  it('refuses an entry that is not a tensor and a metadata argument that is not an object', () => {
    expect(() => encodeSafetensors({ n: raw(null) })).toThrow(/tensor 'n' must be an object/);
    expect(() => encodeSafetensors({}, [] as unknown as Record<string, string>)).toThrow(
      /metadata must be an object of strings/,
    );
  });

  it('still writes what it accepts, bit for bit', () => {
    const bytes = encodeSafetensors({
      w: { dtype: 'F64', shape: [1, 2], data: new Float64Array([0.1, -3]) },
    });
    expect(Array.from(decodeSafetensors(bytes).tensors.w.data)).toEqual([0.1, -3]);
  });
});

describe('decodeSafetensors against hostile headers (issue 11)', () => {
  const deep = (n: number) => `${'['.repeat(n)}${']'.repeat(n)}`;

  it('refuses a nesting bomb in metadata, shape or data_offsets with a short message, not a stack overflow', () => {
    for (const header of [
      `{"__metadata__":{"x":${deep(100_000)}}}`,
      `{"a":{"dtype":"F32","shape":${deep(100_000)},"data_offsets":[0,0]}}`,
      `{"a":{"dtype":"F32","shape":[0],"data_offsets":${deep(100_000)}}}`,
    ]) {
      const message = messageOf(() => decodeSafetensors(file(header)));
      expect(message).toMatch(/^safetensors: the header nests deeper than 64 levels/);
      expect(message.length).toBeLessThan(300);
    }
  });

  it('formats moderately nested wrong values without recursing into them', () => {
    const message = messageOf(() => decodeSafetensors(file(`{"__metadata__":{"x":${deep(60)}}}`)));
    expect(message).toMatch(/metadata 'x' must be a string, got \[\[\[\[\[…\]\]\]\]\]$/);
  });

  it('cuts offending values, names and dtypes to about 100 characters', () => {
    const long = 'x'.repeat(2_000_000);
    for (const header of [
      `{"__metadata__":{"k":["${long}"]}}`,
      `{"a":{"dtype":"${long}","shape":[0],"data_offsets":[0,0]}}`,
      `{"a":{"dtype":"F32","shape":[${'1,'.repeat(1_000_000)}-1],"data_offsets":[0,0]}}`,
      `{"${long}":{"dtype":"F32","shape":[1],"data_offsets":[0,0]}}`,
    ]) {
      const message = messageOf(() => decodeSafetensors(file(header)));
      expect(message).toMatch(/…/);
      expect(message.length).toBeLessThan(400);
    }
  });

  it('refuses a tensor name that appears twice (JSON.parse would keep the last silently)', () => {
    const entry = '{"dtype":"F32","shape":[1],"data_offsets":[0,4]}';
    const four = new Uint8Array(4);
    expect(() => decodeSafetensors(file(`{"a":${entry},"a":${entry}}`, four))).toThrow(
      /safetensors: tensor 'a' appears twice in the header/,
    );
    // The same name spelled with an escape is the same name.
    expect(() => decodeSafetensors(file(`{"a":${entry},"\\u0061":${entry}}`, four))).toThrow(
      /tensor 'a' appears twice/,
    );
    // A quote or a brace inside a string is not structure.
    expect(Object.keys(decodeSafetensors(file(`{"a\\",\\"a{":${entry}}`, four)).tensors)).toEqual(['a","a{']);
  });

  it('refuses a metadata key or an entry field given twice', () => {
    expect(() => decodeSafetensors(file('{"__metadata__":{"k":"1","k":"2"}}'))).toThrow(
      /metadata key 'k' appears twice/,
    );
    expect(() =>
      decodeSafetensors(file('{"a":{"dtype":"F32","shape":[1],"shape":[0],"data_offsets":[0,0]}}')),
    ).toThrow(/tensor 'a': field 'shape' appears twice/);
  });

  it('refuses more tensors than the limit before building them (a generated header of 10^6 empty tensors)', () => {
    const parts: string[] = [];
    for (let i = 0; i < 1_000_000; i++)
      parts.push(`"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
    const bytes = file(`{${parts.join(',')}}`);
    const started = performance.now();
    expect(() => decodeSafetensors(bytes)).toThrow(
      /safetensors: the header declares more than 100000 tensors \(the limit\)/,
    );
    // Refused by the scan, before JSON.parse builds an object per tensor (which took seconds and ~1 GB).
    expect(performance.now() - started).toBeLessThan(2000);
  });

  it('still reads a file with many tensors below the limit', () => {
    const parts: string[] = [];
    for (let i = 0; i < 10_000; i++) parts.push(`"t${i}":{"dtype":"F32","shape":[0],"data_offsets":[0,0]}`);
    expect(Object.keys(decodeSafetensors(file(`{${parts.join(',')}}`)).tensors).length).toBe(10_000);
  });

  it('names the source in every message when one is given', () => {
    expect(() => decodeSafetensors(new Uint8Array(3), { source: 'run/model.safetensors' })).toThrow(
      /^safetensors: run\/model.safetensors: file is 3 bytes/,
    );
  });
});
