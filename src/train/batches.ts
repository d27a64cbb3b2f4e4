import { DataLoader } from "../data/dataLoader.js";
import type { Dataset } from "../data/dataset.js";
import type { Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";

/** Training or evaluation data: a dataset of [input, target] samples, or a ready DataLoader. */
export type DataSource = Dataset<Tensor[]> | DataLoader<Tensor[], Tensor[]>;

/** A DataLoader over `data`, or `data` itself when it already is one. */
export function toLoader(
  data: DataSource,
  options: { batchSize: number; shuffle: boolean; generator?: Generator | undefined },
): DataLoader<Tensor[], Tensor[]> {
  if (data instanceof DataLoader) return data;
  return new DataLoader(data, {
    batchSize: options.batchSize,
    shuffle: options.shuffle,
    ...(options.generator ? { generator: options.generator } : {}),
  }) as DataLoader<Tensor[], Tensor[]>;
}

/** The [input, target] pair of a collated batch, with a clear error for other shapes. */
export function inputAndTarget(batch: Tensor[], op: string): [Tensor, Tensor] {
  if (!Array.isArray(batch) || batch.length < 2) {
    throw new Error(`${op}: expected batches of [input, target], got ${Array.isArray(batch) ? `${batch.length} tensors` : typeof batch}`);
  }
  return [batch[0]!, batch[1]!];
}
