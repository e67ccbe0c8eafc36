/** The one mask protocol of the dropout layers (Dropout, AlphaDropout, FeatureAlphaDropout). */
import { lt, type Rng, rand, type Tensor } from '@selfnorm/tensor';

/** The protocol's uniform draws, u = rand(shape, { rng, dtype, device }) in `like`'s dtype and device; keep = u < 1 − rate. */
export function maskDraws(shape: readonly number[], rng: Rng, like: Tensor): Tensor {
  return rand(shape, { rng, dtype: like.dtype, device: like.device });
}

/**
 * The keep mask of every dropout layer: keep = lt(rand(shape, { rng, dtype }), 1 − rate), a tensor of 1
 * (kept, probability 1 − rate) and 0 (dropped), one uniform draw per entry in row-major order. `shape` is the
 * input's shape, or a shape that broadcasts to it (AlphaDropout's noiseShape, FeatureAlphaDropout's
 * [N, C, 1, …]). Built with tensor ops only, so it is drawn on whatever device `rand` runs.
 * @example const keep = keepMask([2, 3], 0.1, rng, x); // mostly 1s, in x's dtype and on x's device
 */
export function keepMask(shape: readonly number[], rate: number, rng: Rng, like: Tensor): Tensor {
  const u = maskDraws(shape, rng, like);
  const keep = lt(u, 1 - rate);
  u.dispose(); // read once: its storage goes back to the pool
  return keep;
}
