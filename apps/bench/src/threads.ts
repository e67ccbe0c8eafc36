/** Node worker threads for selfnorm's matmul kernel (the library takes workers; the app starts them). */
import { Worker } from 'node:worker_threads';
import { cpuWorkerSource, useCpuWorkers } from '@selfnorm/tensor';

/**
 * Starts `count` matmul workers and hands them to the kernel (unref'd: they never keep the process alive).
 * Returns the workers, or [] where the kernel cannot use them (then it stays on one thread).
 * @example await startCpuWorkers(os.cpus().length - 1);
 */
export async function startCpuWorkers(count: number): Promise<Worker[]> {
  if (count < 1) return [];
  const workers = Array.from({ length: count }, () => new Worker(cpuWorkerSource, { eval: true }));
  for (const w of workers) w.unref();
  if (await useCpuWorkers(workers)) return workers;
  await Promise.all(workers.map((w) => w.terminate()));
  return [];
}

/** Returns the kernel to one thread and ends the workers. */
export async function stopCpuWorkers(workers: readonly Worker[]): Promise<void> {
  await useCpuWorkers([]);
  await Promise.all(workers.map((w) => w.terminate()));
}
