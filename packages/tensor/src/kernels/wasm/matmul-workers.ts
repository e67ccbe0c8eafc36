/**
 * Worker threads for the matmul kernel, with a synchronous API kept: the calling thread posts a share of the
 * product to each worker through a SharedArrayBuffer, computes its own share, then waits with Atomics.
 * The library starts no thread itself (no `node:` import, nothing at import time): the host creates the
 * workers from `matmulWorkerSource` and hands them over with `useMatmulWorkers`.
 */

/**
 * The source of a matmul worker, as a classic script: run it with
 * `new Worker(matmulWorkerSource, { eval: true })` from `node:worker_threads` (then `worker.unref()`, since
 * the worker blocks in Atomics.wait), or in a browser from a Blob URL of it.
 *
 * @example
 * import { Worker } from 'node:worker_threads';
 * const worker = new Worker(matmulWorkerSource, { eval: true });
 * worker.unref();
 * await useMatmulWorkers([worker]);
 */
export const matmulWorkerSource = `'use strict';
var port = typeof self === 'object' && self !== null && typeof self.postMessage === 'function'
  ? self : require('node:worker_threads').parentPort;
port.addEventListener('message', function init(event) {
  port.removeEventListener('message', init);
  var msg = event.data;
  var gemm = new WebAssembly.Instance(msg.module, { env: { memory: msg.memory } }).exports.gemm;
  var c = new Int32Array(msg.control);
  var seen = 0;
  Atomics.store(c, 1, 0);
  Atomics.notify(c, 1);
  for (;;) {
    Atomics.wait(c, 0, seen);
    seen = Atomics.load(c, 0);
    if (c[2] === -1) return;
    gemm(c[2], c[3], c[4], c[5], c[6], c[7], c[8], c[9], c[10], c[11], c[12], c[13], c[14], c[15], c[16]);
    Atomics.store(c, 1, seen);
    Atomics.notify(c, 1);
  }
});
`;

/** What `useMatmulWorkers` needs of a worker: Node's `Worker` and the browser's both qualify. */
export interface MatmulWorker {
  postMessage(message: unknown): void;
}

// Control block of one worker (Int32): [0] job sequence number, [1] last finished job (−1: not ready),
// [2..16] the 15 arguments of `gemm` (a = −1: quit).
const SEQ = 0;
const DONE = 1;
const ARGS = 2;

/** Workers sharing one wasm memory, each running `gemm` jobs posted by the calling thread. */
export class GemmPool {
  private readonly controls: Int32Array[];
  private readonly posted: number[];
  private canBlock = true;

  private constructor(controls: Int32Array[]) {
    this.controls = controls;
    this.posted = controls.map(() => 0);
  }

  /** How many workers the pool holds. */
  get size(): number {
    return this.controls.length;
  }

  /**
   * Sends the module and memory to each worker and resolves once all of them are ready; rejects after
   * `timeoutMs` if one is not (a worker that was not started from `matmulWorkerSource`, say).
   */
  static async start(
    workers: readonly MatmulWorker[],
    module: WebAssembly.Module,
    memory: WebAssembly.Memory,
    timeoutMs = 10_000,
  ): Promise<GemmPool> {
    const controls = workers.map(() => new Int32Array(new SharedArrayBuffer(4 * (ARGS + 15))));
    workers.forEach((w, i) => {
      controls[i][DONE] = -1;
      w.postMessage({ module, memory, control: controls[i].buffer });
    });
    const t0 = Date.now();
    while (controls.some((c) => Atomics.load(c, DONE) !== 0)) {
      if (Date.now() - t0 > timeoutMs) {
        throw new Error(
          `useMatmulWorkers: a worker did not start within ${timeoutMs} ms; start each worker from matmulWorkerSource`,
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    return new GemmPool(controls);
  }

  /** Posts the 15 `gemm` arguments to worker `i` (which must be idle). */
  post(i: number, args: readonly number[]): void {
    const c = this.controls[i];
    for (let j = 0; j < 15; j++) c[ARGS + j] = args[j];
    this.posted[i]++;
    Atomics.store(c, SEQ, this.posted[i]);
    Atomics.notify(c, SEQ);
  }

  /** Waits until worker `i` has finished its last posted job (blocking where allowed, else spinning). */
  wait(i: number): void {
    const c = this.controls[i];
    const want = this.posted[i];
    for (let seen = Atomics.load(c, DONE); seen !== want; seen = Atomics.load(c, DONE)) {
      if (!this.canBlock) continue;
      try {
        Atomics.wait(c, DONE, seen, 50);
      } catch {
        this.canBlock = false; // a browser main thread may not block: spin instead
      }
    }
  }

  /** Ends every worker's loop (the host may then terminate them). */
  close(): void {
    for (let i = 0; i < this.controls.length; i++)
      this.post(i, [-1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
  }
}
