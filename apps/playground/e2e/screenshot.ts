/**
 * Regenerates docs/playground.png (the README's screenshot): the built page after a short run of 16-layer
 * networks, with a digit drawn. Usage: pnpm --filter @selfnorm/playground screenshot (after a build).
 */
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';
import { ISOLATION_HEADERS } from '../vite.config.ts';
import { serveStatic } from './static-server.ts';

const app = join(dirname(fileURLToPath(import.meta.url)), '..');
const server = await serveStatic(join(app, 'dist'), ISOLATION_HEADERS);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  await page.goto(`${server.url}/?autostart&steps=300&depth=16&width=128`);
  await page.waitForFunction(
    () => document.querySelector('[data-testid="status"]')?.textContent === 'done',
    null,
    {
      timeout: 300_000,
    },
  );
  await page.click('#sample');
  await page.waitForSelector('[data-testid="prediction-selu"]');
  const out = join(app, '..', '..', 'docs', 'playground.png');
  await page.screenshot({ path: out, fullPage: true, scale: 'css' });
  // A palette PNG keeps it small enough for the README (< 200 KB); pngquant is optional.
  try {
    execFileSync('pngquant', ['--quality=60-85', '--speed', '1', '--force', '--output', out, out]);
  } catch {
    console.log('pngquant is not installed: the PNG is not quantized (apt-get install pngquant)');
  }
  console.log(`wrote ${out}`);
} finally {
  await browser.close();
  await server.close();
}
