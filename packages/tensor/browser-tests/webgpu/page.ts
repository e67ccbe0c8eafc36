/**
 * The test page's script (bundled by esbuild for webgpu.test.ts): starts the WebGPU device and runs every
 * case, or the ones named, and reports per case.
 */
import { initWebGPU, webgpuDevice } from '../../src/devices/webgpu/init';
import { CASES } from './cases';
import { type CaseResult, Check } from './harness';

declare global {
  interface Window {
    selfnormWebGPU: (names?: string[]) => Promise<{
      init: Awaited<ReturnType<typeof initWebGPU>>;
      results: Record<string, CaseResult>;
    }>;
  }
}

window.selfnormWebGPU = async (names) => {
  const init = await initWebGPU();
  const results: Record<string, CaseResult> = {};
  const dev = webgpuDevice();
  if (!init.available || !dev) return { init, results };
  for (const name of names ?? Object.keys(CASES)) {
    const check = new Check(dev);
    try {
      await CASES[name](check);
    } catch (e) {
      check.failures.push(`threw: ${e instanceof Error ? `${e.message}\n${e.stack}` : String(e)}`);
    }
    results[name] = check.result();
  }
  return { init, results };
};
