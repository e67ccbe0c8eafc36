/** The matrix-multiply primitive on 2-D or batched 3-D operands, with transpose flags (no transposed copies). */
import { checkBoolean, checkTensor } from '../arg-checks';
import { record } from '../autograd/node';
import { promote } from '../dtype';
import { owned } from '../memory';
import { formatShape } from '../shape';
import type { Tensor } from '../tensor';
import { deviceOf, empty } from './util';
import { cast } from './view';

/**
 * op(a)·op(b) where op transposes the last two axes when its flag is set. Operands are both 2-D, or both
 * 3-D with the same batch size. VJP (C = op(A)·op(B), G = ∂L/∂C), each again a `matmulT`:
 * ∂A = G·op(B)ᵀ (stored transposed when transA), ∂B = op(A)ᵀ·G (stored transposed when transB).
 */
export function matmulT(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  checkTensor(a, 'matmulT', 'a');
  checkTensor(b, 'matmulT', 'b');
  checkBoolean(transA, 'matmulT', 'transA');
  checkBoolean(transB, 'matmulT', 'transB');
  if (a.ndim !== b.ndim || (a.ndim !== 2 && a.ndim !== 3) || (a.ndim === 3 && a.shape[0] !== b.shape[0])) {
    throw new RangeError(
      `matmulT: operands must be both 2-D or both 3-D with equal batch, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const device = deviceOf('matmulT', a, b);
  const dtype = promote(a.dtype, b.dtype);
  const x = cast(a, dtype);
  const y = cast(b, dtype);
  const r = a.ndim - 2;
  const batch = a.ndim === 3 ? a.shape[0] : 1;
  const m = transA ? x.shape[r + 1] : x.shape[r];
  const k = transA ? x.shape[r] : x.shape[r + 1];
  const kb = transB ? y.shape[r + 1] : y.shape[r];
  const n = transB ? y.shape[r] : y.shape[r + 1];
  if (k !== kb) {
    throw new RangeError(
      `matmul: inner dimensions differ: ${formatShape(a.shape)}${transA ? 'ᵀ' : ''} · ${formatShape(b.shape)}${transB ? 'ᵀ' : ''} ` +
        `(${k} vs ${kb}); the last axis of the first operand must equal the second-to-last of the second`,
    );
  }
  const out = empty(a.ndim === 3 ? [batch, m, n] : [m, n], dtype, device, false);
  device.kernels.matmul(x.buffer, y.buffer, out.buffer, batch, m, n, k, transA, transB);
  // Each gradient is a new product (owned: a leaf may keep it as its .grad without a copy).
  return record('matmul', out, [x, y], (g) => [
    x.requiresGrad ? owned(transA ? matmulT(y, g, transB, true) : matmulT(g, y, false, !transB)) : null,
    y.requiresGrad ? owned(transB ? matmulT(g, x, true, transA) : matmulT(x, g, !transA, false)) : null,
  ]);
}
