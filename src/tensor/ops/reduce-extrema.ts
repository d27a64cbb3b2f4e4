import { extremumAxes, fromDoubles, tieWeights } from "../kernels/reduce.js";
import { extremumAlong, oneHotAlong } from "../kernels/reduceAlong.js";
import { normalizeAxes, normalizeAxis } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { mul } from "./arithmetic.js";
import { type Axes, reducedShape, unreduce } from "./reduce.js";
import { constantTensor, requireNonEmpty, requireSingleAxis } from "./reduce-helpers.js";

/**
 * Extrema: amax/amin over any axes (ties share the gradient), max/min
 * (all axes like amax, or one axis like maxDim), maxDim/minDim (values and
 * first indices) and argmax/argmin. NaN counts as the extremum, as in torch.
 * int32 inputs give int32 values.
 */

/** Values and int32 positions of a maximum or minimum along one axis. */
export interface ValuesIndices {
  values: Tensor;
  indices: Tensor;
}

function sharedExtremum(x: Tensor, axis: Axes, keepdim: boolean, largest: boolean, op: string): Tensor {
  const axes = normalizeAxes(axis, x.ndim, op);
  requireNonEmpty(op, x.shape, axes);
  const best = extremumAxes(x.data, x.shape, axes, largest);
  const out = new Tensor(fromDoubles(best, x.dtype), reducedShape(x.shape, axes, keepdim));
  return record(out, op, [x], (g) => {
    const weights = constantTensor(tieWeights(x.data, x.shape, axes, best), x.shape, x.dtype);
    return [mul(unreduce(g, x.shape, axes), weights)];
  });
}

function extremumWithIndices(x: Tensor, axis: number, keepdim: boolean, largest: boolean, op: string): ValuesIndices {
  requireSingleAxis(op, axis);
  const ax = normalizeAxis(axis, x.ndim, op);
  // A 0-d tensor reduces along its one implicit axis, as in torch.
  const axes = x.ndim === 0 ? [] : [ax];
  requireNonEmpty(op, x.shape, axes);
  const { values, indices } = extremumAlong(x.data, x.shape, ax, largest);
  const shape = reducedShape(x.shape, axes, keepdim);
  const out = new Tensor(fromDoubles(values, x.dtype), shape);
  const recorded = record(out, op, [x], (g) => {
    const hot = constantTensor(oneHotAlong(indices, x.shape, ax), x.shape, x.dtype);
    return [mul(unreduce(g, x.shape, axes), hot)];
  });
  // The caller owns the returned indices; the backward rule keeps its own copy.
  return { values: recorded, indices: new Tensor(indices.slice(), shape) };
}

function argExtremum(x: Tensor, axis: number | null | undefined, keepdim: boolean, largest: boolean, op: string): Tensor {
  if (axis === undefined || axis === null) {
    if (x.size === 0) throw new RangeError(`${op}: cannot take the ${op} of an empty tensor (shape [${x.shape.join(",")}])`);
    const { indices } = extremumAlong(x.data, [x.size], 0, largest);
    return new Tensor(indices, keepdim ? x.shape.map(() => 1) : []);
  }
  requireSingleAxis(op, axis);
  const ax = normalizeAxis(axis, x.ndim, op);
  const axes = x.ndim === 0 ? [] : [ax];
  requireNonEmpty(op, x.shape, axes);
  const { indices } = extremumAlong(x.data, x.shape, ax, largest);
  return new Tensor(indices, reducedShape(x.shape, axes, keepdim));
}

/**
 * Largest value over `axis` (all axes by default); every element equal to
 * the maximum receives an equal share of the gradient (torch.amax).
 */
export function amax(x: Tensor, axis?: Axes, keepdim = false): Tensor {
  return sharedExtremum(x, axis, keepdim, true, "amax");
}

/** Smallest value over `axis` (all by default); ties share the gradient (torch.amin). */
export function amin(x: Tensor, axis?: Axes, keepdim = false): Tensor {
  return sharedExtremum(x, axis, keepdim, false, "amin");
}

/**
 * Largest value and the first index holding it along one axis
 * (torch.max(x, dim)); only that element receives the gradient.
 */
export function maxDim(x: Tensor, axis: number, keepdim = false): ValuesIndices {
  return extremumWithIndices(x, axis, keepdim, true, "maxDim");
}

/** Smallest value and its first index along one axis (torch.min(x, dim)). */
export function minDim(x: Tensor, axis: number, keepdim = false): ValuesIndices {
  return extremumWithIndices(x, axis, keepdim, false, "minDim");
}

/**
 * The maximum: without an axis over every element, ties sharing the
 * gradient equally (torch.max(x)); with an axis the values of maxDim, whose
 * gradient goes to the first maximal element only.
 */
export function max(x: Tensor, axis?: number | null, keepdim = false): Tensor {
  if (axis === undefined || axis === null) return sharedExtremum(x, null, keepdim, true, "max");
  return extremumWithIndices(x, axis, keepdim, true, "max").values;
}

/** The minimum; see max for how ties are treated. */
export function min(x: Tensor, axis?: number | null, keepdim = false): Tensor {
  if (axis === undefined || axis === null) return sharedExtremum(x, null, keepdim, false, "min");
  return extremumWithIndices(x, axis, keepdim, false, "min").values;
}

/**
 * int32 index of the first maximum along `axis`; without an axis, the index
 * into the flattened tensor (torch.argmax). keepdim without an axis gives a
 * tensor of ndim ones.
 */
export function argmax(x: Tensor, axis?: number | null, keepdim = false): Tensor {
  return argExtremum(x, axis, keepdim, true, "argmax");
}

/** int32 index of the first minimum along `axis` (flattened without one), torch.argmin. */
export function argmin(x: Tensor, axis?: number | null, keepdim = false): Tensor {
  return argExtremum(x, axis, keepdim, false, "argmin");
}

declare module "../tensor.js" {
  interface Tensor {
    max(axis?: number | null, keepdim?: boolean): Tensor;
    min(axis?: number | null, keepdim?: boolean): Tensor;
    maxDim(axis: number, keepdim?: boolean): ValuesIndices;
    minDim(axis: number, keepdim?: boolean): ValuesIndices;
    amax(axis?: Axes, keepdim?: boolean): Tensor;
    amin(axis?: Axes, keepdim?: boolean): Tensor;
    argmax(axis?: number | null, keepdim?: boolean): Tensor;
    argmin(axis?: number | null, keepdim?: boolean): Tensor;
  }
}

Tensor.prototype.max = function (this: Tensor, axis?: number | null, keepdim?: boolean) {
  return max(this, axis, keepdim);
};
Tensor.prototype.min = function (this: Tensor, axis?: number | null, keepdim?: boolean) {
  return min(this, axis, keepdim);
};
Tensor.prototype.maxDim = function (this: Tensor, axis: number, keepdim?: boolean) {
  return maxDim(this, axis, keepdim);
};
Tensor.prototype.minDim = function (this: Tensor, axis: number, keepdim?: boolean) {
  return minDim(this, axis, keepdim);
};
Tensor.prototype.amax = function (this: Tensor, axis?: Axes, keepdim?: boolean) {
  return amax(this, axis, keepdim);
};
Tensor.prototype.amin = function (this: Tensor, axis?: Axes, keepdim?: boolean) {
  return amin(this, axis, keepdim);
};
Tensor.prototype.argmax = function (this: Tensor, axis?: number | null, keepdim?: boolean) {
  return argmax(this, axis, keepdim);
};
Tensor.prototype.argmin = function (this: Tensor, axis?: number | null, keepdim?: boolean) {
  return argmin(this, axis, keepdim);
};
