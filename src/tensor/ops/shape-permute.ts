import { permuteData } from "../kernels/shapePermute.js";
import { normalizeAxis, shapeToString } from "../shape.js";
import { emptyTensor, record, Tensor } from "../tensor.js";
import { reshape } from "./reshape.js";

/**
 * Reordering axes (torch.permute, torch.transpose). nabla tensors are
 * contiguous, so the result is a copy laid out in the new order (matrix
 * transposes use a cache-blocked kernel). The gradient is permuted back by
 * the inverse permutation, itself a permute, so it is differentiable again.
 */

function checkedPermutation(dims: readonly number[], ndim: number, shape: readonly number[]): number[] {
  if (dims.length !== ndim) {
    throw new RangeError(`permute: dims [${dims.join(",")}] has ${dims.length} entries but the tensor of shape ${shapeToString(shape)} has ${ndim} dimensions`);
  }
  const perm = dims.map((d) => normalizeAxis(d, ndim, "permute"));
  const seen = new Set<number>();
  for (const a of perm) {
    if (seen.has(a)) throw new RangeError(`permute: dims [${dims.join(",")}] is not a permutation (axis ${a} appears twice)`);
    seen.add(a);
  }
  return perm;
}

function permuted(x: Tensor, perm: readonly number[]): Tensor {
  const out = emptyTensor(perm.map((a) => x.shape[a]!), x.dtype);
  permuteData(x.data, x.shape, perm, out.data);
  return out;
}

/** Output axis i is input axis dims[i] (negative dims count from the end), as torch.permute. */
export function permute(x: Tensor, dims: readonly number[]): Tensor {
  const perm = checkedPermutation(dims, x.ndim, x.shape);
  if (perm.every((a, i) => a === i)) return reshape(x, x.shape);
  const inverse = new Array<number>(perm.length);
  perm.forEach((a, i) => (inverse[a] = i));
  return record(permuted(x, perm), "permute", [x], (g) => [permute(g, inverse)]);
}

/**
 * Swaps axes dim0 and dim1 (by default the last two: a matrix transpose,
 * batched over leading axes), as torch.transpose. Its own backward.
 */
export function transpose(x: Tensor, dim0 = -2, dim1 = -1): Tensor {
  const a = normalizeAxis(dim0, x.ndim, "transpose");
  const b = normalizeAxis(dim1, x.ndim, "transpose");
  if (a === b || x.ndim === 0) return reshape(x, x.shape);
  const perm = Array.from({ length: x.ndim }, (_, i) => i);
  perm[a] = b;
  perm[b] = a;
  return record(permuted(x, perm), "transpose", [x], (g) => [transpose(g, a, b)]);
}

declare module "../tensor.js" {
  interface Tensor {
    permute(dims: readonly number[]): Tensor;
    transpose(dim0?: number, dim1?: number): Tensor;
  }
}

Tensor.prototype.permute = function (this: Tensor, dims: readonly number[]) {
  return permute(this, dims);
};
Tensor.prototype.transpose = function (this: Tensor, dim0?: number, dim1?: number) {
  return transpose(this, dim0, dim1);
};
