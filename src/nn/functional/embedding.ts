import { noGrad } from "../../autograd/noGrad.js";
import { allocate } from "../../tensor/dtype.js";
import { shapeToString } from "../../tensor/shape.js";
import { record, Tensor } from "../../tensor/tensor.js";

/**
 * Embedding lookup: out[..., :] = weight[index[...], :]. The gradient of a
 * row is the sum of the upstream gradients of the positions that read it,
 * each times a per-position factor s (0 at paddingIdx, 1/count with
 * scaleGradByFreq). The lookup and the scatter-add that forms its
 * gradient are each other's adjoints, so each records the other as its
 * backward and higher-order gradients work.
 */

/** out[i, :] = scale[i] * table[idx[i], :] (table: [rows, dim]). */
function gatherRows(table: Tensor, idx: Int32Array, scale: Float64Array | null, outShape: readonly number[]): Tensor {
  const dim = table.shape[1]!;
  const out = allocate(table.dtype, idx.length * dim);
  const src = table.data;
  for (let i = 0; i < idx.length; i++) {
    const s = scale === null ? 1 : scale[i]!;
    const from = idx[i]! * dim;
    for (let j = 0; j < dim; j++) out[i * dim + j] = s * src[from + j]!;
  }
  return record(new Tensor(out, outShape), "embedding", [table], (g) => [scatterRows(g, idx, scale, table.shape)]);
}

/** out[idx[i], :] += scale[i] * g[i, :], out shaped `tableShape`. */
function scatterRows(g: Tensor, idx: Int32Array, scale: Float64Array | null, tableShape: readonly number[]): Tensor {
  const dim = tableShape[1]!;
  const out = allocate(g.dtype, tableShape[0]! * dim);
  const src = g.data;
  for (let i = 0; i < idx.length; i++) {
    const s = scale === null ? 1 : scale[i]!;
    if (s === 0) continue;
    const to = idx[i]! * dim;
    for (let j = 0; j < dim; j++) out[to + j] = out[to + j]! + s * src[i * dim + j]!;
  }
  return record(new Tensor(out, tableShape), "embeddingBackward", [g], (gg) => [gatherRows(gg, idx, scale, g.shape)]);
}

export interface EmbeddingOptions {
  /** Row whose gradient is always 0 (negative counts from the end). */
  paddingIdx?: number | null;
  /** Rows looked up are first rescaled in place to at most this norm (torch's max_norm). */
  maxNorm?: number | null;
  /** The p of the norm for maxNorm (default 2). */
  normType?: number;
  /** Divide each row's gradient by how often its index occurs in `input`. */
  scaleGradByFreq?: boolean;
}

/** Resolves a possibly negative paddingIdx against the number of rows. */
export function resolvePaddingIdx(paddingIdx: number | null | undefined, rows: number, op: string): number | null {
  if (paddingIdx === null || paddingIdx === undefined) return null;
  if (!Number.isInteger(paddingIdx) || paddingIdx < -rows || paddingIdx >= rows) {
    throw new RangeError(`${op}: paddingIdx must be an integer in [${-rows}, ${rows}), got ${paddingIdx}`);
  }
  return paddingIdx < 0 ? paddingIdx + rows : paddingIdx;
}

/**
 * Looks up rows of `weight` ([numEmbeddings, dim]) for int32 `input` of any
 * shape; the result has shape [...input.shape, dim]
 * (torch.nn.functional.embedding).
 */
export function embedding(input: Tensor, weight: Tensor, options: EmbeddingOptions = {}): Tensor {
  if (input.dtype !== "int32") throw new TypeError(`embedding: indices must be int32, got ${input.dtype}`);
  if (weight.ndim !== 2) throw new Error(`embedding: weight must be 2-D [numEmbeddings, dim], got shape ${shapeToString(weight.shape)}`);
  const rows = weight.shape[0]!;
  const idx = input.data as Int32Array;
  for (let i = 0; i < idx.length; i++) {
    if (idx[i]! < 0 || idx[i]! >= rows) throw new RangeError(`embedding: index ${idx[i]} is out of range for ${rows} embeddings`);
  }
  const padding = resolvePaddingIdx(options.paddingIdx, rows, "embedding");
  if (options.maxNorm != null) renormRows(weight, idx, options.maxNorm, options.normType ?? 2);
  let scale: Float64Array | null = null;
  if (padding !== null || options.scaleGradByFreq) {
    const counts = new Map<number, number>();
    if (options.scaleGradByFreq) for (const r of idx) counts.set(r, (counts.get(r) ?? 0) + 1);
    scale = new Float64Array(idx.length);
    for (let i = 0; i < idx.length; i++) {
      const r = idx[i]!;
      scale[i] = r === padding ? 0 : options.scaleGradByFreq ? 1 / counts.get(r)! : 1;
    }
  }
  const values = gatherRows(weight.detach(), idx, null, [...input.shape, weight.shape[1]!]);
  // The forward reads the rows as they are (the padding row too); only the gradient is scaled.
  return record(values, "embedding", [weight], (g) => [scatterRows(g.reshape([idx.length, weight.shape[1]!]), idx, scale, weight.shape)]);
}

/** torch's embedding_renorm_: rows read by `idx` whose p-norm exceeds maxNorm are scaled to maxNorm. */
function renormRows(weight: Tensor, idx: Int32Array, maxNorm: number, p: number): void {
  if (!(maxNorm > 0)) throw new RangeError(`embedding: maxNorm must be positive, got ${maxNorm}`);
  const dim = weight.shape[1]!;
  const data = weight.data;
  noGrad(() => {
    for (const r of new Set(idx)) {
      let norm = 0;
      for (let j = 0; j < dim; j++) norm += Math.abs(data[r * dim + j]!) ** p;
      norm = norm ** (1 / p);
      if (norm > maxNorm) {
        const s = maxNorm / (norm + 1e-7);
        for (let j = 0; j < dim; j++) data[r * dim + j] = data[r * dim + j]! * s;
      }
    }
  });
}
