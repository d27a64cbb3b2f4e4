import { fromDoubles, logsumexpAxes } from "../kernels/reduce.js";
import { normalizeAxes } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { mul, sub } from "./arithmetic.js";
import { type Axes, reducedShape, unreduce } from "./reduce.js";
import { exp } from "./elementwise-math.js";
import { floatDType } from "./reduce-helpers.js";

/**
 * log(sum(exp(x))) over `axis` (all axes by default), computed as
 * m + log(sum(exp(x - m))) with m the maximum, so logits of 1e4 stay finite
 * (torch.logsumexp). int32 inputs give float32. Gradient, as torch's:
 * g * exp(x - result), which is g * softmax(x).
 */
export function logsumexp(x: Tensor, axis?: Axes, keepdim = false): Tensor {
  const axes = normalizeAxes(axis, x.ndim, "logsumexp");
  const values = logsumexpAxes(x.data, x.shape, axes);
  const out = new Tensor(fromDoubles(values, floatDType(x.dtype)), reducedShape(x.shape, axes, keepdim));
  return record(out, "logsumexp", [x], (g) => [
    mul(unreduce(g, x.shape, axes), exp(sub(x, unreduce(out, x.shape, axes)))),
  ]);
}

declare module "../tensor.js" {
  interface Tensor {
    logsumexp(axis?: Axes, keepdim?: boolean): Tensor;
  }
}

Tensor.prototype.logsumexp = function (this: Tensor, axis?: Axes, keepdim?: boolean) {
  return logsumexp(this, axis, keepdim);
};
