/**
 * The subset of the WebGPU API this device uses, declared structurally. TypeScript 5.9's DOM library has no
 * WebGPU types and the package takes no dependency for them (`@webgpu/types` would add globals to every
 * consumer); these match the W3C WebGPU IDL for the members named. Source: https://www.w3.org/TR/webgpu/
 */

/** GPUBufferUsage flags (W3C WebGPU §5.1.1). */
export const BufferUsage = {
  MAP_READ: 0x0001,
  MAP_WRITE: 0x0002,
  COPY_SRC: 0x0004,
  COPY_DST: 0x0008,
  UNIFORM: 0x0040,
  STORAGE: 0x0080,
} as const;

/** GPUMapMode.READ (W3C WebGPU §5.1.2). */
export const MAP_MODE_READ = 0x0001;

/** A GPU buffer. */
export interface GpuBufferHandle {
  readonly size: number;
  mapAsync(mode: number, offset?: number, size?: number): Promise<void>;
  getMappedRange(offset?: number, size?: number): ArrayBuffer;
  unmap(): void;
  destroy(): void;
}

/** A compiled compute pipeline. */
export interface GpuComputePipeline {
  getBindGroupLayout(index: number): unknown;
}

/** A compute pass being recorded. */
export interface GpuComputePass {
  setPipeline(pipeline: GpuComputePipeline): void;
  setBindGroup(index: number, group: unknown): void;
  dispatchWorkgroups(x: number, y?: number, z?: number): void;
  end(): void;
}

/** A command encoder being recorded. */
export interface GpuCommandEncoder {
  beginComputePass(descriptor?: object): GpuComputePass;
  copyBufferToBuffer(
    src: GpuBufferHandle,
    srcOffset: number,
    dst: GpuBufferHandle,
    dstOffset: number,
    size: number,
  ): void;
  clearBuffer(buffer: GpuBufferHandle, offset?: number, size?: number): void;
  finish(): unknown;
}

/** The device's queue. */
export interface GpuQueue {
  submit(commandBuffers: unknown[]): void;
  writeBuffer(
    buffer: GpuBufferHandle,
    offset: number,
    data: ArrayBufferView,
    dataOffset?: number,
    size?: number,
  ): void;
  onSubmittedWorkDone(): Promise<void>;
}

/** The limits this device reads. */
export interface GpuLimits {
  readonly maxStorageBufferBindingSize: number;
  readonly maxBufferSize: number;
  readonly maxComputeWorkgroupsPerDimension: number;
  readonly minStorageBufferOffsetAlignment: number;
  readonly maxStorageBuffersPerShaderStage: number;
}

/** A logical GPU device. */
export interface GpuDeviceHandle {
  readonly limits: GpuLimits;
  readonly queue: GpuQueue;
  readonly lost: Promise<{ reason: string; message: string }>;
  createBuffer(descriptor: { size: number; usage: number; mappedAtCreation?: boolean }): GpuBufferHandle;
  createShaderModule(descriptor: { code: string; label?: string }): unknown;
  createComputePipeline(descriptor: {
    layout: 'auto';
    compute: { module: unknown; entryPoint: string };
    label?: string;
  }): GpuComputePipeline;
  createBindGroup(descriptor: {
    layout: unknown;
    entries: { binding: number; resource: { buffer: GpuBufferHandle; offset?: number; size?: number } }[];
  }): unknown;
  createCommandEncoder(): GpuCommandEncoder;
  pushErrorScope(filter: 'validation' | 'out-of-memory' | 'internal'): void;
  popErrorScope(): Promise<{ message: string } | null>;
  destroy(): void;
}

/** An adapter's identification (GPUAdapterInfo). */
export interface GpuAdapterInfo {
  readonly vendor: string;
  readonly architecture: string;
  readonly description: string;
}

/** A physical adapter. */
export interface GpuAdapter {
  readonly info?: GpuAdapterInfo;
  readonly limits: GpuLimits;
  requestDevice(descriptor?: { requiredLimits?: Record<string, number> }): Promise<GpuDeviceHandle>;
}

/** `navigator.gpu`. */
export interface Gpu {
  requestAdapter(options?: {
    powerPreference?: 'low-power' | 'high-performance';
  }): Promise<GpuAdapter | null>;
}
