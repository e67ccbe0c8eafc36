/**
 * The WebGPU runtime under the device: buffers and their pool, compiled pipelines, and the command encoder
 * that kernels record into. Nothing waits here except `read`: kernels append dispatches to one encoder, a
 * batch is submitted when it grows long, when a read needs it, or on `flush()`.
 *
 * Parameters (sizes, strides, scalars) travel in one storage "arena" per batch: a buffer mapped at creation,
 * each dispatch writing its words into an aligned slot, unmapped just before the batch is submitted. No
 * `queue.writeBuffer` is ever used, so a pooled buffer reused inside a batch is always written in command
 * order after the commands that read its previous contents.
 */
import {
  BufferUsage,
  type GpuBufferHandle,
  type GpuCommandEncoder,
  type GpuComputePipeline,
  type GpuDeviceHandle,
  MAP_MODE_READ,
} from './gpu-types';

/**
 * A buffer of the WebGPU device: `length` float32 elements in `buffer` (whose byte size may be larger: the
 * pool rounds sizes up). `released` is set once it went back to the pool.
 */
export interface WebGPUBuffer {
  readonly buffer: GpuBufferHandle;
  readonly length: number;
  readonly dtype: 'float32';
  released: boolean;
}

/** Counters of the device's GPU memory, in bytes of buffers (what `webgpuMemoryStats()` returns). */
export interface WebGPUMemoryStats {
  /** Bytes of buffers handed out to tensors and not yet destroyed. */
  bytesInUse: number;
  /** Bytes of buffers kept in the pool for reuse. */
  bytesPooled: number;
  /** Bytes of every GPU buffer this device created for tensors, ever (flat in a steady training loop). */
  bytesCreated: number;
  /** Number of tensor buffers created, ever. */
  buffersCreated: number;
  /** Buffers whose handle was garbage-collected without `destroy` (the device's backstop took them back). */
  collected: number;
  /** Dispatches recorded and batches submitted, ever. */
  dispatches: number;
  submits: number;
}

/** A bind of one buffer to a binding: what a kernel reads or writes. */
type Binding = WebGPUBuffer;

const WORKGROUP = 256;
const ARENA_BYTES = 1 << 16;
const BATCH_DISPATCHES = 256;
const STORAGE = BufferUsage.STORAGE | BufferUsage.COPY_SRC | BufferUsage.COPY_DST;

/** Byte size of a pooled buffer for `length` float32 elements: at least 16, a multiple of 16. */
export function pooledBytes(length: number): number {
  return Math.max(16, Math.ceil((length * 4) / 16) * 16);
}

/** Parameter words of one dispatch: u32, i32 and f32 values, each one 32-bit word. */
export class Params {
  readonly words: number[] = [];
  private readonly kinds: ('u' | 'i' | 'f')[] = [];
  /** Appends unsigned integers. */
  u(...values: number[]): this {
    for (const v of values) this.push(v, 'u');
    return this;
  }
  /** Appends signed integers. */
  i(...values: number[]): this {
    for (const v of values) this.push(v, 'i');
    return this;
  }
  /** Appends float32 values. */
  f(...values: number[]): this {
    for (const v of values) this.push(v, 'f');
    return this;
  }
  private push(v: number, kind: 'u' | 'i' | 'f'): void {
    this.words.push(v);
    this.kinds.push(kind);
  }
  /** Writes the words into `view` at word `at`. */
  writeTo(u32: Uint32Array, i32: Int32Array, f32: Float32Array, at: number): void {
    for (let k = 0; k < this.words.length; k++) {
      const kind = this.kinds[k];
      if (kind === 'u') u32[at + k] = this.words[k] >>> 0;
      else if (kind === 'i') i32[at + k] = this.words[k] | 0;
      else f32[at + k] = this.words[k];
    }
  }
}

/** One device's buffers, pipelines and pending commands. */
export class GpuRuntime {
  readonly gpu: GpuDeviceHandle;
  private readonly pool = new Map<number, GpuBufferHandle[]>();
  private readonly pipelines = new Map<string, GpuComputePipeline>();
  private encoder: GpuCommandEncoder | null = null;
  private arena: { buffer: GpuBufferHandle; u32: Uint32Array; i32: Int32Array; f32: Float32Array } | null =
    null;
  private arenaUsed = 0;
  private batchDispatches = 0;
  /** Buffers to destroy once the batch that may still use them is submitted. */
  private afterSubmit: GpuBufferHandle[] = [];
  private readonly align: number;
  /** The most bytes the pool keeps; buffers given back beyond it are destroyed. */
  poolLimitBytes = 256 * 1024 * 1024;
  /** The first uncaptured GPU error (a WGSL or validation error), thrown by the next read. */
  error: string | null = null;
  readonly stats: WebGPUMemoryStats = {
    bytesInUse: 0,
    bytesPooled: 0,
    bytesCreated: 0,
    buffersCreated: 0,
    collected: 0,
    dispatches: 0,
    submits: 0,
  };

  /**
   * The backstop (the memory module leaves it to the device): a handle that becomes unreachable without
   * `release` (a tensor never disposed, or a buffer shared by two tensors, which the memory module never gives
   * back) returns its GPU buffer to the pool.
   */
  private readonly lost = new FinalizationRegistry<GpuBufferHandle>((buffer) => this.reclaim(buffer, true));

  constructor(gpu: GpuDeviceHandle) {
    this.gpu = gpu;
    this.align = Math.max(256, gpu.limits.minStorageBufferOffsetAlignment);
  }

  /** A buffer of `length` float32 elements: from the pool when one of its size is there, zeroed unless told not to. */
  allocate(length: number, zeroed: boolean): WebGPUBuffer {
    const bytes = pooledBytes(length);
    const free = this.pool.get(bytes);
    let buffer = free?.pop();
    if (buffer) {
      this.stats.bytesPooled -= bytes;
      if (zeroed) this.enc().clearBuffer(buffer, 0, bytes);
    } else {
      if (bytes > this.gpu.limits.maxStorageBufferBindingSize) {
        throw new RangeError(
          `webgpu: a tensor of ${length} float32 elements (${bytes} bytes) exceeds this adapter's storage binding limit of ${this.gpu.limits.maxStorageBufferBindingSize} bytes`,
        );
      }
      buffer = this.gpu.createBuffer({ size: bytes, usage: STORAGE }); // zeroed by WebGPU
      this.stats.bytesCreated += bytes;
      this.stats.buffersCreated++;
    }
    this.stats.bytesInUse += bytes;
    const handle: WebGPUBuffer = { buffer, length, dtype: 'float32', released: false };
    this.lost.register(handle, buffer, handle);
    return handle;
  }

  /** Gives a buffer back: to the pool, or destroyed (after the pending batch) when the pool is full. Idempotent. */
  release(b: WebGPUBuffer): void {
    if (b.released) return;
    b.released = true;
    this.lost.unregister(b);
    this.reclaim(b.buffer);
  }

  /** A GPU buffer nothing uses any more goes to the pool, or is destroyed when the pool is full. */
  private reclaim(buffer: GpuBufferHandle, collected = false): void {
    const bytes = buffer.size;
    this.stats.bytesInUse -= bytes;
    if (collected) this.stats.collected++;
    if (this.stats.bytesPooled + bytes > this.poolLimitBytes) {
      if (this.encoder) this.afterSubmit.push(buffer);
      else buffer.destroy();
      return;
    }
    let free = this.pool.get(bytes);
    if (!free) this.pool.set(bytes, (free = []));
    free.push(buffer);
    this.stats.bytesPooled += bytes;
  }

  /** Destroys every pooled buffer (after the pending batch). */
  trimPool(): void {
    for (const free of this.pool.values()) for (const b of free) this.afterSubmit.push(b);
    this.pool.clear();
    this.stats.bytesPooled = 0;
    if (!this.encoder) this.flush();
  }

  /** A new buffer holding `data`, copied in command order through a staging buffer. */
  upload(data: Float32Array): WebGPUBuffer {
    const out = this.allocate(data.length, false);
    if (data.length === 0) return out;
    const staging = this.gpu.createBuffer({
      size: pooledBytes(data.length),
      usage: BufferUsage.COPY_SRC,
      mappedAtCreation: true,
    });
    new Float32Array(staging.getMappedRange(), 0, data.length).set(data);
    staging.unmap();
    this.enc().copyBufferToBuffer(staging, 0, out.buffer, 0, data.length * 4);
    this.afterSubmit.push(staging);
    return out;
  }

  /** Copies `length` elements from one buffer (from element `srcOffset`) to the start of another, in command order. */
  copyBuffer(src: WebGPUBuffer, dst: WebGPUBuffer, length: number, srcOffset = 0): void {
    if (length > 0) this.enc().copyBufferToBuffer(src.buffer, srcOffset * 4, dst.buffer, 0, length * 4);
  }

  /** Fills a whole buffer with zeros, in command order. */
  clear(b: WebGPUBuffer): void {
    this.enc().clearBuffer(b.buffer, 0, b.buffer.size);
  }

  /** The host values of a buffer once every queued command is done. */
  async read(b: WebGPUBuffer): Promise<Float32Array> {
    if (b.released)
      throw new Error('webgpu: read of a buffer that was already destroyed (a disposed tensor)');
    const out = new Float32Array(b.length);
    if (b.length === 0) {
      this.flush();
      return out;
    }
    const bytes = pooledBytes(b.length);
    const staging = this.gpu.createBuffer({
      size: bytes,
      usage: BufferUsage.MAP_READ | BufferUsage.COPY_DST,
    });
    this.enc().copyBufferToBuffer(b.buffer, 0, staging, 0, b.length * 4);
    this.flush();
    await staging.mapAsync(MAP_MODE_READ);
    out.set(new Float32Array(staging.getMappedRange(), 0, b.length));
    staging.unmap();
    staging.destroy();
    this.throwError();
    return out;
  }

  /** Submits the pending batch (does not wait for it). */
  flush(): void {
    if (this.arena) {
      this.arena.buffer.unmap();
      this.afterSubmit.push(this.arena.buffer);
      this.arena = null;
      this.arenaUsed = 0;
    }
    if (this.encoder) {
      this.gpu.queue.submit([this.encoder.finish()]);
      this.encoder = null;
      this.stats.submits++;
    }
    this.batchDispatches = 0;
    for (const b of this.afterSubmit) b.destroy();
    this.afterSubmit = [];
  }

  /** Resolves when every submitted command is done (submitting the pending batch first). */
  async sync(): Promise<void> {
    this.flush();
    await this.gpu.queue.onSubmittedWorkDone();
    this.throwError();
  }

  /** Throws (once) the GPU error reported since the last read. */
  private throwError(): void {
    const e = this.error;
    if (e === null) return;
    this.error = null;
    throw new Error(`webgpu: the GPU reported an error: ${e}`);
  }

  /** The pipeline of a WGSL compute shader (entry point `main`), compiled once per source text. */
  pipeline(label: string, code: string): GpuComputePipeline {
    let p = this.pipelines.get(code);
    if (!p) {
      const module = this.gpu.createShaderModule({ code, label });
      p = this.gpu.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' }, label });
      this.pipelines.set(code, p);
    }
    return p;
  }

  /** Number of compiled pipelines (for tests: they are cached). */
  get pipelineCount(): number {
    return this.pipelines.size;
  }

  /**
   * Records one dispatch of `code`: binding 0 is the parameter words, then `reads` (read-only storage), then
   * `writes` (read-write storage), in order. A buffer read and written by the same dispatch is read from a
   * copy (WebGPU forbids binding one buffer both ways).
   */
  dispatch(
    label: string,
    code: string,
    params: Params,
    reads: readonly Binding[],
    writes: readonly Binding[],
    groups: readonly [number, number, number],
  ): void {
    if (groups[0] === 0 || groups[1] === 0 || groups[2] === 0) return;
    const words = Math.max(4, params.words.length);
    const slotBytes = Math.ceil((words * 4) / this.align) * this.align;
    if (this.batchDispatches >= BATCH_DISPATCHES || (this.arena && this.arenaUsed + slotBytes > ARENA_BYTES))
      this.flush();
    const arena = this.slotArena(slotBytes);
    const offset = this.arenaUsed;
    params.writeTo(arena.u32, arena.i32, arena.f32, offset / 4);
    this.arenaUsed += slotBytes;
    const temps: WebGPUBuffer[] = [];
    const readBufs = reads.map((r) => {
      if (!writes.includes(r)) return r;
      const copy = this.allocate(r.length, false);
      this.copyBuffer(r, copy, r.length);
      temps.push(copy);
      return copy;
    });
    const pipeline = this.pipeline(label, code);
    const entries = [{ binding: 0, resource: { buffer: arena.buffer, offset, size: words * 4 } }];
    for (const b of [...readBufs, ...writes])
      entries.push({
        binding: entries.length,
        resource: { buffer: b.buffer, offset: 0, size: b.buffer.size },
      });
    const group = this.gpu.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries });
    const pass = this.enc().beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, group);
    pass.dispatchWorkgroups(groups[0], groups[1], groups[2]);
    pass.end();
    this.batchDispatches++;
    this.stats.dispatches++;
    for (const t of temps) this.release(t);
  }

  /** Workgroup counts for `n` invocations of a 256-wide 1-D kernel, folded into y past the x limit. */
  groups1d(n: number): [number, number, number] {
    const total = Math.ceil(n / WORKGROUP);
    const maxX = this.gpu.limits.maxComputeWorkgroupsPerDimension;
    if (total <= maxX) return [total, 1, 1];
    return [maxX, Math.ceil(total / maxX), 1];
  }

  private enc(): GpuCommandEncoder {
    if (!this.encoder) this.encoder = this.gpu.createCommandEncoder();
    return this.encoder;
  }

  private slotArena(slotBytes: number) {
    if (!this.arena) {
      const size = Math.max(ARENA_BYTES, slotBytes);
      const buffer = this.gpu.createBuffer({ size, usage: BufferUsage.STORAGE, mappedAtCreation: true });
      const range = buffer.getMappedRange();
      this.arena = {
        buffer,
        u32: new Uint32Array(range),
        i32: new Int32Array(range),
        f32: new Float32Array(range),
      };
      this.arenaUsed = 0;
    }
    return this.arena;
  }
}
