/**
 * Which kernel set runs: the WebAssembly SIMD kernels where they apply (the default), or the plain
 * TypeScript reference kernels everywhere. The reference set is what the fast kernels are tested against;
 * switching lets the whole op table run on both, and lets a user rule the fast kernels out when debugging.
 */
let fast = true;

/**
 * Selects the kernel set for every later op: `true` (default) uses the WebAssembly SIMD kernels where they
 * apply, `false` the plain TypeScript reference kernels. Returns the previous setting.
 * @example const previous = useFastKernels(false); try { ... } finally { useFastKernels(previous); }
 */
export function useFastKernels(enabled: boolean): boolean {
  const previous = fast;
  fast = enabled;
  return previous;
}

/** Whether the fast kernels are selected (they may still decline where WebAssembly SIMD is missing). */
export function fastKernelsSelected(): boolean {
  return fast;
}
