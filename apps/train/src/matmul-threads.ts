/** Worker threads for the matmul kernel: the library takes workers, the app (Node) starts them. */
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { cpuWorkerSource, useCpuWorkers } from '@selfnorm/tensor';

/**
 * Runs float32 matrix products on `threads` threads (the caller plus threads − 1 workers; default every
 * core). Each output element is computed the same way on any thread, so results do not depend on the
 * count. Returns the number of threads in use (1 where shared memory or WebAssembly SIMD is missing).
 */
export async function startMatmulThreads(threads = availableParallelism()): Promise<number> {
  if (threads <= 1) return 1;
  const workers = Array.from({ length: threads - 1 }, () => new Worker(cpuWorkerSource, { eval: true }));
  for (const w of workers) w.unref(); // they wait in Atomics.wait and must not keep the process alive
  if (await useCpuWorkers(workers)) return threads;
  await Promise.all(workers.map((w) => w.terminate()));
  return 1;
}
