import { adamStep, type Tensor } from '@selfnorm/tensor';
import { Optimizer, type ParamGroupSpec, type ParamState } from './optimizer';
import { betaPair, boolean, finiteAtLeast, type OptionRules, withDefaults } from './options';

/** Hyper-parameters of `Adam` and `AdamW`. */
export interface AdamOptions {
  /** Learning rate. Default 1e-3. */
  lr?: number;
  /** Decay rates (β1, β2) of the first and second moment estimates. Default [0.9, 0.999]. */
  betas?: [number, number];
  /** Added to the denominator for stability. Default 1e-8. */
  eps?: number;
  /** Weight decay λ: an L2 term in the gradient for Adam, decoupled decay for AdamW. Adam 0, AdamW 1e-2. */
  weightDecay?: number;
  /** Use the maximum of past second moments (AMSGrad). Default false. */
  amsgrad?: boolean;
}

type Resolved = { lr: number; betas: number[]; eps: number; weightDecay: number; amsgrad: boolean };

const RULES: OptionRules = {
  lr: finiteAtLeast(0),
  betas: betaPair,
  eps: finiteAtLeast(0),
  weightDecay: finiteAtLeast(0),
  amsgrad: boolean,
};

/** Shared by Adam and AdamW; `decoupled` selects AdamW's weight decay. */
export abstract class AdamBase extends Optimizer<Resolved> {
  protected abstract readonly decoupled: boolean;

  constructor(
    params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>,
    options: AdamOptions,
    defaultWeightDecay: number,
    where: string,
  ) {
    const defaults = {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: defaultWeightDecay,
      amsgrad: false,
    };
    super(where, params, withDefaults<Resolved>(where, options, defaults), RULES);
  }

  protected override stateBuffers() {
    return { names: ['exp_avg', 'exp_avg_sq', 'max_exp_avg_sq'], required: ['exp_avg', 'exp_avg_sq'] };
  }

  protected update(param: Tensor, grad: Tensor, state: ParamState, options: Resolved): void {
    const { lr, betas, eps, weightDecay, amsgrad } = options;
    const [beta1, beta2] = betas;
    const m = this.buffer(state, 'exp_avg', param);
    const v = this.buffer(state, 'exp_avg_sq', param);
    const vMax = amsgrad ? this.buffer(state, 'max_exp_avg_sq', param) : null;
    const { decoupled } = this;
    adamStep(param, grad, m, v, vMax, { lr, beta1, beta2, eps, weightDecay, decoupled, step: state.step });
  }
}

/**
 * Adam, exactly PyTorch's `torch.optim.Adam`: g = ∇ + λ·θ; m = β1·m + (1 − β1)·g; v = β2·v + (1 − β2)·g²;
 * θ = θ − (lr / (1 − β1ᵗ))·m / (√v / √(1 − β2ᵗ) + eps).
 * Source: Kingma & Ba, "Adam", ICLR 2015; https://pytorch.org/docs/stable/generated/torch.optim.Adam.html
 * @example const opt = new Adam(model.parameters(), { lr: 1e-3 });
 */
export class Adam extends AdamBase {
  protected readonly decoupled = false;

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>, options: AdamOptions = {}) {
    super(params, options, 0, 'Adam');
  }
}
