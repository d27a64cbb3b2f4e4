import { allocate } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import type { Dataset } from "./dataset.js";
import { Subset } from "./subset.js";
import { rowSize, TensorDataset } from "./tensorDataset.js";

/**
 * Where the samples of a dataset live when they are rows of big tensors: a
 * TensorDataset, possibly seen through Subsets (as randomSplit makes).
 * `indices[i]` is the row of `base` that is sample i; null means the
 * identity.
 */
export interface RowSource {
  readonly base: TensorDataset;
  readonly indices: Int32Array | null;
}

/** The RowSource behind `dataset`, or null when its samples are not rows of tensors. */
export function rowSource(dataset: Dataset<unknown>): RowSource | null {
  if (dataset instanceof TensorDataset) return { base: dataset, indices: null };
  if (dataset instanceof Subset) {
    const inner = rowSource(dataset.dataset as Dataset<unknown>);
    if (inner === null) return null;
    const outer = dataset.indices;
    if (inner.indices === null) return { base: inner.base, indices: outer };
    const composed = new Int32Array(outer.length);
    for (let i = 0; i < outer.length; i++) composed[i] = inner.indices[outer[i]!]!;
    return { base: inner.base, indices: composed };
  }
  return null;
}

/**
 * A new tensor whose row k is row `rows[k]` of `t` (t[rows] in PyTorch
 * terms). Runs of consecutive rows are copied with one `set`, so an
 * unshuffled batch is a single memcpy.
 */
export function gatherRows(t: Tensor, rows: Int32Array): Tensor {
  const row = rowSize(t);
  const src = t.data;
  const n = rows.length;
  const out = allocate(t.dtype, n * row);
  if (row === 1) {
    for (let k = 0; k < n; k++) out[k] = src[rows[k]!]!;
  } else {
    let k = 0;
    while (k < n) {
      // Extend the run of consecutive source rows starting at k.
      const start = rows[k]!;
      let end = k + 1;
      while (end < n && rows[end] === start + (end - k)) end++;
      out.set(src.subarray(start * row, (start + end - k) * row), k * row);
      k = end;
    }
  }
  return new Tensor(out, [n, ...t.shape.slice(1)]);
}
