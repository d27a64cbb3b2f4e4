import { allocate, type DType, type TypedArray } from "../dtype.js";
import { type Shape, sizeOf } from "../shape.js";

/**
 * Reference loops for ops that run along one axis (max/argmax with an
 * axis, cumsum, softmax). A lane is the run of elements that differ only in
 * that axis: it starts at `o * n * inner + i` and steps by `inner`, where
 * `inner` is the product of the dimensions after the axis.
 */

/**
 * Calls `visit(start, step, n, lane)` for every lane along `axis`; `lane`
 * numbers the lanes row-major over the other axes (the output offset of a
 * reduction along the axis). A 0-d shape has one lane of length 1.
 */
export function forEachLane(
  shape: Shape,
  axis: number,
  visit: (start: number, step: number, n: number, lane: number) => void,
): void {
  const n = shape.length === 0 ? 1 : shape[axis]!;
  const inner = sizeOf(shape.slice(axis + 1));
  const outer = sizeOf(shape.slice(0, axis));
  for (let o = 0; o < outer; o++) {
    for (let i = 0; i < inner; i++) visit(o * n * inner + i, inner, n, o * inner + i);
  }
}

/** Number of lanes along `axis` (the size of a reduction along it). */
export function laneCount(shape: Shape, axis: number): number {
  const n = shape.length === 0 ? 1 : shape[axis]!;
  return n === 0 ? sizeOf(shape.filter((_, i) => i !== axis)) : sizeOf(shape) / n;
}

/**
 * The largest (or smallest) value of each lane and the first index holding
 * it. A NaN counts as the extremum and the first NaN wins, as torch.max and
 * torch.argmax do. Lanes must not be empty.
 */
export function extremumAlong(
  x: TypedArray,
  shape: Shape,
  axis: number,
  largest: boolean,
): { values: Float64Array; indices: Int32Array } {
  const lanes = laneCount(shape, axis);
  const values = new Float64Array(lanes);
  const indices = new Int32Array(lanes);
  forEachLane(shape, axis, (start, step, n, lane) => {
    let best = x[start]!;
    let at = 0;
    for (let k = 1; k < n && best === best; k++) {
      const v = x[start + k * step]!;
      if ((largest ? v > best : v < best) || v !== v) {
        best = v;
        at = k;
      }
    }
    values[lane] = best;
    indices[lane] = at;
  });
  return { values, indices };
}

/** 1 at each lane's `indices` entry, 0 elsewhere: where max/min with an axis sends the gradient. */
export function oneHotAlong(indices: Int32Array, shape: Shape, axis: number): Float64Array {
  const out = new Float64Array(sizeOf(shape));
  forEachLane(shape, axis, (start, step, _n, lane) => {
    out[start + indices[lane]! * step] = 1;
  });
  return out;
}

/**
 * Running sums along `axis`, accumulated in double: out[k] = x[0] + ... +
 * x[k], or x[k] + ... + x[n-1] when `reverse` (the gradient of cumsum).
 */
export function cumsumAlong(x: TypedArray, shape: Shape, axis: number, reverse: boolean, outDType: DType): TypedArray {
  const out = allocate(outDType, x.length);
  forEachLane(shape, axis, (start, step, n) => {
    let acc = 0;
    for (let k = 0; k < n; k++) {
      const i = start + (reverse ? n - 1 - k : k) * step;
      acc += x[i]!;
      out[i] = acc;
    }
  });
  return out;
}

/**
 * Softmax (or log-softmax) of each lane with the lane's maximum subtracted
 * first: exp(x - m) / sum(exp(x - m)), and x - m - log(sum(exp(x - m))).
 * The exponentials are kept in double until the final division.
 */
export function softmaxAlong(x: TypedArray, shape: Shape, axis: number, log: boolean, outDType: DType): TypedArray {
  const out = allocate(outDType, x.length);
  const scratch = new Float64Array(shape.length === 0 ? 1 : shape[axis]!);
  forEachLane(shape, axis, (start, step, n) => {
    let m = -Infinity;
    for (let k = 0; k < n; k++) {
      const v = x[start + k * step]!;
      if (v > m || v !== v) m = v;
    }
    let s = 0;
    for (let k = 0; k < n; k++) {
      const e = Math.exp(x[start + k * step]! - m);
      scratch[k] = e;
      s += e;
    }
    if (log) {
      const logS = Math.log(s);
      for (let k = 0; k < n; k++) out[start + k * step] = x[start + k * step]! - m - logS;
    } else {
      for (let k = 0; k < n; k++) out[start + k * step] = scratch[k]! / s;
    }
  });
  return out;
}
