/**
 * The WebGPU device in a real browser: bundles browser-tests/webgpu/page.ts with esbuild, opens it in
 * headless Chromium (Debian's, driven by playwright-core) with WebGPU on SwiftShader's software Vulkan,
 * and checks every kernel case against the CPU reference. No adapter is a failure that says why, not a
 * skip. Env: CHROMIUM=<path> (default /usr/bin/chromium).
 */
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { type Browser, chromium, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CASES } from './webgpu/cases';
import type { CaseResult } from './webgpu/harness';

const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
/** TOOLCHAIN.md item 10: WebGPU on SwiftShader in headless Chromium. */
const ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan',
  '--use-webgpu-adapter=swiftshader',
  '--enable-unsafe-swiftshader',
  // window.gc(), so the memory test can let the FinalizationRegistry backstop run at known points
  '--js-flags=--expose-gc',
];

let browser: Browser | undefined;
let page: Page | undefined;
let init: { available: boolean; adapter?: object; reason?: string } = { available: false };
let setupError = '';

beforeAll(async () => {
  try {
    await openPage();
  } catch (e) {
    setupError = `could not run the page in ${CHROMIUM}: ${e instanceof Error ? e.message : String(e)}`;
  }
}, 120_000);

async function openPage(): Promise<void> {
  if (!existsSync(CHROMIUM)) {
    setupError = `no browser at ${CHROMIUM}: run .ci/install-chromium (as root) or set CHROMIUM`;
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'selfnorm-webgpu-'));
  await build({
    entryPoints: [fileURLToPath(new URL('./webgpu/page.ts', import.meta.url))],
    bundle: true,
    format: 'iife',
    conditions: ['@selfnorm/source'], // @selfnorm/tensor from source, the same modules the page imports
    target: 'es2022',
    outfile: join(dir, 'page.js'),
    logLevel: 'error',
  });
  writeFileSync(
    join(dir, 'index.html'),
    '<!doctype html><meta charset="utf-8"><script src="page.js"></script>',
  );
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  const p = await browser.newPage();
  const errors: string[] = [];
  p.on('pageerror', (e) => errors.push(String(e)));
  await p.goto(pathToFileURL(join(dir, 'index.html')).href, { waitUntil: 'load' });
  if (errors.length > 0) throw new Error(`the page threw: ${errors.join('\n')}`);
  init = await p.evaluate(() => window.selfnormWebGPUInit());
  page = p;
}

/** Runs one case in the page; fails (never skips) where there is no page or no adapter. */
async function runCase(name: string): Promise<CaseResult> {
  expect(setupError, setupError).toBe('');
  expect(init.reason ?? '', init.reason).toBe('');
  return page!.evaluate((n: string) => window.selfnormWebGPUCase(n), name);
}

afterAll(async () => {
  await browser?.close();
});

describe('the WebGPU device in headless Chromium (SwiftShader)', () => {
  it('finds an adapter (a failure here says why there is none)', () => {
    expect(setupError, setupError).toBe('');
    expect(init.reason ?? '', init.reason).toBe('');
    expect(init.available).toBe(true);
  });

  for (const name of Object.keys(CASES)) {
    // The W2a loop is 50 steps of an 8 × 512 network on software Vulkan: minutes, not seconds.
    const timeout = name.startsWith('W2a') ? 900_000 : 120_000;
    it(
      name,
      async () => {
        const r = await runCase(name);
        expect(r.failures).toEqual([]);
        expect(r.compared).toBeGreaterThan(0);
      },
      timeout,
    );
  }
});
