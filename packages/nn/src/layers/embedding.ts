import {
  arange,
  assign,
  checkTensor,
  type DType,
  eq,
  indexSelect,
  noGrad,
  type Rng,
  randn,
  reshape,
  type Tensor,
  where,
} from '@selfnorm/tensor';
import type { Initializer } from '../init';
import { Module } from '../module';

/** Options of `Embedding`. */
export interface EmbeddingOptions {
  /** The seeded generator of the default N(0, 1) initialization; required unless `init` is given. */
  rng?: Rng;
  /**
   * The weight initializer, called as init([numEmbeddings, embeddingDim], { fanIn: embeddingDim,
   * fanOut: numEmbeddings, dtype }) (the fans PyTorch computes for a 2-D weight). Default N(0, 1), as PyTorch.
   */
  init?: Initializer;
  /**
   * The index of a padding row (negative counts from the end): zeroed at init, and its row gets no gradient, so it
   * stays as it is during training (PyTorch's `padding_idx`). Default none.
   */
  paddingIdx?: number;
  /** Default 'float32'. */
  dtype?: DType;
}

/**
 * A lookup table of learned vectors: forward(indices) = weight[indices], indices of any shape S holding integer
 * values in [0, numEmbeddings) (in a float tensor) → shape [...S, embeddingDim]. The weight has shape
 * [numEmbeddings, embeddingDim] and is initialized N(0, 1), as PyTorch's `nn.Embedding`; the gradient scatter-adds
 * into the rows used (a dense gradient). With `paddingIdx`, that row starts at zero and gets no gradient.
 * Computed as indexSelect(weight, 0, flatten(indices)) reshaped to [...S, embeddingDim].
 * Source: PyTorch's `nn.Embedding`.
 * @example const emb = new Embedding(1000, 64, { rng: new Rng(0) }); emb.forward(tokens); // [N, T] → [N, T, 64]
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The padding row (non-negative), or null. */
  readonly paddingIdx: number | null;
  /** Shape [numEmbeddings, embeddingDim]. */
  weight: Tensor;

  constructor(
    numEmbeddings: number,
    embeddingDim: number,
    { rng, init, paddingIdx, dtype = 'float32' }: EmbeddingOptions = {},
  ) {
    super();
    for (const [name, n] of [
      ['numEmbeddings', numEmbeddings],
      ['embeddingDim', embeddingDim],
    ] as const) {
      if (!(Number.isSafeInteger(n) && n > 0))
        throw new RangeError(`Embedding: ${name} must be a positive integer, got ${n}`);
    }
    if (
      paddingIdx !== undefined &&
      !(Number.isInteger(paddingIdx) && paddingIdx >= -numEmbeddings && paddingIdx < numEmbeddings)
    ) {
      throw new RangeError(
        `Embedding: paddingIdx must be an integer in [${-numEmbeddings}, ${numEmbeddings}), got ${paddingIdx}`,
      );
    }
    if (init === undefined && rng === undefined) {
      throw new TypeError(
        'Embedding: pass { rng } for the default N(0, 1) initialization, or an explicit { init }',
      );
    }
    const shape = [numEmbeddings, embeddingDim];
    const weight =
      init === undefined
        ? randn(shape, { rng: rng!, dtype })
        : init(shape, { fanIn: embeddingDim, fanOut: numEmbeddings, dtype });
    if (weight.ndim !== 2 || weight.shape[0] !== numEmbeddings || weight.shape[1] !== embeddingDim) {
      throw new RangeError(
        `Embedding: init returned shape [${weight.shape}], expected [${numEmbeddings}, ${embeddingDim}]`,
      );
    }
    this.numEmbeddings = numEmbeddings;
    this.embeddingDim = embeddingDim;
    this.paddingIdx =
      paddingIdx === undefined ? null : paddingIdx < 0 ? paddingIdx + numEmbeddings : paddingIdx;
    this.weight = weight.isLeaf ? weight.requireGrad() : weight.detach().requireGrad();
    if (this.paddingIdx !== null) {
      // The padding row starts at zero: weight ← where(row = paddingIdx, 0, weight), a declared write.
      const w = this.weight;
      const rows = reshape(arange(numEmbeddings, undefined, 1, { dtype: 'float64' }), [numEmbeddings, 1]);
      noGrad(() => assign(w, where(eq(rows, this.paddingIdx as number), 0, w)));
    }
    this.registerParameter('weight', this.weight); // declared: stays a parameter when frozen
  }

  forward(indices: Tensor): Tensor {
    const fn = `Embedding(${this.numEmbeddings}, ${this.embeddingDim}).forward`;
    checkTensor(indices, fn, 'indices');
    // NOTE: the check that every index is an integer in [0, n) reads the indices on the host, once per call
    // (the error names the first bad one); the lookup and the padding mask are tensor ops.
    const ids = indices.storage; // a read by library code: not watched for in-place edits (see Tensor.data)
    const n = this.numEmbeddings;
    let padded = false;
    for (let i = 0; i < ids.length; i++) {
      const k = ids[i];
      if (!Number.isInteger(k) || k < 0 || k >= n) {
        throw new RangeError(
          `${fn}: indices hold ${k} at flat position ${i} (shape [${indices.shape}]); ` +
            `each index must be an integer in [0, ${n})`,
        );
      }
      if (k === this.paddingIdx) padded = true;
    }
    const flat = reshape(indices.detach(), [indices.size]);
    let rows = indexSelect(this.weight, 0, flat);
    if (padded) {
      // The padding row's value passes through, its gradient does not: rows there come from a detached copy.
      const isPad = eq(reshape(flat, [indices.size, 1]), this.paddingIdx as number);
      rows = where(isPad, rows.detach(), rows);
    }
    return reshape(rows, [...indices.shape, this.embeddingDim]);
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? '' : `, paddingIdx=${this.paddingIdx}`}`;
  }
}
