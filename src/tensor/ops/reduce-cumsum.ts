import { cumsumAlong } from "../kernels/reduceAlong.js";
import { normalizeAxis } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { requireSingleAxis } from "./reduce-helpers.js";

/**
 * Running sum along `axis`: out[k] = x[0] + ... + x[k] (torch.cumsum),
 * accumulated in double; int32 stays int32. The gradient is the reversed
 * running sum of g: d out[k] / d x[i] = 1 for every k >= i.
 */
export function cumsum(x: Tensor, axis: number): Tensor {
  requireSingleAxis("cumsum", axis);
  const ax = normalizeAxis(axis, x.ndim, "cumsum");
  const out = new Tensor(cumsumAlong(x.data, x.shape, ax, false, x.dtype), x.shape);
  return record(out, "cumsum", [x], (g) => [reverseCumsum(g, ax)]);
}

/** out[k] = g[k] + ... + g[n-1]; its own gradient is the forward cumsum. */
function reverseCumsum(g: Tensor, axis: number): Tensor {
  const out = new Tensor(cumsumAlong(g.data, g.shape, axis, true, g.dtype), g.shape);
  return record(out, "reverseCumsum", [g], (h) => [cumsum(h, axis)]);
}

declare module "../tensor.js" {
  interface Tensor {
    cumsum(axis: number): Tensor;
  }
}

Tensor.prototype.cumsum = function (this: Tensor, axis: number) {
  return cumsum(this, axis);
};
