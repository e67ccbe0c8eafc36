/**
 * Worker threads for the matmul and SELU kernels, with a synchronous API kept. The calling thread publishes
 * a job (a product cut into slabs of C, or a SELU pass cut into runs of elements); it and every worker take
 * slabs from a shared counter until none is left, then the caller waits (Atomics) until all slabs are
 * done. A worker that is slow or descheduled simply takes fewer slabs, so a busy core never stalls a job.
 * Both sides poll before they sleep (an idle worker for 2 ms, the waiting caller for 1 ms): the products of
 * a training step come microseconds apart, and waking a thread from Atomics.wait on a virtual CPU takes
 * longer than a slab of a batch-128 product (docs/BENCHMARKS.md, "Speed, round two: both cores").
 * The library starts no thread itself (no Node import, nothing at import time): the host creates the
 * workers from `cpuWorkerSource` and passes them to `useCpuWorkers`.
 */

// The control block (Int32, shared by all threads):
//   [0] SEQ   job number, bumped to wake the workers      [1] NEXT  (generation << 8) | next slab index
//   [2] DONE  slabs finished in the current job           [3..] the job (JOB_* offsets below)
// A slab is taken by compareExchange on NEXT: it succeeds only while NEXT still holds the value the thread
// read together with the job, so a late worker never takes a slab of a later job. Before the job block is
// rewritten, NEXT is closed (slab index 255, above any slab count), so no slab can be taken from a
// half-written job.
const SEQ = 0;
const NEXT = 1;
const DONE = 2;
const JOB = 3; // a ars acs b brs bcs c ldc m n k acc byCols step slabs scratch pbOff kind: 18 words
const KIND = JOB + 17; // 0: gemm; 1: SELU (args x y d n, slabs of `step` elements)
const TAKEN = JOB + 18; // [21 + t] slabs thread t has run so far (a statistic for tests and tuning)
const MAX_THREADS = 64;
/** How long an idle worker polls for the next job before it sleeps in Atomics.wait. */
const WORKER_SPIN_MS = 2;
/** How long the calling thread polls for the workers' last slabs before it sleeps. */
const CALLER_SPIN_MS = 1;
const CONTROL_WORDS = TAKEN + MAX_THREADS;

/** The kernels a pool thread runs, each from its own instance over the shared memory. */
export interface PoolKernels {
  gemm: (...args: number[]) => void;
  selu: (x: number, y: number, d: number, n: number) => void;
}

/**
 * Runs the slabs of the current job that this thread manages to take. The same text runs in the workers
 * (`takeSlabs.toString()` is inlined into `cpuWorkerSource`), so both sides split a job identically.
 * NOTE: it must stay self-contained (no outer names, hence the literal control indices: NEXT = 1, DONE = 2,
 * the job from 3, KIND = 20, TAKEN from 21) because its text is evaluated in another global scope.
 */
function takeSlabs(c: Int32Array, kernels: PoolKernels, thread: number): void {
  const { gemm, selu } = kernels;
  for (;;) {
    const v = Atomics.load(c, 1);
    const slab = v & 255;
    const [a, ars, acs, b, brs, bcs, cc, ldc, m, n, k, acc, byCols, step, slabs, scratch, pbOff, kind] =
      c.subarray(3, 21);
    if (slab >= slabs || Atomics.compareExchange(c, 1, v, v + 1) !== v) {
      if (slab >= slabs || (Atomics.load(c, 1) & 255) >= slabs) return;
      continue; // another thread took this slab, or a new job began: read again
    }
    const s = 64 + thread * scratch;
    const lo = slab * step;
    if (kind === 1) {
      // SELU: x, y, d at a, ars, acs (d = 0: none), b elements; runs padded to 4 lanes.
      const count = Math.min(step, b - lo);
      selu(a + lo * 4, ars + lo * 4, acs === 0 ? 0 : acs + lo * 4, (count + 3) & ~3);
    } else if (byCols) {
      const cols = Math.min(step, n - lo);
      gemm(a, ars, acs, b + lo * bcs, brs, bcs, cc + lo * 4, ldc, m, cols, k, acc, s + 256, s + pbOff, s);
    } else {
      const rows = Math.min(step, m - lo);
      gemm(a + lo * ars, ars, acs, b, brs, bcs, cc + lo * ldc, ldc, rows, n, k, acc, s + 256, s + pbOff, s);
    }
    Atomics.add(c, 21 + thread, 1);
    Atomics.add(c, 2, 1);
    Atomics.notify(c, 2);
  }
}

/**
 * The source of a matmul worker, as a classic script: run it with
 * `new Worker(cpuWorkerSource, { eval: true })` with Node's `worker_threads` (then `worker.unref()`,
 * since the worker blocks in Atomics.wait), or in a browser from a Blob URL of it.
 *
 * @example
 * // Node, with Worker from the worker_threads module:
 * const worker = new Worker(cpuWorkerSource, { eval: true });
 * worker.unref();
 * await useCpuWorkers([worker]);
 */
export const cpuWorkerSource = `'use strict';
var takeSlabs = ${takeSlabs.toString()};
var port = typeof self === 'object' && self !== null && typeof self.postMessage === 'function'
  ? self : require('worker_threads').parentPort;
port.addEventListener('message', function init(event) {
  port.removeEventListener('message', init);
  var msg = event.data;
  var env = { env: { memory: msg.memory } };
  var kernels = {
    gemm: new WebAssembly.Instance(msg.module, env).exports.gemm,
    selu: new WebAssembly.Instance(msg.seluModule, env).exports.selu,
  };
  var c = new Int32Array(msg.control);
  var ready = new Int32Array(msg.ready);
  Atomics.add(ready, 0, 1);
  var seen = Atomics.load(c, ${SEQ});
  var now = typeof performance === 'object' ? function () { return performance.now(); } : Date.now;
  for (;;) {
    // Spin a while before sleeping: a training step's next product usually comes within microseconds,
    // and waking a sleeping thread costs more than the product's slab.
    var until = now() + ${WORKER_SPIN_MS};
    while (Atomics.load(c, ${SEQ}) === seen) {
      for (var i = 0; i < 64; i++) if (Atomics.load(c, ${SEQ}) !== seen) break;
      if (now() > until) { Atomics.wait(c, ${SEQ}, seen); break; }
    }
    seen = Atomics.load(c, ${SEQ});
    if (seen < 0) return;
    takeSlabs(c, kernels, msg.thread);
  }
});
`;

/** What `useCpuWorkers` needs of a worker: Node's `Worker` and the browser's both qualify. */
export interface CpuWorker {
  postMessage(message: unknown): void;
}

/**
 * A job for the pool. A product: `gemm`'s first 12 arguments, how to cut C, and each thread's scratch
 * layout. A SELU pass (`kind` 1): args [x, y, d, n] (byte offsets, d = 0 for none), `step` elements a slab.
 */
export interface PoolJob {
  /** 0 (default): a product; 1: a SELU pass. */
  kind?: 0 | 1;
  /** a, ars, acs, b, brs, bcs, c, ldc, m, n, k, acc, as `gemm` takes them; or x, y, d, n for SELU. */
  args: readonly number[];
  /** Cut C into column slabs (else row slabs) of `step` columns (rows) each, `slabs` of them (≤ 255). */
  byCols: boolean;
  step: number;
  slabs: number;
  /** Bytes of scratch per thread (thread t's at 64 + t·scratch), and the packed-B offset inside it. */
  scratch: number;
  pbOff: number;
}

/** Workers sharing one wasm memory and one control block; the calling thread is thread 0. */
export class WorkerPool {
  readonly size: number;
  private readonly control: Int32Array;
  private generation = 0;
  private canBlock = true;

  private constructor(size: number, control: Int32Array) {
    this.size = size;
    this.control = control;
  }

  /**
   * Sends the module, memory and control block to each worker and resolves once all are ready; rejects
   * after `timeoutMs` if one is not (a worker that was not started from `cpuWorkerSource`, say).
   */
  static async start(
    workers: readonly CpuWorker[],
    module: WebAssembly.Module,
    seluModule: WebAssembly.Module,
    memory: WebAssembly.Memory,
    timeoutMs = 10_000,
  ): Promise<WorkerPool> {
    if (workers.length + 1 > MAX_THREADS) {
      throw new RangeError(`useCpuWorkers: at most ${MAX_THREADS - 1} workers, got ${workers.length}`);
    }
    const control = new Int32Array(new SharedArrayBuffer(4 * CONTROL_WORDS));
    const ready = new Int32Array(new SharedArrayBuffer(4));
    workers.forEach((w, i) => {
      w.postMessage({
        module,
        seluModule,
        memory,
        control: control.buffer,
        ready: ready.buffer,
        thread: i + 1,
      });
    });
    const t0 = Date.now();
    while (Atomics.load(ready, 0) < workers.length) {
      if (Date.now() - t0 > timeoutMs) {
        throw new Error(
          `useCpuWorkers: a worker did not start within ${timeoutMs} ms; start each worker from cpuWorkerSource`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return new WorkerPool(workers.length, control);
  }

  /** Runs `job` on this thread and whichever workers join in; returns when every slab is done. */
  run(job: PoolJob, kernels: PoolKernels): void {
    this.start(job);
    this.finish(kernels);
  }

  /**
   * Hands `job` to the workers and returns at once, so this thread can do other work (copies) meanwhile;
   * `finish` must follow before the next `start`.
   */
  start(job: PoolJob): void {
    const c = this.control;
    const { kind = 0, args, byCols, step, slabs, scratch, pbOff } = job;
    if (!(slabs >= 1 && slabs <= 254))
      throw new RangeError(`WorkerPool.run: slabs must be 1..254, got ${slabs}`);
    Atomics.store(c, NEXT, (this.generation << 8) | 255); // close the previous job before rewriting
    for (let i = 0; i < 12; i++) c[JOB + i] = args[i] ?? 0;
    c[JOB + 12] = byCols ? 1 : 0;
    c[JOB + 13] = step;
    c[JOB + 14] = slabs;
    c[JOB + 15] = scratch;
    c[JOB + 16] = pbOff;
    c[KIND] = kind;
    Atomics.store(c, DONE, 0);
    this.generation = (this.generation + 1) & 0x7fffff;
    Atomics.store(c, NEXT, this.generation << 8);
    Atomics.add(c, SEQ, 1);
    Atomics.notify(c, SEQ);
  }

  /** Takes the slabs of the started job that no worker has taken yet, then waits until all are done. */
  finish(kernels: PoolKernels): void {
    const c = this.control;
    const slabs = c[JOB + 14];
    takeSlabs(c, kernels, 0);
    // The workers' last slabs are running: poll (reading the clock every 64 polls) before sleeping, as
    // waking from Atomics.wait costs more than a slab's work on a virtual CPU.
    const until = performance.now() + CALLER_SPIN_MS;
    let polls = 0;
    for (let done = Atomics.load(c, DONE); done < slabs; done = Atomics.load(c, DONE)) {
      if (!this.canBlock || (++polls & 63) !== 0 || performance.now() < until) continue;
      try {
        Atomics.wait(c, DONE, done, 50);
      } catch {
        this.canBlock = false; // a browser main thread may not block: spin instead
      }
    }
  }

  /** How many slabs each thread has run so far (index 0: the calling thread). */
  slabsTaken(): number[] {
    return Array.from(this.control.subarray(TAKEN, TAKEN + this.size + 1));
  }

  /** Ends every worker's loop (the host may then terminate them). */
  close(): void {
    Atomics.store(this.control, SEQ, -1);
    Atomics.notify(this.control, SEQ);
  }
}
