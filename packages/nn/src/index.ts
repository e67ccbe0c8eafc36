export type { AlphaDropoutParams, AlphaDropoutParamsOptions } from './alpha-dropout-params';
export { alphaDropoutParams } from './alpha-dropout-params';
export type { SeluJacobian, SeluMoments, SeluMomentsOptions, SeluParametersOptions } from './selu';
export { SELU_ALPHA, SELU_LAMBDA, seluJacobian, seluMoments, seluParameters } from './selu';
