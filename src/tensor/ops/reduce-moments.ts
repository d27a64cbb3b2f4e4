import { fromDoubles, reducedCount, varianceAxes } from "../kernels/reduce.js";
import { normalizeAxes } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { div, mul, sub } from "./arithmetic.js";
import { type Axes, mean, reducedShape, unreduce } from "./reduce.js";
import { floatDType } from "./reduce-helpers.js";

/** Options of var and std. */
export interface VarOptions {
  /** Subtracted from the count in the divisor, n - correction (default 1, Bessel's correction). */
  correction?: number;
  /** torch's older flag: true is correction 1, false is 0. Give it or correction, not both. */
  unbiased?: boolean;
  /** Keep the reduced axes as size 1 (default false). */
  keepdim?: boolean;
}

function resolve(x: Tensor, axis: Axes, options: VarOptions, op: string): { axes: number[]; correction: number; keepdim: boolean } {
  if (typeof options !== "object" || options === null) {
    throw new TypeError(`${op}: options must be an object {correction, unbiased, keepdim}, got ${String(options)}`);
  }
  const { correction, unbiased, keepdim = false } = options;
  if (correction !== undefined && unbiased !== undefined) {
    throw new Error(`${op}: give either correction or unbiased, not both (got correction ${correction}, unbiased ${unbiased})`);
  }
  if (correction !== undefined && (typeof correction !== "number" || !Number.isFinite(correction))) {
    throw new RangeError(`${op}: correction must be a finite number, got ${String(correction)}`);
  }
  if (unbiased !== undefined && typeof unbiased !== "boolean") {
    throw new TypeError(`${op}: unbiased must be a boolean, got ${String(unbiased)}`);
  }
  const axes = normalizeAxes(axis, x.ndim, op);
  return { axes, correction: correction ?? (unbiased === false ? 0 : 1), keepdim };
}

/**
 * Variance over `axis` (all axes by default): sum((x - mean)^2) /
 * max(0, n - correction), as torch.var; the default correction 1 is the
 * unbiased estimate. n <= correction gives inf or NaN, as in torch. int32
 * inputs give float32. Gradient: g * 2 (x - mean) / (n - correction).
 */
export function variance(x: Tensor, axis?: Axes, options: VarOptions = {}): Tensor {
  const { axes, correction, keepdim } = resolve(x, axis, options, "var");
  const values = varianceAxes(x.data, x.shape, axes, correction);
  const out = new Tensor(fromDoubles(values, floatDType(x.dtype)), reducedShape(x.shape, axes, keepdim));
  const denom = Math.max(0, reducedCount(x.shape, axes) - correction);
  return record(out, "var", [x], (g) => [mul(unreduce(g, x.shape, axes), mul(sub(x, mean(x, axes, true)), 2 / denom))]);
}

/**
 * Standard deviation, sqrt(var(x, axis, options)) (torch.std). Gradient:
 * g (x - mean) / ((n - correction) std); a constant slot has std 0 and an
 * undefined gradient (NaN), as in torch.
 */
export function std(x: Tensor, axis?: Axes, options: VarOptions = {}): Tensor {
  const { axes, correction, keepdim } = resolve(x, axis, options, "std");
  const values = varianceAxes(x.data, x.shape, axes, correction).map(Math.sqrt);
  const out = new Tensor(fromDoubles(values, floatDType(x.dtype)), reducedShape(x.shape, axes, keepdim));
  const denom = Math.max(0, reducedCount(x.shape, axes) - correction);
  return record(out, "std", [x], (g) => [
    div(mul(unreduce(g, x.shape, axes), sub(x, mean(x, axes, true))), mul(unreduce(out, x.shape, axes), denom)),
  ]);
}

export { variance as var };

declare module "../tensor.js" {
  interface Tensor {
    var(axis?: Axes, options?: VarOptions): Tensor;
    std(axis?: Axes, options?: VarOptions): Tensor;
  }
}

Tensor.prototype.var = function (this: Tensor, axis?: Axes, options?: VarOptions) {
  return variance(this, axis, options);
};
Tensor.prototype.std = function (this: Tensor, axis?: Axes, options?: VarOptions) {
  return std(this, axis, options);
};
