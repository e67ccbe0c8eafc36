/** What each framework implements for the bench: one prepared runner per workload. */
import type { CnnData, CnnSpec, ConvSpec, MlpData, MlpSpec } from '../workloads';

/** A prepared computation: `run` does one repetition (and waits for it); `dispose` frees its memory. */
export interface Runner {
  run(): unknown | Promise<unknown>;
  dispose(): void;
}

export interface Framework {
  /** W1: op(A)·op(B) for n×n operands given row-major (as stored, before the transpose flags apply). */
  matmul(a: Float32Array, b: Float32Array, n: number, transA: boolean, transB: boolean): Runner;
  /** W3: y = selu(x) and ∂L/∂x for the upstream gradient g. */
  selu(x: Float32Array, g: Float32Array): Runner;
  /** W2: one SGD training step (forward, backward, update) on the given batch and initial weights. */
  trainStep(spec: MlpSpec, data: MlpData): Runner;
  /**
   * W4: one SGD step of the CNN (forward, backward, update) on the given batch and initial weights; `run`
   * returns (or resolves to) the step's loss, before its update, as a number (a scalar readback).
   */
  cnnStep(spec: CnnSpec, data: CnnData): Runner;
  /** W4: y = conv2d(x, w) (NCHW, OIHW, padding 1, no bias) and ∂⟨y, g⟩/∂x, ∂⟨y, g⟩/∂w. */
  conv(spec: ConvSpec, x: Float32Array, w: Float32Array, g: Float32Array): Runner;
}
