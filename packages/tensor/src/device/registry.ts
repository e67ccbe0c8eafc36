/**
 * Which devices exist and which one a new tensor gets. The CPU is always there; another device is added by
 * its own init function (`registerDevice`). New tensors go to the default device unless the creating call
 * says `{ device }`; an op's result lives where its operands live. Nothing switches devices behind the
 * user's back.
 */
import { describeValue } from '../arg-checks';
import { cpu } from '../devices/cpu';
import type { DType } from '../dtype';
import type { Device } from './device';

const devices = new Map<string, Device>([['cpu', cpu]]);
let defaultDevice: Device = cpu;

/** Makes a device available by name (done by the device's init function, e.g. `initWebGPU()`). */
export function registerDevice(device: Device): void {
  const existing = devices.get(device.name);
  if (existing !== undefined && existing !== device) {
    throw new Error(`registerDevice: a different device named '${device.name}' is already registered`);
  }
  devices.set(device.name, device);
}

/** The names of the devices available now, e.g. ['cpu', 'webgpu']. */
export function deviceNames(): string[] {
  return [...devices.keys()];
}

/**
 * The device of that name (or the device itself). An unknown name is an error that lists the available
 * ones and, for a known kind, the init function to call first.
 * @example getDevice('cpu').name // 'cpu'
 */
export function getDevice(device: string | Device, op = 'getDevice'): Device {
  if (typeof device === 'object' && device !== null && devices.get(device.name) === device) return device;
  const found = typeof device === 'string' ? devices.get(device) : undefined;
  if (found) return found;
  const hint =
    device === 'webgpu' ? '; call `await initWebGPU()` first (it says whether there is an adapter)' : '';
  throw new RangeError(
    `${op}: no device ${typeof device === 'string' ? `'${device}'` : describeValue(device)}; available: ${deviceNames()
      .map((n) => `'${n}'`)
      .join(', ')}${hint}`,
  );
}

/** The device new tensors get when their creating call names none (initially the CPU). */
export function getDefaultDevice(): Device {
  return defaultDevice;
}

/**
 * Sets the device new tensors get when their creating call names none; returns the previous one. Ops on
 * existing tensors are not affected (their results stay with their operands).
 * @example const previous = setDefaultDevice('webgpu'); try { … } finally { setDefaultDevice(previous); }
 */
export function setDefaultDevice(device: string | Device): Device {
  const previous = defaultDevice;
  defaultDevice = getDevice(device, 'setDefaultDevice');
  return previous;
}

/** The device a creating call asked for (`options.device`), or the default. */
export function resolveDevice(device: string | Device | undefined, op: string): Device {
  return device === undefined ? defaultDevice : getDevice(device, op);
}

/** A dtype the device cannot hold is an error naming it. */
export function checkDeviceDType(device: Device, dtype: DType, op: string): void {
  if (!device.dtypes.includes(dtype)) {
    throw new TypeError(
      `${op}: '${device.name}' holds ${device.dtypes.join(' and ')} tensors, not ${dtype}; ${dtype} tensors stay on the CPU (cast first if float32 is enough)`,
    );
  }
}
