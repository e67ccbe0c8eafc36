/**
 * A seeded, splittable pseudo-random number generator: the only source of randomness in selfnorm.
 *
 * Algorithm: xoshiro128** 1.0 (Blackman & Vigna, 2018; 128-bit state, period 2^128 − 1), its state
 * filled from the seed by SplitMix32. `uniform()` builds a 53-bit double from two outputs; `normal()` is the
 * Box–Muller transform of two uniforms (one normal per call, so the stream position never depends on a
 * cached spare). `split()` draws four words from this stream and uses them, mixed through SplitMix32, as the
 * state of a new generator: independent for all practical purposes, and deterministic.
 *
 * @example
 * const rng = new Rng(42);
 * rng.uniform(); // 0 <= u < 1
 * const child = rng.split(); // an independent stream, e.g. for dropout
 */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /** @param seed an integer seed (any safe integer; the same seed gives the same stream everywhere). */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) {
      throw new TypeError(`Rng: seed must be a safe integer, got ${String(seed)}`);
    }
    // Fold the seed's high and low 32 bits, then SplitMix32 to fill the state.
    let x = (seed >>> 0) ^ Math.imul(Math.floor(seed / 4294967296) | 0, 0x9e3779b9);
    const next = () => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next raw 32-bit output, as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /**
   * Fills `out` with the next `out.length` raw 32-bit outputs: the values, in order, that as many
   * `nextUint32()` calls would return, and the stream continues after them. The state stays in locals,
   * so a large fill costs a fraction of the calls it replaces (docs/BENCHMARKS.md). Returns `out`.
   * @example const bits = rng.fillUint32(new Uint32Array(1024));
   */
  fillUint32(out: Uint32Array): Uint32Array {
    let { s0, s1, s2, s3 } = this;
    for (let i = 0; i < out.length; i++) {
      out[i] = Math.imul(rotl(Math.imul(s1, 5), 7), 9);
      const t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** A uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /**
   * Fills `out` with the next `out.length` uniforms in [0, 1): the values, in order, that as many `uniform()`
   * calls would return (two raw outputs each, 53 bits), stored into out's dtype (float32 rounds to nearest),
   * and the stream continues after them. The state stays in locals, as in `fillUint32`, so a large fill costs
   * a fraction of the calls it replaces: what a device's `random` uniform kernel (and `rand`) can use.
   * Returns `out`.
   * @example const u = rng.fillUniform(new Float32Array(1024));
   */
  fillUniform<T extends Float32Array | Float64Array>(out: T): T {
    let { s0, s1, s2, s3 } = this;
    for (let i = 0; i < out.length; i++) {
      const hi = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 5; // 27 bits
      let t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      const lo = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 6; // 26 bits
      t = s1 << 9;
      s2 ^= s0;
      s3 ^= s1;
      s1 ^= s2;
      s0 ^= s3;
      s2 ^= t;
      s3 = rotl(s3, 11);
      out[i] = (hi * 67108864 + lo) / 9007199254740992;
    }
    this.s0 = s0;
    this.s1 = s1;
    this.s2 = s2;
    this.s3 = s3;
    return out;
  }

  /** A standard normal draw (mean 0, variance 1), by Box–Muller. */
  normal(): number {
    const u1 = 1 - this.uniform(); // (0, 1]: log never sees 0
    const u2 = this.uniform();
    return Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
  }

  /** A uniform integer in [low, high). */
  int(low: number, high: number): number {
    if (!Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high <= low) {
      throw new RangeError(`Rng.int: need integers low < high, got low=${low}, high=${high}`);
    }
    return low + Math.floor(this.uniform() * (high - low));
  }

  /** Fisher–Yates shuffle of `array` in place; returns it. */
  shuffle<T>(array: T[] | Uint32Array | Int32Array | Float64Array | Float32Array): typeof array {
    for (let i = array.length - 1; i > 0; i--) {
      const j = Math.floor(this.uniform() * (i + 1));
      const t = array[i];
      array[i] = array[j];
      array[j] = t;
    }
    return array;
  }

  /** A new, independent generator derived from this one (this stream advances by four outputs). */
  split(): Rng {
    const child = new Rng(0);
    let x = this.nextUint32() ^ 0x5bd1e995;
    const mix = (w: number) => {
      x = (x + 0x9e3779b9 + w) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) >>> 0;
    };
    child.s0 = mix(this.nextUint32());
    child.s1 = mix(this.nextUint32());
    child.s2 = mix(this.nextUint32());
    child.s3 = mix(0);
    if ((child.s0 | child.s1 | child.s2 | child.s3) === 0) child.s0 = 1;
    return child;
  }

  /** A copy of the 128-bit state (four 32-bit words), for checkpoints. */
  state(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  /** A generator that continues exactly where the one whose `state()` was taken left off. */
  static fromState(state: ArrayLike<number>): Rng {
    if (state.length !== 4 || !Array.from(state).every((w) => Number.isInteger(w) && w >= 0 && w < 2 ** 32)) {
      throw new TypeError('Rng.fromState: state must be four unsigned 32-bit integers (from rng.state())');
    }
    if (state[0] === 0 && state[1] === 0 && state[2] === 0 && state[3] === 0) {
      throw new RangeError('Rng.fromState: the all-zero state is not a valid xoshiro128** state');
    }
    const rng = new Rng(0);
    rng.s0 = state[0] | 0;
    rng.s1 = state[1] | 0;
    rng.s2 = state[2] | 0;
    rng.s3 = state[3] | 0;
    return rng;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
