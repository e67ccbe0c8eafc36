/** Types for build-wasm.mjs, so the drift test can assemble the .wat sources the same way. */
export declare const WAT_FEATURES: { simd: boolean; threads: boolean; relaxed_simd: boolean };
export declare function variant(text: string, tag: string): string | null;
export declare function sharedVariant(text: string): string | null;
/** [suffix, text, what]: the plain build ('') and each variant ('-shared', '-relaxed', '-relaxed-shared'). */
export declare function builds(text: string): [string, string, string | null][];
export declare function assembleWat(fileName: string, text: string): Promise<Uint8Array>;
export declare function exportName(base: string): string;
export declare function generatedModule(
  base: string,
  assembled: [string, Uint8Array, string | null][],
): string;
