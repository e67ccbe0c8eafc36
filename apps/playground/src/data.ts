/**
 * Loads the page's MNIST assets in the browser (the worker): the manifest, then the first training and
 * test chunks (training starts on those), then the rest in the background. Chunks are gzip; they are
 * decompressed with DecompressionStream unless the host already undid the compression.
 */
import type { Batch } from './arena.ts';
import { makeBatch } from './arena.ts';
import { decodeChunk, isGzip, type MnistManifest, type MnistSlice, PIXELS } from './mnist-chunk.ts';

/** How much has arrived, for the page to show. */
export interface DataProgress {
  train: number;
  trainTotal: number;
  test: number;
  testTotal: number;
}

/** The data as far as it has arrived: `train` and `test` grow as chunks land. */
export interface DataStore {
  readonly manifest: MnistManifest;
  readonly train: MnistSlice;
  readonly test: MnistSlice;
  /** Resolves once the whole test split is in. */
  readonly testComplete: Promise<void>;
  /** The fixed batch (the first 500 test images) the layer-by-depth views are measured on. */
  probe(lut: Float32Array): Batch;
}

async function fetchBytes(url: string): Promise<Uint8Array> {
  const res = await fetch(url);
  if (!res.ok) throw new Error(`loadData: GET ${url} answered ${res.status} ${res.statusText}`);
  const raw = new Uint8Array(await res.arrayBuffer());
  if (!isGzip(raw)) return raw;
  const stream = new Blob([raw]).stream().pipeThrough(new DecompressionStream('gzip'));
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** A split filled chunk by chunk into arrays of its final size; `slice()` views what has arrived. */
class GrowingSplit {
  readonly images: Uint8Array;
  readonly labels: Uint8Array;
  count = 0;
  constructor(readonly total: number) {
    this.images = new Uint8Array(total * PIXELS);
    this.labels = new Uint8Array(total);
  }
  add(chunk: MnistSlice): void {
    this.images.set(chunk.images, this.count * PIXELS);
    this.labels.set(chunk.labels, this.count);
    this.count += chunk.count;
  }
  slice(): MnistSlice {
    return {
      images: this.images.subarray(0, this.count * PIXELS),
      labels: this.labels.subarray(0, this.count),
      count: this.count,
    };
  }
}

/**
 * Fetches data/manifest.json under `baseUrl` and the first chunk of each split; resolves with a store that
 * keeps growing while the other chunks stream in (`onProgress` after each).
 *
 * @example
 * const data = await loadData(new URL('data/', location.href).href, showProgress, showError);
 */
export async function loadData(
  baseUrl: string,
  onProgress: (p: DataProgress) => void,
  onError: (e: unknown) => void,
): Promise<DataStore> {
  const manifest = (await (await fetch(new URL('manifest.json', baseUrl))).json()) as MnistManifest;
  if (manifest.version !== 1)
    throw new Error(`loadData: manifest version ${String(manifest.version)}; this page reads version 1`);
  const sum = (cs: { count: number }[]) => cs.reduce((n, c) => n + c.count, 0);
  const train = new GrowingSplit(sum(manifest.train));
  const test = new GrowingSplit(sum(manifest.test));
  const get = async (file: string) => decodeChunk(await fetchBytes(new URL(file, baseUrl).href), file);
  const progress = () =>
    onProgress({ train: train.count, trainTotal: train.total, test: test.count, testTotal: test.total });
  const [t0, s0] = await Promise.all([get(manifest.train[0].file), get(manifest.test[0].file)]);
  train.add(t0);
  test.add(s0);
  progress();
  let probe: Batch | null = null;
  const testComplete = (async () => {
    for (const c of manifest.test.slice(1)) {
      test.add(await get(c.file));
      progress();
    }
  })();
  // The rest of the training split after the test split; a failure is reported, not thrown unhandled.
  testComplete
    .then(async () => {
      for (const c of manifest.train.slice(1)) {
        train.add(await get(c.file));
        progress();
      }
    })
    .catch(onError);
  const store = {
    manifest,
    get train() {
      return train.slice();
    },
    get test() {
      return test.slice();
    },
    testComplete,
    probe(lut: Float32Array): Batch {
      probe ??= makeBatch(
        test.slice(),
        Array.from({ length: Math.min(500, test.count) }, (_, i) => i),
        lut,
      );
      return probe;
    },
  };
  return store;
}
