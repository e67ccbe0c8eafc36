import { sgdStep, type Tensor } from '@selfnorm/tensor';
import { Optimizer, type ParamGroupSpec, type ParamState } from './optimizer';
import { boolean, finiteAtLeast, finiteNumber, type OptionRules, withDefaults } from './options';

/** Hyper-parameters of `SGD`. */
export interface SGDOptions {
  /** Learning rate. Default 1e-3 (PyTorch's default). */
  lr?: number;
  /** Momentum factor μ. Default 0 (plain SGD). */
  momentum?: number;
  /** Dampening τ of the momentum. Default 0. */
  dampening?: number;
  /** L2 penalty λ added to the gradient. Default 0. */
  weightDecay?: number;
  /** Nesterov momentum (needs momentum > 0 and dampening 0). Default false. */
  nesterov?: boolean;
}

type Resolved = Required<SGDOptions> & Record<string, number | boolean>;

const DEFAULTS: Resolved = { lr: 1e-3, momentum: 0, dampening: 0, weightDecay: 0, nesterov: false };

const RULES: OptionRules = {
  lr: finiteAtLeast(0),
  momentum: finiteAtLeast(0),
  dampening: finiteNumber,
  weightDecay: finiteAtLeast(0),
  nesterov: boolean,
};

/**
 * Stochastic gradient descent with optional momentum, exactly PyTorch's `torch.optim.SGD`:
 * g = ∇ + λ·θ; b = g on the first step, else b = μ·b + (1 − τ)·g; g = g + μ·b (Nesterov) or g = b; θ = θ − lr·g.
 * Source: https://pytorch.org/docs/stable/generated/torch.optim.SGD.html
 * @example const opt = new SGD(model.parameters(), { lr: 0.1, momentum: 0.9 });
 */
export class SGD extends Optimizer<Resolved> {
  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<SGDOptions>>, options: SGDOptions = {}) {
    super('SGD', params, withDefaults('SGD', options, DEFAULTS), RULES);
  }

  protected override checkOptions({ momentum, dampening, nesterov }: Resolved): string | undefined {
    if (nesterov && !(momentum > 0 && dampening === 0))
      return `nesterov needs momentum > 0 and dampening 0, got momentum ${momentum}, dampening ${dampening}`;
    return undefined;
  }

  protected override stateBuffers() {
    return { names: ['momentum_buffer'], required: [] };
  }

  protected update(param: Tensor, grad: Tensor, state: ParamState, options: Resolved): void {
    const { lr, momentum, dampening, weightDecay, nesterov } = options;
    const firstStep = state.buffers.momentum_buffer === undefined;
    const buffer = momentum === 0 ? null : this.buffer(state, 'momentum_buffer', param);
    sgdStep(param, grad, buffer, { lr, momentum, dampening, weightDecay, nesterov, firstStep });
  }
}
