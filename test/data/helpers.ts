import { Tensor } from "../../src/tensor/tensor.js";
import { TensorDataset } from "../../src/data/index.js";

/** n samples: features [i, 1000 + i, 2000 + i] as [n, 3] float32, labels i as int32, so each row names itself. */
export function indexed(n: number): TensorDataset {
  const x = new Float32Array(n * 3);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    x.set([i, 1000 + i, 2000 + i], 3 * i);
    y[i] = i;
  }
  return new TensorDataset(new Tensor(x, [n, 3]), new Tensor(y, [n]));
}

/** The label column of each batch, as plain arrays. */
export function labelsOf(batches: Iterable<Tensor[]>): number[][] {
  return [...batches].map((b) => Array.from(b[1]!.data));
}
