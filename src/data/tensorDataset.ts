import type { TypedArray } from "../tensor/dtype.js";
import { shapeToString } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { checkIndex, type Dataset } from "./dataset.js";

/**
 * Tensors that share their first dimension, seen as samples along it, as
 * torch.utils.data.TensorDataset: sample i is `[t0[i], t1[i], ...]`.
 * `get` copies the rows into fresh tensors; the DataLoader does not call
 * it for this class but gathers whole batches from the typed arrays.
 */
export class TensorDataset implements Dataset<Tensor[]> {
  readonly tensors: readonly Tensor[];
  readonly length: number;

  constructor(...tensors: Tensor[]) {
    if (tensors.length === 0) throw new Error("TensorDataset: expected at least one tensor, got none");
    tensors.forEach((t, k) => {
      if (!(t instanceof Tensor)) throw new TypeError(`TensorDataset: tensors[${k}] is not a Tensor`);
      if (t.ndim === 0) throw new Error(`TensorDataset: tensors[${k}] is 0-d; samples are taken along the first dimension`);
    });
    const n = tensors[0]!.shape[0]!;
    tensors.forEach((t, k) => {
      if (t.shape[0] !== n) {
        throw new Error(
          `TensorDataset: tensors[${k}] has shape ${shapeToString(t.shape)}, expected ${n} rows along the first dimension ` +
            `like tensors[0] (shape ${shapeToString(tensors[0]!.shape)})`,
        );
      }
    });
    this.tensors = Object.freeze([...tensors]);
    this.length = n;
  }

  get(index: number): Tensor[] {
    checkIndex(index, this.length, "TensorDataset.get");
    return this.tensors.map((t) => {
      const row = rowSize(t);
      return new Tensor(t.data.slice(index * row, (index + 1) * row) as TypedArray, t.shape.slice(1));
    });
  }
}

/** Elements per sample of `t` (the product of all but its first dimension). */
export function rowSize(t: Tensor): number {
  let n = 1;
  for (let d = 1; d < t.shape.length; d++) n *= t.shape[d]!;
  return n;
}
