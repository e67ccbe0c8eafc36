import type { Tensor } from '../tensor';
import { isGradEnabled } from './grad-mode';

/**
 * A vector-Jacobian product: given the gradient of the loss with respect to an op's output, the gradient
 * with respect to each input (`null` where an input gets none). It may return a gradient in the op's
 * broadcast output shape: the engine sums it back to the input's shape. It must not mutate anything.
 */
export type Vjp = (grad: Tensor) => ReadonlyArray<Tensor | null | undefined>;

/** Gradients whose storage is new and referenced by that tensor alone (see `owned`). */
const ownedTensors = new WeakSet<Tensor>();

/**
 * Declares that `t`'s storage was just allocated and nothing else references it, so the engine may make it
 * a leaf's `.grad` without the defensive copy. Only for tensors a VJP (or the engine) has just created.
 * Returns `t`.
 */
export function owned(t: Tensor): Tensor {
  ownedTensors.add(t);
  return t;
}

/** Whether `t` was declared `owned` (and not since adopted as a .grad or handed to the caller). */
export function isOwned(t: Tensor): boolean {
  return ownedTensors.has(t);
}

/** Withdraws `owned`: the tensor is now referenced from more than one place. */
export function disown(t: Tensor): void {
  ownedTensors.delete(t);
}

/** One recorded operation of the tape: the op's name, its inputs, and its VJP (null once freed). */
export interface Node {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  vjp: Vjp | null;
}

/**
 * Records `out = op(inputs)` on the tape when grad mode is on and some input requires a gradient:
 * `out` then requires grad and remembers its node. Returns `out`.
 */
export function record(op: string, out: Tensor, inputs: readonly Tensor[], vjp: Vjp): Tensor {
  if (!isGradEnabled()) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  out.requiresGrad = true;
  out.node = { op, inputs, vjp };
  // The VJP may read the output's and the inputs' storage: none of it is reused before the node is freed.
  out.savedBy++;
  for (const t of inputs) t.savedBy++;
  return out;
}
