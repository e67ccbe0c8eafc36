import { checkTensor, elu, relu, type Tensor, tanh } from '@selfnorm/tensor';
import { Module } from '../module';

/**
 * The rectifier as a module: max(x, 0).
 * @example new ReLU().forward(x)
 */
export class ReLU extends Module {
  forward(x: Tensor): Tensor {
    checkTensor(x, 'ReLU.forward', 'input');
    return relu(x);
  }
}

/**
 * The exponential linear unit as a module: x for x > 0, α·(eˣ − 1) otherwise (Clevert et al. 2015).
 * @example new ELU({ alpha: 1 }).forward(x)
 */
export class ELU extends Module {
  /** The negative saturation value is −alpha. */
  readonly alpha: number;

  constructor({ alpha = 1 }: { alpha?: number } = {}) {
    super();
    if (!Number.isFinite(alpha)) throw new RangeError(`ELU: alpha must be a finite number, got ${alpha}`);
    this.alpha = alpha;
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, 'ELU.forward', 'input');
    return elu(x, this.alpha);
  }

  override extraRepr(): string {
    return `alpha=${this.alpha}`;
  }
}

/**
 * The hyperbolic tangent as a module.
 * @example new Tanh().forward(x)
 */
export class Tanh extends Module {
  forward(x: Tensor): Tensor {
    checkTensor(x, 'Tanh.forward', 'input');
    return tanh(x);
  }
}

/**
 * The identity as a module: returns its input unchanged (a placeholder layer).
 * @example new Identity().forward(x) === x
 */
export class Identity extends Module {
  forward(x: Tensor): Tensor {
    return checkTensor(x, 'Identity.forward', 'input');
  }
}
