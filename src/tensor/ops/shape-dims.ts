import { normalizeAxes, normalizeAxis } from "../shape.js";
import { Tensor } from "../tensor.js";
import { reshape } from "./reshape.js";

/**
 * Ops that only change how the same elements are grouped into axes. Each
 * is a reshape, so it shares memory with its input and its gradient is the
 * upstream gradient reshaped back.
 */

/**
 * Merges axes startDim..endDim (both inclusive, may be negative) into one,
 * as torch.flatten; a 0-d tensor becomes shape [1].
 */
export function flatten(x: Tensor, startDim = 0, endDim = -1): Tensor {
  if (x.ndim === 0) {
    normalizeAxis(startDim, 0, "flatten");
    normalizeAxis(endDim, 0, "flatten");
    return reshape(x, [1]);
  }
  const start = normalizeAxis(startDim, x.ndim, "flatten");
  const end = normalizeAxis(endDim, x.ndim, "flatten");
  if (start > end) throw new RangeError(`flatten: startDim ${startDim} (axis ${start}) comes after endDim ${endDim} (axis ${end})`);
  let merged = 1;
  for (let i = start; i <= end; i++) merged *= x.shape[i]!;
  return reshape(x, [...x.shape.slice(0, start), merged, ...x.shape.slice(end + 1)]);
}

/**
 * Removes size-1 axes: all of them, or those listed in `axis` (a listed
 * axis whose size is not 1 is kept, as in torch.squeeze).
 */
export function squeeze(x: Tensor, axis?: number | readonly number[] | null): Tensor {
  let drop: Set<number>;
  if (axis === undefined || axis === null) {
    drop = new Set(x.shape.flatMap((d, i) => (d === 1 ? [i] : [])));
  } else {
    drop = new Set(normalizeAxes(axis, x.ndim, "squeeze").filter((a) => x.shape[a] === 1));
  }
  return reshape(x, x.shape.filter((_, i) => !drop.has(i)));
}

/** Inserts a size-1 axis at `axis` (in -ndim-1..ndim), as torch.unsqueeze. */
export function unsqueeze(x: Tensor, axis: number): Tensor {
  const n = x.ndim + 1;
  if (!Number.isInteger(axis) || axis < -n || axis >= n) {
    throw new RangeError(`unsqueeze: axis ${axis} is out of range for a tensor of ${x.ndim} dimensions (expected ${-n}..${n - 1})`);
  }
  const a = axis < 0 ? axis + n : axis;
  return reshape(x, [...x.shape.slice(0, a), 1, ...x.shape.slice(a)]);
}

declare module "../tensor.js" {
  interface Tensor {
    flatten(startDim?: number, endDim?: number): Tensor;
    squeeze(axis?: number | readonly number[] | null): Tensor;
    unsqueeze(axis: number): Tensor;
  }
}

Tensor.prototype.flatten = function (this: Tensor, startDim?: number, endDim?: number) {
  return flatten(this, startDim, endDim);
};
Tensor.prototype.squeeze = function (this: Tensor, axis?: number | readonly number[] | null) {
  return squeeze(this, axis);
};
Tensor.prototype.unsqueeze = function (this: Tensor, axis: number) {
  return unsqueeze(this, axis);
};
