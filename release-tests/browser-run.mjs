// Opens the bundled page in headless Chromium (playwright-core driving the system's chromium) and asserts
// that the training steps ran in the page and lowered the loss.
// Usage: node release-tests/browser-run.mjs <page.html> [/usr/bin/chromium]
import { pathToFileURL } from 'node:url';
import { chromium } from 'playwright-core';

const [html, executablePath = '/usr/bin/chromium'] = process.argv.slice(2);
if (!html) throw new Error('usage: node release-tests/browser-run.mjs <page.html> [chromium path]');

const browser = await chromium.launch({
  executablePath,
  headless: true,
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();
  const pageErrors = [];
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => console.log(`[page ${m.type()}] ${m.text()}`));
  // page.js is a classic script that trains synchronously: once `load` has fired, the result is there.
  await page.goto(pathToFileURL(html).href, { waitUntil: 'load', timeout: 120_000 });
  const result = await page.evaluate(() => window.selfnormResult);
  if (result === undefined) {
    throw new Error(`the page set no result (was page.js bundled? did it throw?): ${pageErrors.join('\n')}`);
  }
  const userAgent = await page.evaluate(() => navigator.userAgent);
  console.log(`browser: ${browser.version()} (${userAgent})`);
  if (pageErrors.length > 0) throw new Error(`the page threw:\n${pageErrors.join('\n')}`);
  if (result.error) throw new Error(`training in the page failed: ${result.error}`);
  if (result.hasProcess)
    throw new Error('the page has a global `process`: this is not a plain browser context');
  const losses = result.losses ?? [];
  console.log(`losses in the page: ${losses.map((l) => l.toFixed(4)).join(' ')}`);
  if (losses.length < 5) throw new Error(`expected at least 5 training steps, got ${losses.length}`);
  if (!losses.every(Number.isFinite)) throw new Error('a loss in the page is not finite');
  const first = losses[0];
  const last = losses[losses.length - 1];
  if (!(last < 0.9 * first)) throw new Error(`the loss did not fall by 10% in the page: ${first} → ${last}`);
  console.log(`PASS: ${losses.length} steps in Chromium, loss ${first.toFixed(4)} → ${last.toFixed(4)}`);
} finally {
  await browser.close();
}
