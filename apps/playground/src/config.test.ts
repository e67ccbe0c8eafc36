import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, parseParams } from './config.ts';

describe('parseParams', () => {
  it('reads the test hook and the settings from the query', () => {
    const p = parseParams('?autostart&steps=200&depth=16&width=256&nets=selu,relu-bn&lr=3e-4&optimizer=sgd');
    expect(p.autostart).toBe(true);
    expect(p.steps).toBe(200);
    expect(p.config).toEqual({
      ...DEFAULT_CONFIG,
      depth: 16,
      width: 256,
      nets: ['selu', 'relu-bn'],
      lr: 3e-4,
      optimizer: 'sgd',
    });
  });

  it('gives the defaults for an empty query: no autostart, no step limit', () => {
    expect(parseParams('')).toEqual({ config: DEFAULT_CONFIG, autostart: false, steps: null });
  });

  it('names the parameter, the value and what is accepted', () => {
    expect(() => parseParams('?depth=40')).toThrow("?depth= must be an integer in 1..32, got '40'");
    expect(() => parseParams('?nets=selu,tanh')).toThrow(
      /\?nets= must list distinct networks among selu, relu, relu-bn/,
    );
    expect(() => parseParams('?optimizer=rmsprop')).toThrow("?optimizer= must be adam or sgd, got 'rmsprop'");
    expect(() => parseParams('?dropout=1')).toThrow("?dropout= must be a number in [0, 1), got '1'");
    expect(() => parseParams('?steps=-1')).toThrow(/\?steps= must be an integer/);
  });
});
