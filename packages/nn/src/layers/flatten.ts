import { checkTensor, flatten, type Tensor } from '@selfnorm/tensor';
import { Module } from '../module';

/**
 * Flattens dimensions startDim..endDim into one; by default every dimension but the batch (PyTorch's `nn.Flatten`).
 * @example new Flatten().forward(images).shape; // [N, 784] for images of shape [N, 1, 28, 28]
 */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor({ startDim = 1, endDim = -1 }: { startDim?: number; endDim?: number } = {}) {
    super();
    if (!Number.isInteger(startDim) || !Number.isInteger(endDim)) {
      throw new TypeError(`Flatten: startDim and endDim must be integers, got ${startDim} and ${endDim}`);
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, 'Flatten.forward', 'input');
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}
