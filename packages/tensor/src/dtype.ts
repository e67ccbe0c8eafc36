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
 * Type promotion of two tensors' dtypes, as PyTorch does it: float32 with float64 gives float64. This is
 * the rule for two dimensioned tensors (or two 0-d ones). A 0-d tensor, like a plain JavaScript number (a
 * Python scalar), does not promote a dimensioned tensor of the same category: `add(ones([3]),
 * tensor(0.1, { dtype: 'float64' }))` is float32, so a float64 scalar cannot move a float32 network off
 * the float32 kernels (the binary ops apply this in `operands`).
 */
export function promote(a: DType, b: DType): DType {
  return a === 'float64' || b === 'float64' ? 'float64' : 'float32';
}

/** Throws a clear error unless `dtype` is a supported dtype. */
export function checkDType(dtype: unknown, where: string): DType {
  if (dtype === 'float32' || dtype === 'float64') return dtype;
  throw new TypeError(`${where}: dtype must be 'float32' or 'float64', got ${JSON.stringify(dtype)}`);
}
