import {
  add,
  checkTensor,
  type DType,
  describeValue,
  div,
  mean,
  mul,
  ones,
  sqrt,
  sub,
  type Tensor,
  variance,
  zeros,
} from '@selfnorm/tensor';
import { Module } from '../module';

/** Options of `LayerNorm`. */
export interface LayerNormOptions {
  /** Added to the variance before the square root. Default 1e-5. */
  eps?: number;
  /** Learn an elementwise scale `weight` (init 1) and shift `bias` (init 0) of shape normalizedShape. Default true. */
  elementwiseAffine?: boolean;
  /** Default 'float32'. */
  dtype?: DType;
}

/**
 * Layer normalization over the last dimensions of each example: with D = normalizedShape (the input's trailing
 * dimensions), y = (x − E[x]) / √(Var[x] + eps) · weight + bias, the mean and the BIASED variance taken over those
 * dimensions for every leading index, `weight` and `bias` of shape D. The same computation in training and eval
 * (no running statistics). Parameter names and init as PyTorch's `nn.LayerNorm`: weight = 1, bias = 0.
 * Source: Ba, Kiros & Hinton, "Layer Normalization", 2016; PyTorch's `nn.LayerNorm`.
 * @example const ln = new LayerNorm([512]); ln.forward(x); // x: [N, T, 512], each [512] row normalized
 */
export class LayerNorm extends Module {
  /** The trailing dimensions normalized over. */
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  /** Elementwise scale of shape normalizedShape, or null without elementwiseAffine. */
  weight: Tensor | null;
  /** Elementwise shift of shape normalizedShape, or null without elementwiseAffine. */
  bias: Tensor | null;

  constructor(
    normalizedShape: number | readonly number[],
    { eps = 1e-5, elementwiseAffine = true, dtype = 'float32' }: LayerNormOptions = {},
  ) {
    super();
    const shape = typeof normalizedShape === 'number' ? [normalizedShape] : normalizedShape;
    if (
      !Array.isArray(shape) ||
      shape.length === 0 ||
      !shape.every((d) => Number.isSafeInteger(d) && d > 0)
    ) {
      throw new RangeError(
        `LayerNorm: normalizedShape must be a positive integer or a non-empty array of them, got ${describeValue(normalizedShape)}`,
      );
    }
    if (!(typeof eps === 'number' && eps >= 0))
      throw new RangeError(`LayerNorm: eps must be >= 0, got ${eps}`);
    if (typeof elementwiseAffine !== 'boolean') {
      throw new TypeError(
        `LayerNorm: elementwiseAffine must be true or false, got ${describeValue(elementwiseAffine)}`,
      );
    }
    this.normalizedShape = [...shape];
    this.eps = eps;
    this.elementwiseAffine = elementwiseAffine;
    this.weight = elementwiseAffine ? ones([...shape], { dtype, requiresGrad: true }) : null;
    this.bias = elementwiseAffine ? zeros([...shape], { dtype, requiresGrad: true }) : null;
    this.registerParameter('weight', this.weight); // declared: stays a parameter when frozen
    this.registerParameter('bias', this.bias);
  }

  forward(x: Tensor): Tensor {
    const d = this.normalizedShape;
    checkTensor(x, `LayerNorm([${d}]).forward`, 'input');
    const k = d.length;
    if (x.ndim < k || x.shape.slice(x.ndim - k).some((s, i) => s !== d[i])) {
      throw new RangeError(
        `LayerNorm([${d}]): expected input of shape [..., ${d.join(', ')}], got [${x.shape}]`,
      );
    }
    const axes = d.map((_, i) => x.ndim - k + i);
    const mu = mean(x, axes, { keepDims: true });
    const v = variance(x, axes, { correction: 0, keepDims: true });
    const y = div(sub(x, mu), sqrt(add(v, this.eps)));
    return this.weight !== null && this.bias !== null ? add(mul(y, this.weight), this.bias) : y;
  }

  override extraRepr(): string {
    return `[${this.normalizedShape}], eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}
