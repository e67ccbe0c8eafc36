/** Types for build-wasm.mjs, so the drift test can assemble the .wat sources the same way. */
export declare const WAT_FEATURES: { simd: boolean; threads: boolean };
export declare function sharedVariant(text: string): string | null;
export declare function assembleWat(fileName: string, text: string): Promise<Uint8Array>;
export declare function exportName(base: string): string;
export declare function generatedModule(
  base: string,
  bytes: Uint8Array,
  sharedBytes?: Uint8Array | null,
): string;
