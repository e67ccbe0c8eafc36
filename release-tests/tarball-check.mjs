// Checks what `pnpm pack` put in each tarball: the built files every export points to, README and LICENSE,
// no sources or tests, complete metadata, no `workspace:` ranges, no "@selfnorm/source" condition, and
// nn's range for @selfnorm/tensor met by the tensor tarball packed beside it; publishConfig.exports in step
// with the workspace's exports. Run from the repository root.
// Usage: node release-tests/tarball-check.mjs <tensor.tgz> <nn.tgz>
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';

const problems = [];
const manifests = {};
for (const tgz of process.argv.slice(2)) {
  const files = new Set(
    execFileSync('tar', ['-tzf', tgz], { encoding: 'utf8' })
      .split('\n')
      .filter(Boolean)
      .map((f) => f.replace(/^package\//, '')),
  );
  const pkg = JSON.parse(execFileSync('tar', ['-xzOf', tgz, 'package/package.json'], { encoding: 'utf8' }));
  manifests[pkg.name] = pkg;
  const say = (what) => problems.push(`${pkg.name}: ${what}`);
  console.log(`${pkg.name}@${pkg.version}: ${[...files].sort().join(' ')}`);

  for (const f of ['package.json', 'README.md', 'LICENSE']) if (!files.has(f)) say(`the tarball lacks ${f}`);
  for (const f of files) {
    if (f.startsWith('src/') || /\.test\.[cm]?[jt]s$/.test(f))
      say(`the tarball ships ${f} (sources and tests stay out)`);
  }
  // Every path the manifest points to exists, and no condition points at the sources.
  const targets = [];
  const walk = (v, where) => {
    if (typeof v === 'string') targets.push([where, v]);
    else if (v && typeof v === 'object') for (const [k, w] of Object.entries(v)) walk(w, `${where}.${k}`);
  };
  walk(pkg.exports, 'exports');
  for (const k of ['main', 'module', 'types']) if (pkg[k]) targets.push([k, pkg[k]]);
  if (targets.length === 0) say('no exports/main/types at all');
  for (const [where, target] of targets) {
    if (where.includes('@selfnorm/source'))
      say(`${where} is the workspace-only source condition (publishConfig.exports should drop it)`);
    if (!files.has(target.replace(/^\.\//, ''))) say(`${where} → ${target}, which is not in the tarball`);
  }
  // publishConfig.exports must stay in step with the workspace's exports (less the source condition).
  const dir = `packages/${pkg.name.replace('@selfnorm/', '')}`;
  if (existsSync(`${dir}/package.json`)) {
    const strip = (v) =>
      v && typeof v === 'object'
        ? Object.fromEntries(
            Object.entries(v)
              .filter(([k]) => k !== '@selfnorm/source')
              .map(([k, w]) => [k, strip(w)]),
          )
        : v;
    const workspace = JSON.stringify(strip(JSON.parse(readFileSync(`${dir}/package.json`, 'utf8')).exports));
    if (workspace !== JSON.stringify(pkg.exports)) {
      say(
        `the packed exports differ from ${dir}/package.json's exports without "@selfnorm/source": update publishConfig.exports`,
      );
    }
  }
  // Metadata the issue asks for.
  if (pkg.license !== 'MIT') say(`license is ${JSON.stringify(pkg.license)}, expected "MIT"`);
  if (pkg.sideEffects !== false) say('sideEffects should be false');
  if (!pkg.engines?.node) say('engines.node is missing');
  if (!pkg.description) say('description is missing');
  if (!Array.isArray(pkg.keywords) || pkg.keywords.length === 0) say('keywords are missing');
  if (!pkg.repository?.url) say('repository.url is missing');
  if (pkg.type !== 'module') say('type should be "module" (dist/index.js is ESM)');
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies']) {
    for (const [dep, range] of Object.entries(pkg[field] ?? {})) {
      if (range.startsWith('workspace:') || range.startsWith('link:') || range.startsWith('file:')) {
        say(`${field}.${dep} is "${range}": pack with pnpm, which rewrites workspace ranges`);
      }
    }
  }
}

// nn's range for tensor must accept the tensor version packed beside it (caret ranges, as pnpm writes them).
const nn = manifests['@selfnorm/nn'];
const tensor = manifests['@selfnorm/tensor'];
if (nn && tensor) {
  const range = nn.dependencies?.['@selfnorm/tensor'];
  if (!range) problems.push('@selfnorm/nn: no dependency on @selfnorm/tensor');
  else if (!caretSatisfies(tensor.version, range)) {
    problems.push(
      `@selfnorm/nn depends on @selfnorm/tensor@${range}, which ${tensor.version} does not satisfy`,
    );
  } else console.log(`@selfnorm/nn → @selfnorm/tensor@${range} (satisfied by ${tensor.version})`);
}

/** Does `version` satisfy `range` (an exact version or ^x.y.z, without prerelease tags)? */
function caretSatisfies(version, range) {
  const v = version.split('.').map(Number);
  if (!range.startsWith('^')) return range === version;
  const r = range.slice(1).split('.').map(Number);
  const cmp = v[0] - r[0] || v[1] - r[1] || v[2] - r[2];
  if (cmp < 0) return false;
  if (r[0] > 0) return v[0] === r[0];
  if (r[1] > 0) return v[0] === 0 && v[1] === r[1];
  return v[0] === 0 && v[1] === 0 && v[2] === r[2];
}

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
console.log('tarballs look complete');
