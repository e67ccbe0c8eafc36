/**
 * The reference matrix-multiply kernel: C[m×n] (+)= op(A)·op(B), row-major, contiguous, accumulating each
 * output row in doubles. op(A) is m×k, stored [m,k] or, with `transA`, [k,m]; op(B) is k×n, stored [k,n]
 * or, with `transB`, [n,k]. Transposed operands are read in place, never copied. Offsets select one
 * matrix of a batch.
 */
import type { TypedArray } from '../../../dtype';

export function matmulKernel(
  a: TypedArray,
  aOff: number,
  b: TypedArray,
  bOff: number,
  out: TypedArray,
  outOff: number,
  m: number,
  n: number,
  k: number,
  transA: boolean,
  transB: boolean,
  accumulate: boolean,
): void {
  if (transB) {
    // C[i,j] = Σp op(A)[i,p] · B[j,p]: dot products of contiguous rows of B.
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        const bRow = bOff + j * k;
        if (transA) for (let p = 0; p < k; p++) s += a[aOff + p * m + i] * b[bRow + p];
        else {
          const aRow = aOff + i * k;
          for (let p = 0; p < k; p++) s += a[aRow + p] * b[bRow + p];
        }
        const o = outOff + i * n + j;
        out[o] = accumulate ? out[o] + s : s;
      }
    }
    return;
  }
  // C[i,:] = Σp op(A)[i,p] · B[p,:]: axpy over contiguous rows of B into a float64 row.
  const row = new Float64Array(n);
  for (let i = 0; i < m; i++) {
    row.fill(0);
    for (let p = 0; p < k; p++) {
      const aip = transA ? a[aOff + p * m + i] : a[aOff + i * k + p];
      const bRow = bOff + p * n;
      for (let j = 0; j < n; j++) row[j] += aip * b[bRow + j];
    }
    const o = outOff + i * n;
    if (accumulate) for (let j = 0; j < n; j++) out[o + j] += row[j];
    else for (let j = 0; j < n; j++) out[o + j] = row[j];
  }
}
