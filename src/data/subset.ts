import { checkIndex, type Dataset } from "./dataset.js";

/**
 * The samples of `dataset` at `indices`, in that order, as
 * torch.utils.data.Subset. Indices are checked and copied once here.
 */
export class Subset<S> implements Dataset<S> {
  readonly dataset: Dataset<S>;
  readonly indices: Int32Array;

  constructor(dataset: Dataset<S>, indices: ArrayLike<number>) {
    const copy = new Int32Array(indices.length);
    for (let i = 0; i < indices.length; i++) {
      const index = indices[i]!;
      if (!Number.isInteger(index) || index < 0 || index >= dataset.length) {
        throw new RangeError(`Subset: indices[${i}] = ${index} is out of range for a dataset of length ${dataset.length}`);
      }
      copy[i] = index;
    }
    this.dataset = dataset;
    this.indices = copy;
  }

  get length(): number {
    return this.indices.length;
  }

  get(index: number): S {
    checkIndex(index, this.indices.length, "Subset.get");
    return this.dataset.get(this.indices[index]!);
  }
}
