import { describe, expect, it } from 'vitest';
import { GraphBuilder } from './graph';

describe('GraphBuilder', () => {
  it('names are unique: a second use of a name gets a suffix', () => {
    const g = new GraphBuilder(['input', 'output']);
    expect([g.unique('input'), g.unique('x'), g.unique('x')]).toEqual(['input_1', 'x', 'x_1']);
    expect(g.node('Relu', ['input'], 'a')).toBe('a/Relu_output');
    expect(g.node('Relu', ['a/Relu_output'], 'a')).toBe('a/Relu_1_output');
  });

  it('refuses weights past what one ONNX file holds, naming the initializer', () => {
    const g = new GraphBuilder([], 64);
    g.floatInitializer('0.weight', { shape: [4, 4], data: new Float32Array(16) }); // 64 bytes: fits
    expect(() => g.floatInitializer('1.weight', { shape: [1], data: new Float32Array(1) })).toThrow(
      "the weights reach 68 bytes at '1.weight'; one ONNX file holds at most 64",
    );
    expect(new GraphBuilder([]).maxWeightBytes).toBe(2 ** 31 - 2 ** 24);
  });
});
