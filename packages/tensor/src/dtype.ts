/** Element type of a tensor. `float32` is the default, as in PyTorch. */
export type DType = 'float32' | 'float64';

/** The storage of a tensor: a contiguous, row-major typed array. */
export type TypedArray = Float32Array | Float64Array;

/** A nested JavaScript array of numbers, as accepted by `tensor()` and returned by `toArray()`. */
export type NestedArray = number | NestedArray[];

/** The dtype of a typed array. */
export function dtypeOf(data: TypedArray): DType {
  return data instanceof Float64Array ? 'float64' : 'float32';
}

/**
 * Type promotion for binary ops, as PyTorch does it: float32 with float64 gives float64.
 * A plain JavaScript number never promotes (it takes the tensor's dtype, like a Python scalar).
 */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

/** Throws a clear error unless `dtype` is a supported dtype. */
export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new TypeError(`${where}: dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
}
