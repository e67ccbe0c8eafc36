/**
 * Explicit, async start of the WebGPU device: finds an adapter, creates a GPUDevice with the adapter's
 * buffer limits, and keeps the device for `webgpuDevice()`. Nothing runs at import.
 */
import { registerDevice } from '../../device/registry';
import { createWebGPUDevice, type WebGPUDevice } from './device';
import type { Gpu } from './gpu-types';

/** What `initWebGPU` found. */
export interface WebGPUInit {
  /** Whether the device is ready (`tensor(…, { device: 'webgpu' })` works). */
  available: boolean;
  /** The adapter's identification, when one was found. */
  adapter?: { vendor: string; architecture: string; description: string };
  /** Why the device is not available. */
  reason?: string;
}

/** Options of `initWebGPU`. */
export interface WebGPUInitOptions {
  /** Passed to `requestAdapter`. Default 'high-performance'. */
  powerPreference?: 'low-power' | 'high-performance';
  /** The WebGPU entry point to use instead of `navigator.gpu` (e.g. the `webgpu` npm package's in Node). */
  gpu?: Gpu;
}

let current: WebGPUDevice | null = null;

/**
 * Starts the WebGPU device. Resolves (never rejects) with whether an adapter was found and which; on success
 * the device is created and registered (`tensor(…, { device: 'webgpu' })`, `t.to('webgpu')`), and later calls
 * return the same device.
 * Source: W3C WebGPU, `navigator.gpu.requestAdapter()`. @example
 * const gpu = await initWebGPU();
 * if (gpu.available) console.log(gpu.adapter.description); else console.log(gpu.reason);
 */
export async function initWebGPU(options: WebGPUInitOptions = {}): Promise<WebGPUInit> {
  const nav = (globalThis as { navigator?: { gpu?: Gpu } }).navigator;
  const gpu = options.gpu ?? nav?.gpu;
  if (!gpu) {
    return {
      available: false,
      reason:
        nav === undefined
          ? 'initWebGPU: no `navigator` here (Node has no WebGPU; pass { gpu } from an implementation such as the `webgpu` npm package)'
          : 'initWebGPU: `navigator.gpu` is missing (this browser has no WebGPU, or the page is not a secure context: https or localhost)',
    };
  }
  let adapter: Awaited<ReturnType<Gpu['requestAdapter']>>;
  try {
    adapter = await gpu.requestAdapter({ powerPreference: options.powerPreference ?? 'high-performance' });
  } catch (e) {
    return { available: false, reason: `initWebGPU: requestAdapter() threw: ${String(e)}` };
  }
  if (!adapter) {
    return {
      available: false,
      reason:
        'initWebGPU: navigator.gpu.requestAdapter() returned no adapter (no usable GPU, or WebGPU is disabled)',
    };
  }
  const info = adapter.info ?? { vendor: '', architecture: '', description: '' };
  const id = { vendor: info.vendor, architecture: info.architecture, description: info.description };
  if (!current) {
    try {
      const limits = adapter.limits;
      const gpuDevice = await adapter.requestDevice({
        requiredLimits: {
          maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
          maxBufferSize: limits.maxBufferSize,
          // batchNormBackward binds 8 (the default); more where the adapter has them
          maxStorageBuffersPerShaderStage: limits.maxStorageBuffersPerShaderStage,
        },
      });
      current = createWebGPUDevice(gpuDevice);
      registerDevice(current);
    } catch (e) {
      return { available: false, adapter: id, reason: `initWebGPU: requestDevice() failed: ${String(e)}` };
    }
  }
  return { available: true, adapter: id };
}

/**
 * The WebGPU device once `initWebGPU()` succeeded, else null.
 * @example const dev = webgpuDevice(); if (dev) await dev.sync();
 */
export function webgpuDevice(): WebGPUDevice | null {
  return current;
}
