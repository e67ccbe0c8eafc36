/**
 * In-place updates of tensors, outside the autograd graph: `assign` (a copy into a tensor), `axpy` and the
 * optimizer steps `sgdStep` and `adamStep`. They are what `@selfnorm/nn` uses to write into parameters,
 * state buffers and running statistics, so that it never touches a typed array itself. Each declares its
 * write (`markModified()`): a backward pass that saved a tensor before the update throws instead of
 * computing a wrong gradient.
 *
 * The writes themselves are the device's kernels (`Kernels.axpy`, `sgdStep`, `adamStep`, `copy`/`cast`/`fill`,
 * src/device/device.ts), so they run wherever the tensors live.
 */
import { checkTensor, describeValue } from '../arg-checks';
import { noGrad } from '../autograd/grad-mode';
import type { AdamStep, SgdStep } from '../device/device';
import { deviceOf } from '../primitives/util';
import { cast } from '../primitives/view';
import { broadcastShapes, broadcastStrides, formatShape, shapesEqual } from '../shape';
import type { Tensor } from '../tensor';

export type { AdamStep, SgdStep } from '../device/device';

/** Throws unless `t` is a live tensor that an in-place write may change (not a non-leaf that requires grad). */
function checkWritable(t: unknown, fn: string, arg: string): Tensor {
  const x = checkTensor(t, fn, arg);
  if (x.isDisposed) throw new RangeError(`${fn}: ${arg} was disposed`);
  if (x.requiresGrad && !x.isLeaf) {
    throw new TypeError(
      `${fn}: ${arg} is the output of '${x.node?.op}' and requires grad, so an in-place write would make ` +
        'the gradients of the graph it belongs to wrong; write into a leaf, or into x.detach()',
    );
  }
  return x;
}

/** Throws unless `t` is a live tensor with the dtype and shape of `like`. */
function checkLike(t: unknown, like: Tensor, fn: string, arg: string, likeArg: string): Tensor {
  const x = checkTensor(t, fn, arg);
  if (x.isDisposed) throw new RangeError(`${fn}: ${arg} was disposed`);
  deviceOf(fn, like, x);
  if (x.dtype !== like.dtype || !shapesEqual(x.shape, like.shape)) {
    throw new RangeError(
      `${fn}: ${arg} must have the dtype and shape of ${likeArg} (${like.dtype} ${formatShape(like.shape)}), ` +
        `got ${x.dtype} ${formatShape(x.shape)}`,
    );
  }
  return x;
}

/** Throws unless each named field of `h` is a number (or, for `flags`, a boolean). */
function checkHyper(
  h: unknown,
  numbers: readonly string[],
  flags: readonly string[],
  fn: string,
  type: string,
): void {
  if (typeof h !== 'object' || h === null) {
    throw new TypeError(`${fn}: h must be an ${type} object, got ${describeValue(h)}`);
  }
  const o = h as Record<string, unknown>;
  for (const k of numbers) {
    if (typeof o[k] !== 'number')
      throw new TypeError(`${fn}: h.${k} must be a number, got ${describeValue(o[k])}`);
  }
  for (const k of flags) {
    if (typeof o[k] !== 'boolean')
      throw new TypeError(`${fn}: h.${k} must be true or false, got ${describeValue(o[k])}`);
  }
}

/**
 * Copies `source`'s values into `target` in place and returns `target`: target ← source, PyTorch's
 * `target.copy_(source)` (or `fill_` for a number). `source` has target's shape or broadcasts to it (NumPy
 * rules, and the broadcast result must be target's own shape: a [C] source fills every row of an [N, C]
 * target), and its values are converted to target's dtype (rounded to nearest). Not
 * recorded on the graph (source's gradient does not flow); the write is declared, so a backward pass that
 * saved `target` before it throws. A target that requires grad and is not a leaf (an op's output) is
 * refused: writing into it would make its graph's gradients wrong.
 * Source: https://pytorch.org/docs/stable/generated/torch.Tensor.copy_.html
 *
 * @example
 * const w = zeros([2, 3]);
 * assign(w, tensor([1, 2, 3])); // every row is [1, 2, 3]
 * assign(w, 0); // all zeros again
 */
export function assign(target: Tensor, source: Tensor | number): Tensor {
  const t = checkWritable(target, 'assign', 'target');
  if (typeof source === 'number') {
    t.device.kernels.fill(t.buffer, source);
    return t.markModified();
  }
  const s = checkTensor(source, 'assign', 'source');
  if (s.isDisposed) throw new RangeError('assign: source was disposed');
  const full = broadcastShapes(s.shape, t.shape, 'assign');
  if (!shapesEqual(full, t.shape)) {
    throw new RangeError(
      `assign: source of shape ${formatShape(s.shape)} does not broadcast to target's shape ` +
        `${formatShape(t.shape)} (it would give ${formatShape(full)}); pass a source of target's shape or one that broadcasts to it`,
    );
  }
  // A source on another device is copied over first (PyTorch's copy_ works across devices too).
  // Converted to target's dtype there first: the target's device may not hold the source's dtype.
  const src =
    s.device === t.device ? s : (s.dtype === t.dtype ? s : noGrad(() => cast(s, t.dtype))).to(t.device);
  const device = t.device;
  if (src.size === t.size) device.kernels.cast(src.buffer, t.buffer);
  else {
    const same = src.dtype === t.dtype ? src : noGrad(() => cast(src, t.dtype));
    device.kernels.copy(same.buffer, 0, broadcastStrides(src.shape, t.shape), t.buffer, t.shape);
  }
  return t.markModified();
}

/**
 * y ← y + alpha·x, in place, for two tensors of one dtype and shape: the update of plain SGD is
 * `axpy(-lr, param.grad, param)`. float32 rounds as float32 arithmetic does (alpha to float32, then the
 * product and the sum each rounded, like PyTorch's float32 `y.add_(x, alpha=…)` without FMA); float64
 * computes in float64. `x` is not modified. Not recorded on the graph; the write on `y` is declared (its
 * `version` goes up by one), so a backward pass that saved `y` before the update throws.
 * Source: BLAS `saxpy`/`daxpy`; https://pytorch.org/docs/stable/generated/torch.Tensor.add_.html
 *
 * @example
 * const param = tensor([1, 2]);
 * axpy(-0.5, tensor([2, 2]), param); // param = [0, 1]
 */
export function axpy(alpha: number, x: Tensor, y: Tensor): void {
  if (typeof alpha !== 'number')
    throw new TypeError(`axpy: alpha must be a number, got ${describeValue(alpha)}`);
  const out = checkWritable(y, 'axpy', 'y');
  const input = checkLike(x, out, 'axpy', 'x', 'y');
  out.device.kernels.axpy(alpha, input.buffer, out.buffer);
  out.markModified();
}

/**
 * One step of SGD on one parameter, in place, exactly PyTorch's `torch.optim.SGD`: g = ∇ + λ·θ;
 * b = g on the first step, else b = μ·b + (1 − τ)·g; g = g + μ·b (Nesterov) or g = b; θ = θ − lr·g.
 * `grad` and `momentumBuffer` have param's dtype and shape; the buffer is needed when `h.momentum` > 0
 * (and ignored when it is 0; pass null), and `h.firstStep` says it is still empty. Plain SGD (no momentum,
 * no weight decay) rounds as `axpy` does. Not recorded on the graph; the writes on param and the buffer are
 * declared (each `version` goes up by one).
 * Source: https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
 *
 * @example
 * const buf = zerosLike(w);
 * sgdStep(w, w.grad!, buf, { lr: 0.1, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, firstStep: true });
 */
export function sgdStep(param: Tensor, grad: Tensor, momentumBuffer: Tensor | null, h: SgdStep): void {
  const p = checkWritable(param, 'sgdStep', 'param');
  const g = checkLike(grad, p, 'sgdStep', 'grad', 'param');
  checkHyper(
    h,
    ['lr', 'momentum', 'dampening', 'weightDecay'],
    ['nesterov', 'firstStep'],
    'sgdStep',
    'SgdStep',
  );
  let buf: Tensor | null = null;
  if (h.momentum !== 0) {
    if (momentumBuffer === null || momentumBuffer === undefined)
      throw new TypeError(
        `sgdStep: h.momentum is ${h.momentum}, so a momentumBuffer tensor is needed, got null`,
      );
    buf = checkLike(momentumBuffer, p, 'sgdStep', 'momentumBuffer', 'param');
  }
  p.device.kernels.sgdStep(p.buffer, g.buffer, buf === null ? null : buf.buffer, h);
  p.markModified();
  buf?.markModified();
}

/**
 * One step of Adam or AdamW on one parameter, in place, exactly PyTorch's `torch.optim.Adam`/`AdamW`:
 * g = ∇ + λ·θ (Adam) or θ = θ·(1 − lr·λ) (AdamW, `h.decoupled`); m = β1·m + (1 − β1)·g;
 * v = β2·v + (1 − β2)·g²; v̂ = max(v̂, v) with AMSGrad (a `vMax` tensor), else v̂ = v;
 * θ = θ − (lr / (1 − β1ᵗ))·m / (√v̂ / √(1 − β2ᵗ) + eps), t = `h.step` ≥ 1. `grad`, `m`, `v` and `vMax` have
 * param's dtype and shape. Not recorded on the graph; the writes on param and the moments are declared.
 * Source: Kingma & Ba, "Adam", ICLR 2015; Loshchilov & Hutter, "Decoupled Weight Decay Regularization",
 * ICLR 2019; https://pytorch.org/docs/stable/generated/torch.optim.Adam.html
 *
 * @example
 * const m = zerosLike(w), v = zerosLike(w);
 * adamStep(w, w.grad!, m, v, null, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, decoupled: false, step: 1 });
 */
export function adamStep(
  param: Tensor,
  grad: Tensor,
  m: Tensor,
  v: Tensor,
  vMax: Tensor | null,
  h: AdamStep,
): void {
  const p = checkWritable(param, 'adamStep', 'param');
  const g = checkLike(grad, p, 'adamStep', 'grad', 'param');
  const mt = checkLike(m, p, 'adamStep', 'm', 'param');
  const vt = checkLike(v, p, 'adamStep', 'v', 'param');
  const vMaxT = vMax === null || vMax === undefined ? null : checkLike(vMax, p, 'adamStep', 'vMax', 'param');
  checkHyper(
    h,
    ['lr', 'beta1', 'beta2', 'eps', 'weightDecay', 'step'],
    ['decoupled'],
    'adamStep',
    'AdamStep',
  );
  if (!(Number.isSafeInteger(h.step) && h.step >= 1))
    throw new RangeError(`adamStep: h.step is the step number and must be an integer >= 1, got ${h.step}`);
  p.device.kernels.adamStep(
    p.buffer,
    g.buffer,
    mt.buffer,
    vt.buffer,
    vMaxT === null ? null : vMaxT.buffer,
    h,
  );
  p.markModified();
  mt.markModified();
  vt.markModified();
  vMaxT?.markModified();
}
