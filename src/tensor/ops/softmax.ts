import { softmaxAlong } from "../kernels/reduceAlong.js";
import { normalizeAxis } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { mul, sub } from "./arithmetic.js";
import { sum } from "./reduce.js";
import { exp } from "./elementwise-math.js";
import { floatDType, requireSingleAxis } from "./reduce-helpers.js";

/**
 * softmax(x)_i = exp(x_i - m) / sum_j exp(x_j - m) along `axis`, m the
 * maximum along it (torch.nn.functional.softmax). Subtracting m keeps
 * logits of 1e4 finite, and dividing (rather than exp(x - logsumexp))
 * keeps a row of equal large logits at exactly 1/n. int32 gives float32.
 * Gradient: y * (g - sum(g * y)).
 */
export function softmax(x: Tensor, axis = -1): Tensor {
  requireSingleAxis("softmax", axis);
  const ax = normalizeAxis(axis, x.ndim, "softmax");
  const out = new Tensor(softmaxAlong(x.data, x.shape, ax, false, floatDType(x.dtype)), x.shape);
  return record(out, "softmax", [x], (g) => [mul(out, sub(g, sum(mul(g, out), ax, true)))]);
}

/**
 * logSoftmax(x)_i = x_i - m - log(sum_j exp(x_j - m)) along `axis`
 * (torch.nn.functional.log_softmax): finite (-2e4) even where softmax
 * underflows to 0. Gradient: g - exp(y) * sum(g).
 */
export function logSoftmax(x: Tensor, axis = -1): Tensor {
  requireSingleAxis("logSoftmax", axis);
  const ax = normalizeAxis(axis, x.ndim, "logSoftmax");
  const out = new Tensor(softmaxAlong(x.data, x.shape, ax, true, floatDType(x.dtype)), x.shape);
  return record(out, "logSoftmax", [x], (g) => [sub(g, mul(exp(out), sum(g, ax, true)))]);
}

declare module "../tensor.js" {
  interface Tensor {
    softmax(axis?: number): Tensor;
    logSoftmax(axis?: number): Tensor;
  }
}

Tensor.prototype.softmax = function (this: Tensor, axis?: number) {
  return softmax(this, axis);
};
Tensor.prototype.logSoftmax = function (this: Tensor, axis?: number) {
  return logSoftmax(this, axis);
};
