import { reduceAxes } from "../kernels/broadcast.js";
import { prodZeroMasks } from "../kernels/reduce.js";
import { normalizeAxes } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { add, div, mul } from "./arithmetic.js";
import { type Axes, reducedShape, sum, unreduce } from "./reduce.js";
import { constantTensor } from "./reduce-helpers.js";

/**
 * Product over `axis` (all axes by default), torch.prod. int32 stays int32
 * and wraps on overflow like an int32 multiply. The gradient of each
 * element is g times the product of the others, computed without dividing
 * by x so that zeros are exact (see prodGrad).
 */
export function prod(x: Tensor, axis?: Axes, keepdim = false): Tensor {
  const axes = normalizeAxes(axis, x.ndim, "prod");
  const combine = x.dtype === "int32" ? Math.imul : (acc: number, v: number) => acc * v;
  const { data } = reduceAxes(x.data, x.shape, axes, x.dtype, 1, combine);
  const out = new Tensor(data, reducedShape(x.shape, axes, keepdim));
  return record(out, "prod", [x], (g) => [prodGrad(x, axes, out, g)]);
}

/**
 * d prod / d x_i = prod_{j != i} x_j. Without zeros that is prod / x_i. With
 * z zeros in a slot: z >= 2 gives 0 everywhere; z = 1 gives the product P of
 * the non-zero elements at the zero, and P * x_zero / x_i (numerically 0)
 * at the others. Writing x_zero as a differentiable zero rather than a
 * constant keeps second derivatives right (d^2/dx_i dx_zero = P / x_i).
 */
function prodGrad(x: Tensor, axes: readonly number[], out: Tensor, g: Tensor): Tensor {
  const gUnreduced = unreduce(g, x.shape, axes);
  const masks = prodZeroMasks(x.data, x.shape, axes);
  if (!masks.any) return div(mul(gUnreduced, unreduce(out, x.shape, axes)), x);
  const constant = (values: Float64Array) => constantTensor(values, x.shape, x.dtype);
  const isZero = constant(masks.isZero);
  const nonZeroValues = add(mul(x, constant(masks.isZero.map((z) => 1 - z))), isZero);
  const others = unreduce(prod(nonZeroValues, axes, true), x.shape, axes);
  const zeroValue = unreduce(sum(mul(x, isZero), axes, true), x.shape, axes);
  const ratio = div(add(zeroValue, constant(masks.noZeros)), nonZeroValues);
  const factor = add(constant(masks.zeroOnly), mul(constant(masks.nonZero), ratio));
  return mul(gUnreduced, mul(others, factor));
}

declare module "../tensor.js" {
  interface Tensor {
    prod(axis?: Axes, keepdim?: boolean): Tensor;
  }
}

Tensor.prototype.prod = function (this: Tensor, axis?: Axes, keepdim?: boolean) {
  return prod(this, axis, keepdim);
};
