/** Batch normalization with the batch's statistics, as one primitive: two kernel passes forward, two backward. */
import { checkNumber, checkTensor } from '../arg-checks';
import { isGradEnabled } from '../autograd/grad-mode';
import { record } from '../autograd/node';
import { owned } from '../memory';
import { mean, variance } from '../ops/reductions';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { add, div, mul, sub } from './binary';
import { sum } from './reduce';
import { deviceOf, empty } from './util';
import { cast, reshape } from './view';

/** What `batchNorm` returns: the normalized output and the batch statistics it used (constants, [C]). */
export interface BatchNormResult {
  /** (x − mean)/√(variance + eps)·weight + bias, differentiable in x, weight and bias. */
  output: Tensor;
  /** The per-channel mean over every axis but 1. */
  mean: Tensor;
  /** The per-channel biased variance (divided by the count, as the normalization uses it). */
  variance: Tensor;
}

/**
 * Batch normalization of x [N, C, …] with its own batch statistics (training mode): per channel c, over all
 * other axes, y = (x − E[x]) / √(Var[x] + eps) · weight[c] + bias[c], the variance biased (PyTorch's
 * `F.batch_norm(training=True)`, Ioffe & Szegedy 2015). weight and bias are [C] or omitted. One device kernel
 * pass computes the statistics and one normalizes; the backward pass is one kernel too (two passes):
 * dx = weight·invStd·(g − mean(g) − x̂·mean(g·x̂)), dweight = Σ g·x̂, dbias = Σ g. Under `createGraph` the
 * backward pass is built from tensor ops, so higher derivatives work. The running statistics are the caller's
 * (nn's BatchNorm updates them from `mean` and `variance`).
 * @example const { output, mean, variance } = batchNorm(x, gamma, beta, { eps: 1e-5 });
 */
export function batchNorm(
  x: Tensor,
  weight?: Tensor | null,
  bias?: Tensor | null,
  options: { eps?: number } = {},
): BatchNormResult {
  checkTensor(x, 'batchNorm', 'x');
  const eps = checkNumber(options.eps ?? 1e-5, 'batchNorm', 'options.eps');
  if (x.ndim < 2) {
    throw new RangeError(`batchNorm: x must be [N, C, …] (at least 2-D), got shape ${formatShape(x.shape)}`);
  }
  const c = x.shape[1];
  const param = (t: Tensor | null | undefined, name: string): Tensor | null => {
    if (t === undefined || t === null) return null;
    checkTensor(t, 'batchNorm', name);
    if (t.ndim !== 1 || t.shape[0] !== c) {
      throw new RangeError(
        `batchNorm: ${name} must have shape [${c}] (the channels of x ${formatShape(x.shape)}), got ${formatShape(t.shape)}`,
      );
    }
    deviceOf('batchNorm', x, t);
    return cast(t, x.dtype);
  };
  const w = param(weight, 'weight');
  const b = param(bias, 'bias');
  const outer = x.shape[0];
  const inner = x.size / Math.max(outer * c, 1);
  const device = x.device;
  const out = empty(x.shape, x.dtype, device, false);
  const mu = empty([c], x.dtype, device, false);
  const v = empty([c], x.dtype, device, false);
  device.kernels.batchNorm(
    x.buffer,
    w?.buffer ?? null,
    b?.buffer ?? null,
    out.buffer,
    mu.buffer,
    v.buffer,
    outer,
    c,
    inner,
    eps,
  );
  const inputs = [x, w, b].filter((t): t is Tensor => t !== null);
  const reads = w ? [x, w, mu, v] : [x, mu, v];
  const output = record(
    'batchNorm',
    out,
    inputs,
    (g) => {
      const [dx, dw, db] = isGradEnabled()
        ? composedGradients(g, x, w, eps)
        : kernelGradients(g, x, w, b, mu, v, eps);
      const grads = [dx];
      if (w) grads.push(dw);
      if (b) grads.push(db);
      return grads;
    },
    reads,
  );
  return { output, mean: mu, variance: v };
}

/** First-order gradients from the backward kernel: [dx, dweight, dbias] (null where not wanted). */
function kernelGradients(
  g0: Tensor,
  x: Tensor,
  w: Tensor | null,
  b: Tensor | null,
  mu: Tensor,
  v: Tensor,
  eps: number,
): Array<Tensor | null> {
  const g = cast(g0, x.dtype);
  const [n, c] = x.shape;
  const inner = x.size / Math.max(n * c, 1);
  const device = x.device;
  const dx = empty(x.shape, x.dtype, device, false);
  const dw = w?.requiresGrad ? empty([c], x.dtype, device, false) : null;
  const db = b?.requiresGrad ? empty([c], x.dtype, device, false) : null;
  device.kernels.batchNormBackward(
    g.buffer,
    x.buffer,
    w?.buffer ?? null,
    mu.buffer,
    v.buffer,
    dx.buffer,
    dw?.buffer ?? null,
    db?.buffer ?? null,
    n,
    c,
    inner,
    eps,
  );
  return [owned(dx), dw && owned(dw), db && owned(db)];
}

/** The same gradients as tensor ops of x (the statistics recomputed), so that they differentiate again. */
function composedGradients(g: Tensor, x: Tensor, w: Tensor | null, eps: number): Array<Tensor | null> {
  const axes = x.shape.map((_, d) => d).filter((d) => d !== 1);
  const stat = x.shape.map((s, d) => (d === 1 ? s : 1));
  const keep = { keepDims: true };
  const invStd = div(1, add(variance(x, axes, { correction: 0, keepDims: true }), eps).sqrt());
  const xhat = mul(sub(x, mean(x, axes, keep)), invStd);
  const gw = w ? mul(g, reshape(w, stat)) : g;
  const dx = mul(invStd, sub(sub(gw, mean(gw, axes, keep)), mul(xhat, mean(mul(gw, xhat), axes, keep))));
  return [dx, w ? sum(mul(g, xhat), axes) : null, sum(g, axes)];
}
