import { save } from '../memory';
import type { Tensor } from '../tensor';
import { resaveWatched, watchCount, writeClock } from '../versions';
import { isGradEnabled } from './grad-mode';

/**
 * A vector-Jacobian product: given the gradient of the loss with respect to an op's output, the gradient
 * with respect to each input (`null` where an input gets none). It may return a gradient in the op's
 * broadcast output shape: the engine sums it back to the input's shape. It must not mutate anything.
 */
export type Vjp = (grad: Tensor) => ReadonlyArray<Tensor | null | undefined>;

/**
 * One recorded operation of the tape: the op's name, its inputs, its VJP (null once freed), the tensors
 * the VJP reads (`reads`; null for the default, its output and every input), what else it keeps alive
 * (`extra`: tensors it reads that are neither its output nor an input, such as `where`'s condition), and
 * the write clock when it was recorded (`recordedAt`), which the engine compares before the VJP runs.
 */
export interface Node {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  vjp: Vjp | null;
  readonly reads: readonly Tensor[] | null;
  readonly extra: readonly Tensor[];
  readonly recordedAt: number;
  /**
   * A primitive's node (not a `customOp`'s): its VJP follows the memory rule, so whatever it returns that
   * shares no buffer with its output gradient, inputs or reads is new, and the engine may reuse it.
   */
  readonly builtin: boolean;
}

const NONE: readonly Tensor[] = Object.freeze([]);

/**
 * The closed set of primitives: every op recorded on the tape is one of these (or a `customOp`). Each is a
 * device kernel call forward and a VJP written with tensor ops; everything else in the package composes them.
 */
export type Primitive =
  | 'abs'
  | 'add'
  | 'avgPool2d'
  | 'avgPool2dBackward'
  | 'batchNorm'
  | 'cast'
  | 'concat'
  | 'conv2d'
  | 'conv2dBackInput'
  | 'conv2dBackWeight'
  | 'div'
  | 'exp'
  | 'expand'
  | 'gather'
  | 'log'
  | 'maskedAffine'
  | 'matmul'
  | 'max'
  | 'maximum'
  | 'maxPool2d'
  | 'min'
  | 'minimum'
  | 'mul'
  | 'permute'
  | 'pow'
  | 'relu'
  | 'reshape'
  | 'scatterAdd'
  | 'selu'
  | 'sigmoid'
  | 'slice'
  | 'sliceBackward'
  | 'softplus'
  | 'sqrt'
  | 'sub'
  | 'sum'
  | 'tanh'
  | 'where';

/** `record` for a user's `customOp`, whose name is its own. */
export function recordCustom(
  name: string,
  out: Tensor,
  inputs: readonly Tensor[],
  vjp: Vjp,
  reads?: readonly Tensor[],
): Tensor {
  return record(name as Primitive, out, inputs, vjp, reads, false);
}

/**
 * Records `out = op(inputs)` on the tape when grad mode is on and some input requires a gradient:
 * `out` then requires grad and remembers its node. Returns `out`. `reads` lists the tensors whose values
 * the VJP reads (default: the output and every input); an in-place write into one of them before the
 * backward pass is an error there (see `checkSaved` in the engine). Whatever it lists, the node keeps
 * the storage of its output, its inputs and `reads` from reuse (`dispose`) until it is freed.
 */
export function record(
  op: Primitive,
  out: Tensor,
  inputs: readonly Tensor[],
  vjp: Vjp,
  reads?: readonly Tensor[],
  builtin = true,
): Tensor {
  if (!isGradEnabled()) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  out.requiresGrad = true;
  save(out);
  for (const t of inputs) save(t);
  let extra = NONE;
  if (reads !== undefined) {
    for (const t of reads) {
      if (t === out || inputs.includes(t)) continue;
      if (extra === NONE) extra = [];
      (extra as Tensor[]).push(t);
      save(t);
    }
  }
  if (watchCount() > 0) {
    // A raw write into a watched array before this node saved it is declared now, so it is blamed on the
    // nodes that saved the old values, not on this one.
    if (reads === undefined) {
      resaveWatched(out.buffer);
      for (const t of inputs) resaveWatched(t.buffer);
    } else for (const t of reads) resaveWatched(t.buffer);
  }
  out.node = { op, inputs, vjp, reads: reads ?? null, extra, recordedAt: writeClock(), builtin };
  return out;
}
