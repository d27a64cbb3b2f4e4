import { rangeMap } from "../kernels/shapeAxes.js";
import { normalizeAxis } from "../shape.js";
import { Tensor } from "../tensor.js";
import { takeAxes } from "./indexing-map.js";
import { reshape } from "./reshape.js";

/**
 * Taking a regular range of positions along one axis: slice (Python's
 * start:end:step), narrow (start, length) and select (one position, axis
 * dropped). Each copies the range through an axis map, so the gradient is
 * the upstream gradient summed back into a zero tensor of the input's shape.
 */

function mapAlong(x: Tensor, axis: number, map: Int32Array, name: string): Tensor {
  const maps = x.shape.map((_, i) => (i === axis ? map : null));
  const outShape = x.shape.map((d, i) => (i === axis ? map.length : d));
  return takeAxes(x, maps, outShape, name);
}

function checkBound(value: number | null | undefined, what: string): void {
  if (value === null || value === undefined) return;
  if (Number.isNaN(value) || (Number.isFinite(value) && !Number.isInteger(value))) {
    throw new RangeError(`slice: ${what} must be an integer, got ${value}`);
  }
}

/**
 * The positions start, start + step, ... before end along `axis`, with
 * Python's slice semantics: negative start/end count from the end, bounds
 * are clamped to the axis (never an error), null/undefined mean "from the
 * first" and "to the last" in the direction of step, and a negative step
 * walks backwards. x.slice(0, 1, -1) is x[1:-1].
 */
export function slice(x: Tensor, axis: number, start: number | null = null, end: number | null = null, step = 1): Tensor {
  const a = normalizeAxis(axis, x.ndim, "slice");
  if (!Number.isInteger(step) || step === 0) throw new RangeError(`slice: step must be a non-zero integer, got ${step}`);
  checkBound(start, "start");
  checkBound(end, "end");
  if (x.ndim === 0) throw new RangeError("slice: cannot slice a 0-d tensor");
  const n = x.shape[a]!;
  const resolve = (v: number, lo: number, hi: number): number => Math.min(Math.max(v < 0 ? v + n : v, lo), hi);
  let first: number;
  let count: number;
  if (step > 0) {
    first = start === null ? 0 : resolve(start, 0, n);
    const stop = end === null ? n : resolve(end, 0, n);
    count = stop > first ? Math.ceil((stop - first) / step) : 0;
  } else {
    first = start === null ? n - 1 : resolve(start, -1, n - 1);
    const stop = end === null ? -1 : resolve(end, -1, n - 1);
    count = first > stop ? Math.ceil((first - stop) / -step) : 0;
  }
  if (step === 1 && first === 0 && count === n) return reshape(x, x.shape);
  return mapAlong(x, a, rangeMap(first, step, count), "slice");
}

/**
 * `length` consecutive positions from `start` along `axis` (start may be
 * negative, counting from the end), as torch.narrow; the range must fit.
 */
export function narrow(x: Tensor, axis: number, start: number, length: number): Tensor {
  const a = normalizeAxis(axis, x.ndim, "narrow");
  if (x.ndim === 0) throw new RangeError("narrow: cannot narrow a 0-d tensor");
  const n = x.shape[a]!;
  if (!Number.isInteger(start) || start < -n || start > n) {
    throw new RangeError(`narrow: start ${start} is out of range for axis ${a} of size ${n} (expected ${-n}..${n})`);
  }
  const s = start < 0 ? start + n : start;
  if (!Number.isInteger(length) || length < 0 || s + length > n) {
    throw new RangeError(`narrow: start ${start} + length ${length} does not fit in axis ${a} of size ${n}`);
  }
  if (s === 0 && length === n) return reshape(x, x.shape);
  return mapAlong(x, a, rangeMap(s, 1, length), "narrow");
}

/** Position `index` along `axis` (negative counts from the end), with that axis removed, as torch.select. */
export function select(x: Tensor, axis: number, index: number): Tensor {
  const a = normalizeAxis(axis, x.ndim, "select");
  if (x.ndim === 0) throw new RangeError("select: cannot select from a 0-d tensor");
  const n = x.shape[a]!;
  if (!Number.isInteger(index) || index < -n || index >= n) {
    const range = n === 0 ? "the axis is empty" : `expected ${-n}..${n - 1}`;
    throw new RangeError(`select: index ${index} is out of range for axis ${a} of size ${n} (${range})`);
  }
  const i = index < 0 ? index + n : index;
  const taken = n === 1 ? x : mapAlong(x, a, rangeMap(i, 1, 1), "select");
  return reshape(
    taken,
    x.shape.filter((_, d) => d !== a),
  );
}

declare module "../tensor.js" {
  interface Tensor {
    slice(axis: number, start?: number | null, end?: number | null, step?: number): Tensor;
    narrow(axis: number, start: number, length: number): Tensor;
    select(axis: number, index: number): Tensor;
  }
}

Tensor.prototype.slice = function (this: Tensor, axis: number, start?: number | null, end?: number | null, step?: number) {
  return slice(this, axis, start, end, step);
};
Tensor.prototype.narrow = function (this: Tensor, axis: number, start: number, length: number) {
  return narrow(this, axis, start, length);
};
Tensor.prototype.select = function (this: Tensor, axis: number, index: number) {
  return select(this, axis, index);
};
