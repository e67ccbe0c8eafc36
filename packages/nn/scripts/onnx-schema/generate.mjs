#!/usr/bin/env node
// Regenerates packages/nn/src/onnx/onnx-pb.ts from onnx.proto (the ONNX project's onnx/onnx.proto3, verbatim) with the buf CLI and
// protoc-gen-es (both devDependencies of @selfnorm/nn; nothing is downloaded), then formats it with the repo's biome
// so that lint passes. onnx-pb.ts is committed; src/onnx/onnx-pb.test.ts checks that it is exactly what this script writes.
//
//   node packages/nn/scripts/onnx-schema/generate.mjs          # rewrite onnx-pb.ts
//
// Node-only (child_process, fs): a build-time script outside src/, never imported by the library.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const pkg = resolve(here, '../..'); // packages/nn
const repo = resolve(pkg, '../..');
export const outputPath = resolve(pkg, 'src/onnx/onnx-pb.ts');

/** The text onnx-pb.ts must hold: protoc-gen-es's output for onnx.proto, formatted by biome. */
export function generateOnnxPb() {
  const out = mkdtempSync(join(tmpdir(), 'selfnorm-onnx-pb-'));
  try {
    const template = JSON.stringify({
      version: 'v2',
      plugins: [{ local: join(pkg, 'node_modules/.bin/protoc-gen-es'), out, opt: ['target=ts'] }],
    });
    execFileSync(join(pkg, 'node_modules/.bin/buf'), ['generate', here, '--template', template], {
      cwd: here,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const generated = readFileSync(join(out, 'onnx_pb.ts'), 'utf8');
    return execFileSync(
      join(repo, 'node_modules/.bin/biome'),
      ['check', '--write', `--stdin-file-path=${outputPath}`],
      { cwd: repo, input: generated, encoding: 'utf8', maxBuffer: 1 << 26 },
    );
  } finally {
    rmSync(out, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  writeFileSync(outputPath, generateOnnxPb());
  console.log(`wrote ${outputPath}`);
}
