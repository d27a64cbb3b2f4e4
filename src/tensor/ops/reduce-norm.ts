import { fromDoubles, normAxes, spreadReduced, tieWeights } from "../kernels/reduce.js";
import { normalizeAxes } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { add, div, mul } from "./arithmetic.js";
import { type Axes, reducedShape, unreduce } from "./reduce.js";
import { pow } from "./elementwise-pow.js";
import { constantTensor, floatDType } from "./reduce-helpers.js";

/**
 * The p-norm over `axis` (all axes by default): (sum |x|^p)^(1/p) for any
 * p > 0, sum |x| for p = 1, sqrt(sum x^2) for p = 2 and max |x| for
 * p = Infinity (torch.linalg.vector_norm; gradient clipping uses it).
 * int32 inputs give float32. Gradients follow torch: 0 where the norm is 0,
 * and for p = Infinity the gradient is shared equally among the tied
 * largest |x|.
 */
export function norm(x: Tensor, p = 2, axis?: Axes, keepdim = false): Tensor {
  if (typeof p !== "number" || !(p > 0)) {
    throw new RangeError(`norm: p must be a positive number or Infinity, got ${String(p)}`);
  }
  const axes = normalizeAxes(axis, x.ndim, "norm");
  const values = normAxes(x.data, x.shape, axes, p);
  const out = new Tensor(fromDoubles(values, floatDType(x.dtype)), reducedShape(x.shape, axes, keepdim));
  return record(out, "norm", [x], (g) => [normGrad(x, axes, p, values, out, g)]);
}

/**
 * d/dx_i = sign(x_i) |x_i|^(p-1) / norm^(p-1): x_i / norm for p = 2,
 * sign(x_i) for p = 1. Entries with x_i = 0 get 0 (as torch does for p < 1,
 * where the formula is inf * 0), so a zero norm gives a zero gradient.
 */
function normGrad(x: Tensor, axes: readonly number[], p: number, values: Float64Array, out: Tensor, g: Tensor): Tensor {
  const constant = (v: Float64Array) => constantTensor(v, x.shape, x.dtype);
  const gUnreduced = unreduce(g, x.shape, axes);
  const sign = constant(Float64Array.from(x.data, Math.sign));
  if (p === 1) return mul(gUnreduced, sign);
  if (p === Infinity) {
    const shares = tieWeights(Float64Array.from(x.data, Math.abs), x.shape, axes, values);
    return mul(gUnreduced, mul(sign, constant(shares)));
  }
  // Adding 1 where the norm is 0 avoids 0/0; those slots hold only zeros, so x or |x|^(p-1) masks them.
  const zeroNorm = constant(spreadReduced(values.map((v) => (v === 0 ? 1 : 0)), x.shape, axes));
  const safeNorm = add(unreduce(out, x.shape, axes), zeroNorm);
  if (p === 2) return div(mul(gUnreduced, x), safeNorm);
  const isZero = Float64Array.from(x.data, (v) => (v === 0 ? 1 : 0));
  const safeAbs = add(mul(x, sign), constant(isZero));
  const power = mul(pow(safeAbs, p - 1), constant(isZero.map((z) => 1 - z)));
  return mul(mul(gUnreduced, sign), mul(power, pow(safeNorm, 1 - p)));
}

declare module "../tensor.js" {
  interface Tensor {
    norm(p?: number, axis?: Axes, keepdim?: boolean): Tensor;
  }
}

Tensor.prototype.norm = function (this: Tensor, p?: number, axis?: Axes, keepdim?: boolean) {
  return norm(this, p, axis, keepdim);
};
