// The browser page: trains the same small self-normalizing network as the Node check, in the page, and
// leaves the result on `window.selfnormResult` for the driver (release-tests/browser-run.mjs) to read.
import { train } from '../train.js';

interface PageResult {
  losses?: number[];
  error?: string;
  hasProcess: boolean;
}
declare global {
  interface Window {
    selfnormResult?: PageResult;
  }
}

const out = document.getElementById('out');
const hasProcess = 'process' in globalThis;
try {
  const losses = train(20);
  window.selfnormResult = { losses, hasProcess };
  if (out) out.textContent = losses.map((l, i) => `step ${i}: loss ${l.toFixed(4)}`).join('\n');
} catch (e) {
  window.selfnormResult = {
    error: e instanceof Error ? `${e.name}: ${e.message}\n${e.stack}` : String(e),
    hasProcess,
  };
  if (out) out.textContent = String(e);
}
