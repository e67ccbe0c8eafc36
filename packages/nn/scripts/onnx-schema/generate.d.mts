/** Where the generated module is written: packages/nn/src/onnx/onnx-pb.ts. */
export const outputPath: string;
/** The text onnx-pb.ts must hold: protoc-gen-es's output for onnx.proto, formatted by biome. */
export function generateOnnxPb(): string;
