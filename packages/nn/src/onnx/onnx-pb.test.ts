import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { generateOnnxPb, outputPath } from '../../scripts/onnx-schema/generate.mjs';
import { ModelProtoSchema } from './onnx-pb';

describe('the generated ONNX schema module', () => {
  it('onnx-pb.ts is exactly what generate.mjs writes from onnx.proto (rerun it if not)', () => {
    expect(readFileSync(outputPath, 'utf8')).toBe(generateOnnxPb());
  });

  it('onnx.proto is the official schema: package onnx, proto3, ModelProto with its field numbers', () => {
    const proto = readFileSync(new URL('../../scripts/onnx-schema/onnx.proto', import.meta.url), 'utf8');
    expect(proto).toMatch(/^syntax = "proto3";$/m);
    expect(proto).toMatch(/^package onnx;$/m);
    const fields = Object.fromEntries(ModelProtoSchema.fields.map((f) => [f.name, f.number]));
    expect(fields).toMatchObject({
      ir_version: 1,
      opset_import: 8,
      producer_name: 2,
      graph: 7,
      doc_string: 6,
    });
  });
});
