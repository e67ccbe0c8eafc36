// Sums vitest's JSON reports (one per workspace package) into the plain line CI reads.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

let passed = 0;
let failed = 0;
let skipped = 0;
let reports = 0;
for (const root of ['packages', 'apps']) {
  if (!existsSync(root)) continue;
  for (const dir of readdirSync(root)) {
    const file = join(root, dir, '.vitest-results.json');
    if (!existsSync(file)) continue;
    const r = JSON.parse(readFileSync(file, 'utf8'));
    reports++;
    passed += r.numPassedTests;
    failed += r.numFailedTests;
    skipped += r.numPendingTests + r.numTodoTests;
    if (r.numFailedTestSuites > 0) failed += r.numFailedTestSuites;
  }
}
// .ci/release-check writes its counts in the same shape (absent when it did not run).
const release = join('release-tests', '.vitest-results.json');
if (existsSync(release)) {
  const r = JSON.parse(readFileSync(release, 'utf8'));
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += r.numPendingTests;
}
if (reports === 0) {
  console.log('0 passed, 1 failed');
  console.error('no vitest report was found: the tests did not run');
  process.exit(1);
}
console.log(
  skipped > 0
    ? `${passed} passed, ${failed} failed, ${skipped} skipped`
    : `${passed} passed, ${failed} failed`,
);
process.exit(failed > 0 ? 1 : 0);
