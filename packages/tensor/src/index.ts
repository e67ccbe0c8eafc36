export type { DType, NestedArray, TypedArray } from './dtype';
export { Rng } from './random';
export type { Shape } from './shape';
