/** Matrix products with NumPy semantics, and `linear` (x·Wᵀ + b without a transposed copy). */
import { checkTensor, describeValue } from '../arg-checks';
import { add } from '../primitives/binary';
import { matmulT } from '../primitives/matmul';
import { expand, reshape } from '../primitives/view';
import { broadcastShapes, formatShape, shapesEqual } from '../shape';
import { Tensor } from '../tensor';

/**
 * Matrix product with NumPy/PyTorch semantics: 1-D operands are promoted (a vector on the left is a row,
 * on the right a column, and the added axis is removed again); batch axes broadcast.
 * @example matmul(x, w)          // [n, k] · [k, m] → [n, m]
 * @example matmul(batchA, batchB) // [b, n, k] · [k, m] → [b, n, m]
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  checkTensor(a, 'matmul', 'a');
  checkTensor(b, 'matmul', 'b');
  if (a.ndim === 0 || b.ndim === 0) {
    throw new RangeError(
      `matmul: both operands need at least 1 dimension, got ${formatShape(a.shape)} and ${formatShape(b.shape)}`,
    );
  }
  const x = a.ndim === 1 ? reshape(a, [1, a.shape[0]]) : a;
  const y = b.ndim === 1 ? reshape(b, [b.shape[0], 1]) : b;
  const [m, k] = x.shape.slice(-2);
  const [kb, n] = y.shape.slice(-2);
  if (k !== kb) {
    throw new RangeError(
      `matmul: inner dimensions differ for shapes ${formatShape(a.shape)} and ${formatShape(b.shape)}: ${k} vs ${kb}`,
    );
  }
  let out: Tensor;
  if (x.ndim === 2 && y.ndim === 2) {
    out = matmulT(x, y);
  } else if (y.ndim === 2) {
    // Fold x's batch axes into its rows: one big 2-D product.
    out = reshape(matmulT(reshape(x, [-1, k]), y), [...x.shape.slice(0, -1), n]);
  } else {
    const batch = broadcastShapes(x.shape.slice(0, -2), y.shape.slice(0, -2), 'matmul');
    const size = batch.reduce((p, d) => p * d, 1);
    const fit = (t: Tensor, rows: number, cols: number) => {
      const full = [...batch, rows, cols];
      const e = shapesEqual(t.shape, full) ? t : expand(t, full);
      return reshape(e, [size, rows, cols]);
    };
    out = reshape(matmulT(fit(x, m, k), fit(y, k, n)), [...batch, m, n]);
  }
  if (a.ndim === 1) out = reshape(out, [...out.shape.slice(0, -2), n]);
  if (b.ndim === 1) out = reshape(out, out.shape.slice(0, -1));
  return out;
}

/**
 * y = x·Wᵀ + b, as `torch.nn.functional.linear`: x [..., in], weight [out, in], bias [out]. The weight is
 * read transposed in place by the kernel, never copied.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  checkTensor(x, 'linear', 'x');
  checkTensor(weight, 'linear', 'weight');
  if (bias !== undefined && bias !== null && !(bias instanceof Tensor)) {
    throw new TypeError(
      `linear: bias must be a Tensor, null or undefined (no bias), got ${describeValue(bias)}`,
    );
  }
  if (weight.ndim !== 2 || x.ndim < 1 || x.shape[x.ndim - 1] !== weight.shape[1]) {
    throw new RangeError(
      `linear: input ${formatShape(x.shape)} and weight ${formatShape(weight.shape)} do not fit: the weight must be ` +
        `[outFeatures, inFeatures] with inFeatures equal to the input's last axis`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== weight.shape[0])) {
    throw new RangeError(`linear: bias shape ${formatShape(bias.shape)} must be [${weight.shape[0]}]`);
  }
  const rows = x.ndim === 2 ? x : reshape(x, [-1, weight.shape[1]]);
  let y = matmulT(rows, weight, false, true);
  if (bias) {
    const product = y;
    y = add(product, bias);
    product.dispose(); // internal: its storage returns to the pool once the graph no longer saves it
  }
  return x.ndim === 2 ? y : reshape(y, [...x.shape.slice(0, -1), weight.shape[0]]);
}
