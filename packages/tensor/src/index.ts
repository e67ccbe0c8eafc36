export { checkTensor, describeValue } from './arg-checks';
export type { BackwardOptions } from './autograd/engine';
export {
  type CustomOpDefinition,
  customOp,
  type GradientsOptions,
  type GradOptions,
  grad,
  gradients,
  valueAndGrad,
} from './autograd/functional';
export { enableGrad, isGradEnabled, noGrad } from './autograd/grad-mode';
export {
  arange,
  type DataOptions,
  eye,
  full,
  ones,
  onesLike,
  type RandomOptions,
  rand,
  randint,
  randn,
  type TensorOptions,
  tensor,
  zeros,
  zerosLike,
} from './creation';
export type {
  AdamStep,
  BinaryOp,
  Conv2dGeometry,
  ConvKernels,
  Device,
  DeviceBuffer,
  Kernels,
  Pool2dGeometry,
  ReduceOp,
  SgdStep,
  UnaryOp,
} from './device/device';
export {
  deviceNames,
  getDefaultDevice,
  getDevice,
  registerDevice,
  setDefaultDevice,
} from './device/registry';
export { cpu } from './devices/cpu';
export { useFastKernels } from './devices/cpu/kernel-set';
export {
  type CpuWorker,
  cpuThreadStats,
  cpuWorkerSource,
  fastKernelsAvailable,
  initFastKernels,
  matmulKernelInUse,
  useCpuWorkers,
} from './devices/cpu/wasm/matmul';
export { createWebGPUDevice, type WebGPUDevice } from './devices/webgpu/device';
export { initWebGPU, type WebGPUInit, type WebGPUInitOptions, webgpuDevice } from './devices/webgpu/init';
export type { WebGPUBuffer, WebGPUMemoryStats } from './devices/webgpu/runtime';
export type { DType, NestedArray, TypedArray } from './dtype';
export { type StoragePoolStats, setStoragePoolLimit, storagePoolStats } from './memory';
export { clamp, elu, relu, softplus, square } from './ops/activations';
export { type ConvOptions, type ConvPadding, conv1d, conv2d, type SpatialSize } from './ops/conv';
export { adamStep, assign, axpy, sgdStep } from './ops/in-place';
export { indexSelect } from './ops/index-select';
export { linear, matmul } from './ops/matmul';
export { oneHot } from './ops/one-hot';
export { type PadMode, type PadOptions, pad } from './ops/pad';
export { adaptiveAvgPool2d } from './ops/pooling';
export { logSoftmax, logSumExp, mean, softmax, std, type VarianceOptions, variance } from './ops/reductions';
export { flatten, narrow, split, squeeze, stack, transpose, unsqueeze } from './ops/shape-ops';
export { type BatchNormResult, batchNorm } from './primitives/batch-norm';
export { add, div, maximum, minimum, mul, neg, pow, sub } from './primitives/binary';
export { eq, ge, gt, le, lt, ne } from './primitives/compare';
export { concat } from './primitives/concat';
export { gather, scatterAdd } from './primitives/gather';
export { maskedAffine } from './primitives/masked-affine';
export { matmulT } from './primitives/matmul';
export { type AvgPool2dOptions, avgPool2d, type MaxPool2dOptions, maxPool2d } from './primitives/pool';
export { type Axis, argmax, argmin, max, min, type ReduceOptions, sum } from './primitives/reduce';
export { selu } from './primitives/selu';
export { type SliceSpec, slice } from './primitives/slice';
export { abs, exp, log, sigmoid, sign, sqrt, tanh } from './primitives/unary';
export type { TensorLike } from './primitives/util';
export { cast, expand, permute, reshape } from './primitives/view';
export { where } from './primitives/where';
export { Rng } from './random';
export { SELU_ALPHA, SELU_LAMBDA } from './selu-constants';
export type { Shape } from './shape';
export { broadcastShapes } from './shape';
export { Tensor } from './tensor';
