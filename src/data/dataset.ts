import type { Tensor } from "../tensor/tensor.js";

/**
 * A map-style dataset, as torch.utils.data.Dataset: `length` samples,
 * fetched one at a time by index in [0, length). A sample is whatever the
 * dataset returns; the DataLoader's default collate batches tensors,
 * numbers, and arrays or plain objects of them.
 */
export interface Dataset<S = Tensor[]> {
  readonly length: number;
  get(index: number): S;
}

/** The sample type of a dataset. */
export type SampleOf<D> = D extends Dataset<infer S> ? S : never;

/** Throws unless `index` is an integer in [0, length). */
export function checkIndex(index: number, length: number, op: string): void {
  if (!Number.isInteger(index) || index < 0 || index >= length) {
    throw new RangeError(`${op}: index ${index} is out of range for a dataset of length ${length}`);
  }
}
