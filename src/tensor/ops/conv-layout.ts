import { allocate } from "../dtype.js";
import { shapeToString } from "../shape.js";
import { record, Tensor } from "../tensor.js";

/**
 * Swaps the first two axes of a 3-D tensor: [A, B, L] -> [B, A, L], moving
 * contiguous runs of L. conv2d's GEMM yields channels-major [O, N, L]; this
 * turns it into NCHW order. It is its own transpose, hence its own backward.
 */
export function swapLeadingAxes(x: Tensor): Tensor {
  if (x.ndim !== 3) throw new Error(`swapLeadingAxes: expected a 3-D tensor, got shape ${shapeToString(x.shape)}`);
  const [a, b, l] = x.shape as [number, number, number];
  const src = x.data;
  const out = allocate(x.dtype, src.length);
  for (let i = 0; i < a; i++) {
    for (let j = 0; j < b; j++) {
      const from = (i * b + j) * l;
      const to = (j * a + i) * l;
      for (let t = 0; t < l; t++) out[to + t] = src[from + t]!;
    }
  }
  return record(new Tensor(out, [b, a, l]), "swapLeadingAxes", [x], (g) => [swapLeadingAxes(g)]);
}
