import {
  type AvgPool2dOptions,
  adaptiveAvgPool2d,
  avgPool2d,
  checkTensor,
  type MaxPool2dOptions,
  maxPool2d,
  type Tensor,
} from '@selfnorm/tensor';
import { Module } from '../module';

/**
 * 2-D max pooling (PyTorch's `nn.MaxPool2d`): the maximum of each window; stride defaults to the kernel size.
 * The gradient goes to the first maximal element of each window. No parameters.
 * @example new MaxPool2d(2).forward(x) // [N, 64, 24, 24] → [N, 64, 12, 12]
 */
export class MaxPool2d extends Module {
  constructor(
    readonly kernelSize: number | readonly number[],
    readonly options: Readonly<MaxPool2dOptions> = {},
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, 'MaxPool2d.forward', 'input');
    return maxPool2d(x, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, ${JSON.stringify(this.options)}`;
  }
}

/**
 * 2-D average pooling (PyTorch's `nn.AvgPool2d`): the mean of each window (countIncludePad by default).
 * @example new AvgPool2d(2).forward(x) // [N, 64, 24, 24] → [N, 64, 12, 12]
 */
export class AvgPool2d extends Module {
  constructor(
    readonly kernelSize: number | readonly number[],
    readonly options: Readonly<AvgPool2dOptions> = {},
  ) {
    super();
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, 'AvgPool2d.forward', 'input');
    return avgPool2d(x, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    return `kernelSize=${JSON.stringify(this.kernelSize)}, ${JSON.stringify(this.options)}`;
  }
}

/**
 * Average pooling to a fixed output size (PyTorch's `nn.AdaptiveAvgPool2d`); 1 is global average pooling.
 * @example new AdaptiveAvgPool2d(1).forward(x) // [N, 64, 7, 7] → [N, 64, 1, 1]
 */
export class AdaptiveAvgPool2d extends Module {
  constructor(readonly outputSize: number | readonly number[]) {
    super();
  }

  forward(x: Tensor): Tensor {
    checkTensor(x, 'AdaptiveAvgPool2d.forward', 'input');
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}
