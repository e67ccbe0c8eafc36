import { ones } from '../creation';
import { disown, dispose, isOwned, owned, unsave } from '../memory';
import { add } from '../primitives/binary';
import { sum } from '../primitives/reduce';
import { cast, reshape } from '../primitives/view';
import { broadcastsTo, formatShape, reducedAxesForBroadcast, shapesEqual } from '../shape';
import { Tensor } from '../tensor';
import { fingerprintOf, storageState, watchCount, writeClock } from '../versions';
import { withGradMode } from './grad-mode';
import type { Node } from './node';

export interface BackwardOptions {
  /** Keep the graph after the sweep so that it can be differentiated through again. Default false. */
  retainGraph?: boolean;
  /** Record the backward computation itself, for higher-order derivatives. Default false. */
  createGraph?: boolean;
}

interface SweepOptions extends BackwardOptions {
  /** Accumulate into the `.grad` of leaves (backward) or only collect the gradients of `inputs` (grad). */
  accumulate: boolean;
  inputs?: readonly Tensor[];
}

/** The nodes reachable from `roots`, inputs before outputs. Iterative: deep chains cannot overflow the stack. */
function topologicalOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  const stack: Array<[Tensor, number]> = [];
  for (const root of roots) {
    if (visited.has(root) || !root.requiresGrad) continue;
    visited.add(root);
    stack.push([root, 0]);
    while (stack.length > 0) {
      const top = stack[stack.length - 1];
      const [t, i] = top;
      const inputs = t.node?.inputs ?? [];
      if (i < inputs.length) {
        top[1] = i + 1;
        const child = inputs[i];
        if (child.requiresGrad && !visited.has(child)) {
          visited.add(child);
          stack.push([child, 0]);
        }
      } else {
        stack.pop();
        order.push(t);
      }
    }
  }
  return order;
}

/** Sums a gradient computed in a broadcast shape back to the input's shape, and matches its dtype. */
function fitGradient(g: Tensor, input: Tensor, op: string, index: number): Tensor {
  if (!shapesEqual(g.shape, input.shape)) {
    if (!broadcastsTo(input.shape, g.shape)) {
      throw new Error(
        `backward: the gradient op '${op}' returned for input ${index} has shape ${formatShape(g.shape)}, ` +
          `which does not match (or broadcast from) the input's shape ${formatShape(input.shape)}`,
      );
    }
    g = owned(
      reshape(sum(g, reducedAxesForBroadcast(input.shape, g.shape), { keepDims: true }), input.shape),
    );
  }
  return g.dtype === input.dtype ? g : owned(cast(g, input.dtype));
}

/** Numbers the sweeps, so that each verifies a watched storage's fingerprint once. */
let sweeps = 0;

/**
 * Before a VJP reads what its node saved: every tensor it reads (`node.reads`) must hold what it held
 * when the node saved it. A declared write moved the write clock and stamped its storage; a raw write
 * through a watched `.data` changed its fingerprint. Either is an error naming the op and the tensor, as
 * in PyTorch ("one of the variables needed for gradient computation has been modified by an inplace
 * operation"). When nothing was written or watched since the node was recorded, this is one comparison.
 */
function checkSaved(out: Tensor, node: Node, sweep: number): string {
  if (node.recordedAt === writeClock() && watchCount() === 0) return '';
  const reads = node.reads ?? [out, ...node.inputs];
  for (const t of reads) {
    const s = storageState(t.buffer);
    if (s === undefined) continue;
    let how = '';
    if (s.lastWrite > node.recordedAt) {
      how = `a declared write: its version is now ${s.version}`;
    } else if (s.watched && s.checkedIn !== sweep) {
      if (fingerprintOf(t.storage) !== s.fingerprint) how = 'its values changed since .data was taken';
      else s.checkedIn = sweep;
    }
    if (how === '') continue;
    const input = node.inputs.indexOf(t);
    const which =
      t === out ? 'the output' : input >= 0 ? `input ${input}` : 'a tensor it reads (not an input)';
    return (
      `backward: ${which} of '${node.op}' (a ${t.dtype} tensor of shape ${formatShape(t.shape)}) was modified ` +
      `in place after '${node.op}' saved it for the backward pass (${how}), so its gradient would be ` +
      'wrong; clone() the tensor before editing it, or edit it after backward()'
    );
  }
  return '';
}

/**
 * The reverse sweep: visit nodes outputs-first, call each VJP once with the summed gradient of its output,
 * and add the results into the inputs' gradients. Returns the gradients of `options.inputs` (if given).
 */
export function sweep(
  roots: readonly Tensor[],
  rootGrads: readonly Tensor[],
  options: SweepOptions,
): Map<Tensor, Tensor> {
  const createGraph = options.createGraph ?? false;
  const retainGraph = options.retainGraph ?? createGraph;
  const order = topologicalOrder(roots);
  const grads = new Map<Tensor, Tensor>();
  // How many entries of `grads` hold each gradient: one tensor can be the gradient of several inputs
  // (add's VJP returns [g, g]), and it may be disposed only once the last of them has been consumed.
  const holds = new Map<Tensor, number>();
  const hold = (t: Tensor) => holds.set(t, (holds.get(t) ?? 0) + 1);
  const letGo = (t: Tensor) => {
    const n = (holds.get(t) ?? 0) - 1;
    if (n > 0) holds.set(t, n);
    else holds.delete(t);
  };
  // A consumed gradient the engine created (owned: nothing outside the sweep has seen it) that no entry of
  // `grads` still holds goes back to the storage pool at once, instead of to the garbage collector: the next
  // VJP of the same size reuses its buffer. Not while recording (createGraph): the graph may read it.
  const recycle = (t: Tensor) => {
    if (!createGraph && isOwned(t) && !holds.has(t)) dispose(t);
  };
  const wanted = new Set(options.inputs ?? []);
  const captured = new Map<Tensor, Tensor>();
  const sweepId = ++sweeps;
  withGradMode(createGraph, () => {
    roots.forEach((r, i) => {
      disown(rootGrads[i]); // the caller's tensor: never adopted as a .grad
      const prev = grads.get(r);
      if (prev) letGo(prev);
      const sum = prev ? add(prev, rootGrads[i]) : rootGrads[i];
      grads.set(r, sum);
      hold(sum);
    });
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k];
      const g = grads.get(t);
      grads.delete(t);
      if (!g) continue;
      letGo(g);
      if (wanted.has(t)) {
        captured.set(t, g);
        disown(g);
      }
      const node = t.node;
      if (!node) {
        // On first accumulation, a copy unless g is owned: g may share storage with another leaf's gradient
        // (add's VJP returns [g, g]) or with the caller's `gradient`, and optimizers may edit .grad in place.
        // Adoption withdraws the mark, so a tensor handed to several leaves is kept by one at most.
        if (options.accumulate) {
          if (t.grad) {
            t.grad = add(t.grad, g);
            recycle(g);
          } else {
            t.grad = createGraph || isOwned(g) ? g : g.clone();
          }
          disown(g);
        }
        continue;
      }
      if (!node.vjp) {
        throw new Error(
          `backward: the graph through op '${node.op}' was already freed by an earlier backward(); ` +
            'pass { retainGraph: true } to the first backward() to differentiate through it again',
        );
      }
      const stale = checkSaved(t, node, sweepId);
      if (stale !== '') {
        // The graph cannot give a right gradient any more: free it (unless asked to keep it), so that what
        // it saved can be reused and its watches end.
        if (!retainGraph) for (const u of order) if (u.node?.vjp) free(u, u.node);
        throw new Error(stale);
      }
      const inputGrads = node.vjp(g);
      if (node.builtin && !createGraph) markNew(inputGrads, g, t, node);
      const consumed = [g];
      node.inputs.forEach((input, i) => {
        const gi = inputGrads[i];
        if (!gi || !input.requiresGrad) return;
        const fitted = fitGradient(gi, input, node.op, i);
        if (fitted !== gi) consumed.push(gi);
        const prev = grads.get(input);
        if (prev) {
          letGo(prev);
          consumed.push(prev, fitted);
        }
        const next = prev ? owned(add(prev, fitted)) : fitted;
        grads.set(input, next);
        hold(next);
      });
      for (const u of consumed) recycle(u);
    }
  });
  if (!retainGraph) for (const t of order) if (t.node?.vjp) free(t, t.node);
  return captured;
}

/**
 * Marks `owned` what a primitive's VJP returned that shares no buffer with the gradient it was given, the
 * node's output, inputs or reads: such a tensor was just created (the memory rule), so it may become a
 * leaf's `.grad` without a copy, or go back to the pool once consumed. A view (reshape of g) is not marked.
 */
function markNew(
  inputGrads: readonly (Tensor | null | undefined)[],
  g: Tensor,
  out: Tensor,
  node: Node,
): void {
  for (const gi of inputGrads) {
    if (!gi || isOwned(gi)) continue;
    const b = gi.buffer;
    if (b === g.buffer || b === out.buffer) continue;
    if (node.inputs.some((t) => t.buffer === b) || node.extra.some((t) => t.buffer === b)) continue;
    owned(gi);
  }
}

/** Drops a node's VJP, and with it what the VJP saved: its output, inputs and reads (see `Tensor.dispose`). */
function free(out: Tensor, node: Node): void {
  node.vjp = null;
  unsave(out);
  for (const t of node.inputs) unsave(t);
  for (const t of node.extra) unsave(t);
}

/** `tensor.backward()`: gradients of `root` accumulate into the `.grad` of every leaf it depends on. */
export function backward(root: Tensor, gradient: Tensor | undefined, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new Error(
      'backward: this tensor does not require grad and has no graph; create an input with ' +
        '{ requiresGrad: true } (and do not compute it inside noGrad)',
    );
  }
  if (gradient !== undefined && !(gradient instanceof Tensor)) {
    throw new TypeError(
      `backward: gradient must be a Tensor of shape ${formatShape(root.shape)} (or omitted for a scalar), got ${gradient === null ? 'null' : typeof gradient}`,
    );
  }
  if (gradient === undefined) {
    if (root.size !== 1) {
      throw new Error(
        `backward: a gradient can be implied only for a scalar output, but this tensor has shape ` +
          `${formatShape(root.shape)}; pass the gradient of the loss with respect to it, or reduce it first (e.g. .sum())`,
      );
    }
    gradient = ones(root.shape, { dtype: root.dtype, device: root.device });
  } else if (!shapesEqual(gradient.shape, root.shape)) {
    throw new Error(
      `backward: the gradient has shape ${formatShape(gradient.shape)} but the tensor has shape ${formatShape(root.shape)}`,
    );
  }
  // Like PyTorch, the seed takes the output's dtype (so a leaf's .grad always has the leaf's dtype).
  if (gradient.dtype !== root.dtype) gradient = cast(gradient, root.dtype);
  sweep([root], [gradient], { ...options, accumulate: true });
}
