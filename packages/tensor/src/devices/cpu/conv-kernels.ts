/**
 * The CPU device's convolution and pooling kernels (`ConvKernels`): the im2col/SIMD-matmul set when the fast
 * kernels are selected (`useFastKernels`), the direct reference loops otherwise; max pooling has an unrolled
 * 2×2 fast path (pool-fast.ts), average pooling one set.
 */
import type { Conv2dGeometry, ConvKernels, Pool2dGeometry } from '../../device/device';
import type { TypedArray } from '../../dtype';
import { conv2dBackInputIm2col, conv2dBackWeightIm2col, conv2dIm2col } from './conv-im2col';
import { fastKernelsSelected } from './kernel-set';
import { maxPool2dFast } from './pool-fast';
import { conv2dBackInputReference, conv2dBackWeightReference, conv2dReference } from './reference/conv';
import { avgPool2dBackwardKernel, avgPool2dKernel, maxPool2dKernel } from './reference/pool';

type Conv = (a: TypedArray, b: TypedArray, out: TypedArray, g: Conv2dGeometry) => void;
const pick =
  (fast: Conv, reference: Conv): Conv =>
  (a, b, out, g) =>
    (fastKernelsSelected() ? fast : reference)(a, b, out, g);

/** The CPU implementation of `ConvKernels` over Float32Array/Float64Array buffers. */
export const cpuConvKernels: ConvKernels = {
  conv2d: pick(conv2dIm2col, conv2dReference) as ConvKernels['conv2d'],
  conv2dBackInput: pick(conv2dBackInputIm2col, conv2dBackInputReference) as ConvKernels['conv2dBackInput'],
  conv2dBackWeight: pick(
    conv2dBackWeightIm2col,
    conv2dBackWeightReference,
  ) as ConvKernels['conv2dBackWeight'],
  maxPool2d: ((x: TypedArray, out: TypedArray, argmax: TypedArray, g: Pool2dGeometry) =>
    (fastKernelsSelected() ? maxPool2dFast : maxPool2dKernel)(x, out, argmax, g)) as ConvKernels['maxPool2d'],
  avgPool2d: avgPool2dKernel as ConvKernels['avgPool2d'],
  avgPool2dBackward: avgPool2dBackwardKernel as ConvKernels['avgPool2dBackward'],
};
