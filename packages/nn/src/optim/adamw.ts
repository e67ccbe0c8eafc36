import type { Tensor } from '@selfnorm/tensor';
import { AdamBase, type AdamOptions } from './adam';
import type { ParamGroupSpec } from './optimizer';

/**
 * AdamW, exactly PyTorch's `torch.optim.AdamW`: Adam with decoupled weight decay, θ = θ·(1 − lr·λ) before the Adam
 * step (the decay is not part of the gradient, so it is not rescaled by the moment estimates). Default λ = 1e-2.
 * Source: Loshchilov & Hutter, "Decoupled Weight Decay Regularization", ICLR 2019;
 * https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
 * @example const opt = new AdamW(model.parameters(), { lr: 1e-3, weightDecay: 0.01 });
 */
export class AdamW extends AdamBase {
  protected readonly decoupled = true;

  constructor(params: Iterable<Tensor> | Iterable<ParamGroupSpec<AdamOptions>>, options: AdamOptions = {}) {
    super(params, options, 1e-2, 'AdamW');
  }
}
