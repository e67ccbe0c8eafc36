// CI's changeset rule: every published package whose shipped files changed since the base has a pending
// changeset naming it (a dependent such as @selfnorm/nn is bumped by changesets when tensor is).
//
// The base: the first argument when given (.ci/release-check passes $CHANGESET_BASE), e.g. a pull
// request's target such as origin/main, whose merge-base with HEAD is used; otherwise the last release, i.e. the last commit that touched a package's CHANGELOG.md (written by
// `changeset version`), or the first commit when nothing was released yet. CI runs on a clone of main
// itself, where "against main" would compare main with main and prove nothing; "since the last release"
// is the question that matters there: would `pnpm release` now publish every change that has landed?
// Also runs `changeset status --since=<base>`, which parses every changeset and fails on a broken one.
// Usage: node release-tests/changeset-check.mjs [base-ref]
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const git = (...args) => execFileSync('git', args, { encoding: 'utf8' }).trim();
const problems = [];

// Published packages: packages/* that are not private.
const published = new Map(); // name → folder
for (const dir of readdirSync('packages')) {
  const file = join('packages', dir, 'package.json');
  if (!existsSync(file)) continue;
  const pkg = JSON.parse(readFileSync(file, 'utf8'));
  if (!pkg.private) published.set(pkg.name, join('packages', dir));
}

// Pending changesets, parsed strictly (a Markdown formatter can turn the front matter into a heading).
const pending = new Map(); // file → Map(name → bump)
for (const f of readdirSync('.changeset')) {
  if (!f.endsWith('.md') || f === 'README.md') continue;
  const text = readFileSync(join('.changeset', f), 'utf8');
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/.exec(text);
  if (!m) {
    const hint = /^---\s*\n\s*\n##\s*"/.test(text)
      ? ' (a Markdown formatter turned `"pkg": bump` + `---` into a `## heading`: exclude .changeset/*.md from it)'
      : '';
    problems.push(`.changeset/${f}: no front matter (---, "package": patch|minor|major, ---)${hint}`);
    continue;
  }
  const releases = new Map();
  for (const line of m[1].split(/\r?\n/).filter((l) => l.trim())) {
    const r = /^\s*["']?(@?[\w./-]+)["']?\s*:\s*(patch|minor|major)\s*$/.exec(line);
    if (!r) problems.push(`.changeset/${f}: cannot read "${line}" (expected "package": patch|minor|major)`);
    else if (!published.has(r[1])) problems.push(`.changeset/${f}: ${r[1]} is not a published package`);
    else releases.set(r[1], r[2]);
  }
  if (!text.slice(m[0].length).trim()) problems.push(`.changeset/${f}: no summary below the front matter`);
  pending.set(f, releases);
}

// The base commit.
const baseRef = process.argv[2];
let base;
let why;
if (baseRef) {
  base = git('merge-base', baseRef, 'HEAD');
  why = `merge-base with ${baseRef}`;
} else {
  const changelogs = [...published.values()].map((d) => join(d, 'CHANGELOG.md'));
  base = git('log', '-1', '--format=%H', 'HEAD', '--', ...changelogs);
  why = 'the last release (last commit that touched a CHANGELOG.md)';
  if (!base) {
    base = git('rev-list', '--max-parents=0', 'HEAD').split('\n').pop();
    why = 'the first commit (nothing released yet)';
  }
}
console.log(`base: ${base.slice(0, 12)}, ${why}`);

// Changed shipped files since the base (committed or not): sources (not tests), manifest, build config.
const changed = git('diff', '--name-only', base, '--', 'packages', '.changeset').split('\n').filter(Boolean);
const ships = (f) =>
  /\/src\//.test(f) ? !/\.test\.[cm]?[jt]sx?$/.test(f) : /\/(package\.json|tsup\.config\.ts)$/.test(f);
const changedSince = new Set(changed.filter((f) => f.startsWith('.changeset/')).map((f) => f.slice(11)));
const covered = new Set();
for (const [file, releases] of pending) {
  // A changeset counts when it was added (or edited) since the base; at the last release there were none.
  if (changedSince.has(file) || git('ls-files', '--', `.changeset/${file}`) === '') {
    for (const name of releases.keys()) covered.add(name);
  }
}
for (const [name, dir] of published) {
  const files = changed.filter((f) => f.startsWith(`${dir}/`) && ships(f));
  if (files.length === 0) console.log(`${name}: no shipped file changed`);
  else if (covered.has(name))
    console.log(`${name}: ${files.length} shipped files changed, covered by a changeset`);
  else {
    problems.push(
      `${name}: ${files.length} shipped files changed since ${base.slice(0, 12)} (${files.slice(0, 3).join(', ')}` +
        `${files.length > 3 ? ', …' : ''}) but no changeset names it: add .changeset/<name>.md (see docs/RELEASING.md)`,
    );
  }
}

// changesets' own reading of the same question (it needs a git identity even to read; give it one).
const status = spawnSync('npx', ['changeset', 'status', `--since=${base}`], {
  encoding: 'utf8',
  env: {
    GIT_AUTHOR_NAME: 'release-check',
    GIT_AUTHOR_EMAIL: 'release-check@localhost',
    GIT_COMMITTER_NAME: 'release-check',
    GIT_COMMITTER_EMAIL: 'release-check@localhost',
    ...process.env,
  },
});
console.log(`changeset status --since=${base.slice(0, 12)}:\n${(status.stdout + status.stderr).trim()}`);
if (status.status !== 0) problems.push(`changeset status exited with ${status.status}`);

if (problems.length > 0) {
  console.error(problems.join('\n'));
  process.exit(1);
}
