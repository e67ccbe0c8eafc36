export type { AlphaDropoutParams, AlphaDropoutParamsOptions } from './alpha-dropout-params';
export { alphaDropoutParams } from './alpha-dropout-params';
export type { ClipGradNormOptions } from './clip-grad';
export { clipGradNorm, clipGradValue } from './clip-grad';
export type { DataLoaderOptions } from './data/data-loader';
export { DataLoader } from './data/data-loader';
export type { Dataset, RandomSplitOptions } from './data/dataset';
export { randomSplit, Subset, TensorDataset } from './data/dataset';
export { StandardScaler } from './data/standard-scaler';
export type {
  FanMode,
  InitContext,
  InitDistribution,
  Initializer,
  NormalInitOptions,
  UniformInitOptions,
  VarianceScalingOptions,
} from './init';
export {
  constantInit,
  convFans,
  glorotNormal,
  glorotUniform,
  heNormal,
  heUniform,
  init,
  lecunNormal,
  lecunUniform,
  onesInit,
  TRUNCATED_NORMAL_STD,
  varianceScaling,
  zerosInit,
} from './init';
export { ELU, Identity, ReLU, Tanh } from './layers/activations';
export type { AlphaDropoutOptions } from './layers/alpha-dropout';
export { AlphaDropout } from './layers/alpha-dropout';
export type { BatchNormLayout, BatchNormOptions } from './layers/batch-norm';
export { BatchNorm1d, BatchNormBase } from './layers/batch-norm';
export { BatchNorm2d } from './layers/batch-norm-2d';
export type { ConvLayerOptions } from './layers/conv';
export { Conv1d, Conv2d } from './layers/conv';
export type { DropoutOptions } from './layers/dropout';
export { Dropout } from './layers/dropout';
export type { EmbeddingOptions } from './layers/embedding';
export { Embedding } from './layers/embedding';
export type { FeatureAlphaDropoutOptions } from './layers/feature-alpha-dropout';
export { FeatureAlphaDropout } from './layers/feature-alpha-dropout';
export { Flatten } from './layers/flatten';
export type { LayerNormOptions } from './layers/layer-norm';
export { LayerNorm } from './layers/layer-norm';
export type { LinearOptions } from './layers/linear';
export { Linear } from './layers/linear';
export { AdaptiveAvgPool2d, AvgPool2d, MaxPool2d } from './layers/pooling';
export { SELU, selu } from './layers/selu';
export { Sequential } from './layers/sequential';
export type { ClassTargets, LossOptions, Reduction } from './losses';
export { binaryCrossEntropyWithLogits, crossEntropy, mseLoss, nllLoss } from './losses';
export type { ConfusionMatrixOptions } from './metrics';
export { accuracy, confusionMatrix, rocAuc } from './metrics';
export type { ForwardHook, HookHandle, LoadStateDictResult } from './module';
export { Module } from './module';
export { type ExportOnnxOptions, exportOnnx } from './onnx/export';
export type { AdamOptions } from './optim/adam';
export { Adam } from './optim/adam';
export { AdamW } from './optim/adamw';
export type {
  CosineAnnealingLROptions,
  ExponentialLROptions,
  LinearLROptions,
  MultiStepLROptions,
  SchedulerStateDict,
  StepLROptions,
} from './optim/lr-scheduler';
export {
  CosineAnnealingLR,
  ExponentialLR,
  LinearLR,
  LRScheduler,
  MultiStepLR,
  StepLR,
} from './optim/lr-scheduler';
export { OneCycleLR, type OneCycleLROptions } from './optim/one-cycle-lr';
export type { OptimizerOptions, OptimizerStateDict, ParamState } from './optim/optimizer';
export { Optimizer } from './optim/optimizer';
export type { OptionRule, OptionRules } from './optim/options';
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions } from './optim/reduce-lr-on-plateau';
export { SequentialLR, type SequentialLROptions } from './optim/sequential-lr';
export type { SGDOptions } from './optim/sgd';
export { SGD } from './optim/sgd';
export type {
  LayerMoments,
  MomentBand,
  SelfNormalizationMonitorOptions,
  WeightMoments,
} from './self-normalization-monitor';
export { SelfNormalizationMonitor } from './self-normalization-monitor';
export type { SeluJacobian, SeluMoments, SeluMomentsOptions, SeluParametersOptions } from './selu';
export { SELU_ALPHA, SELU_LAMBDA, seluJacobian, seluMoments, seluParameters } from './selu';
export type { CheckpointContents, LoadCheckpointOptions } from './serialize/checkpoint';
export { loadCheckpoint, saveCheckpoint, saveCheckpointAsync } from './serialize/checkpoint';
export { loadSafetensors, saveSafetensors, saveSafetensorsAsync } from './serialize/safetensors';
export type { DecodeOptions, RawTensor } from './serialize/safetensors-format';
export { decodeSafetensors, encodeSafetensors } from './serialize/safetensors-format';
export type { ModelSummary, SummaryOptions, SummaryRow } from './summary';
export { summary } from './summary';
