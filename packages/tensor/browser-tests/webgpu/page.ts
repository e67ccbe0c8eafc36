/**
 * The test page's script (bundled by esbuild for webgpu.test.ts): starts the WebGPU device and runs every
 * case, or the ones named, and reports per case.
 */
import { initWebGPU, webgpuDevice } from '../../src/devices/webgpu/init';
import { CASES } from './cases';
import { type CaseResult, Check } from './harness';

declare global {
  interface Window {
    /** Starts the device; what initWebGPU said. */
    selfnormWebGPUInit: () => Promise<Awaited<ReturnType<typeof initWebGPU>>>;
    /** Runs one case on the started device. */
    selfnormWebGPUCase: (name: string) => Promise<CaseResult>;
  }
}

window.selfnormWebGPUInit = () => initWebGPU();

window.selfnormWebGPUCase = async (name) => {
  const dev = webgpuDevice();
  if (!dev) return { failures: ['the WebGPU device is not started'], compared: 0 };
  if (!CASES[name]) return { failures: [`no case named ${name}`], compared: 0 };
  const check = new Check(dev);
  try {
    await CASES[name](check);
  } catch (e) {
    check.failures.push(`threw: ${e instanceof Error ? `${e.message}\n${e.stack}` : String(e)}`);
  }
  return check.result();
};
