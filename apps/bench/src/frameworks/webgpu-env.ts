/**
 * Whether the `selfnorm-webgpu` column can run here. Node has no `navigator.gpu`; the `webgpu` npm package
 * (Dawn for Node) would provide one, but it is not a dependency of this workspace (it ships a native Dawn
 * binary per platform), so the column prints "no GPU adapter" unless it is installed and finds a hardware
 * adapter. Software adapters (SwiftShader, llvmpipe) never count: they measure correctness, not GPU speed.
 */
import { initWebGPU } from '@selfnorm/tensor';

/** What the column found: an adapter to run on, or the note the table prints instead. */
export type WebGPUProbe = { ok: true; adapter: string } | { ok: false; note: string; reason: string };

const SOFTWARE = /swiftshader|llvmpipe|lavapipe|software|microsoft basic render/i;

/** Looks for a hardware WebGPU adapter (through the `webgpu` package where it is installed). */
export async function probeWebGPU(): Promise<WebGPUProbe> {
  let gpu: unknown;
  try {
    const name = 'webgpu'; // not a dependency: resolved at run time only where someone installed it
    const mod = (await import(/* @vite-ignore */ name)) as { create?: (flags: string[]) => unknown };
    gpu = mod.create?.([]);
  } catch {
    return {
      ok: false,
      note: 'no GPU adapter',
      reason: 'Node has no WebGPU and the `webgpu` npm package (Dawn) is not installed',
    };
  }
  const init = await initWebGPU({ gpu: gpu as never });
  if (!init.available || !init.adapter)
    return { ok: false, note: 'no GPU adapter', reason: init.reason ?? '' };
  const a = init.adapter;
  const desc = `${a.vendor} ${a.architecture} ${a.description}`.trim();
  if (SOFTWARE.test(desc))
    return { ok: false, note: 'no GPU adapter', reason: `only a software adapter (${desc})` };
  return { ok: true, adapter: desc };
}
