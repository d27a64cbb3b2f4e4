import { allocate, type DType, type TypedArray } from "../dtype.js";
import { type Shape, sizeOf, stridesOf } from "../shape.js";
import { forEachRow, reductionStrides } from "./broadcast.js";

/**
 * Reference loops for reductions over a set of axes (amax, prod, var,
 * logsumexp, norm). Results are doubles laid out row-major over the kept
 * shape (reduced axes as size 1); callers cast once at the end, so float32
 * inputs are accumulated in double.
 */

/**
 * Calls `visit(ix, io, n, sx, so)` for each innermost run of `shape`: `ix`
 * is the input offset, `io` the offset of its reduced slot, `n` the run
 * length and `sx`/`so` the strides along it. Returns the kept shape.
 */
export function forEachReduced(
  shape: Shape,
  axes: readonly number[],
  visit: (ix: number, io: number, n: number, sx: number, so: number) => void,
): number[] {
  const { outShape, strides } = reductionStrides(shape, axes);
  forEachRow(shape, stridesOf(shape), strides, (ix, io, _o, n, sx, so) => visit(ix, io, n, sx, so));
  return outShape;
}

/** Number of elements folded into each reduced slot. */
export function reducedCount(shape: Shape, axes: readonly number[]): number {
  return sizeOf(axes.map((a) => shape[a]!));
}

/** Doubles converted to `dtype` (int32 wraps like a C cast of an in-range value). */
export function fromDoubles(values: Float64Array, dtype: DType): TypedArray {
  if (dtype === "float64") return values;
  const out = allocate(dtype, values.length);
  out.set(values);
  return out;
}

/**
 * Largest (or smallest) value of each slot. NaN wins, as in torch.amax:
 * once a slot holds NaN no comparison replaces it.
 */
export function extremumAxes(x: TypedArray, shape: Shape, axes: readonly number[], largest: boolean): Float64Array {
  const { outShape } = reductionStrides(shape, axes);
  const out = new Float64Array(sizeOf(outShape)).fill(largest ? -Infinity : Infinity);
  forEachReduced(shape, axes, (ix, io, n, sx, so) => {
    for (let j = 0; j < n; j++) {
      const v = x[ix + j * sx]!;
      const k = io + j * so;
      const best = out[k]!;
      if ((largest ? v > best : v < best) || v !== v) out[k] = v;
    }
  });
  return out;
}

/**
 * Per input element: 1/k where it equals its slot's extremum and the slot
 * holds k such elements, else 0. The gradient of amax/amin (and of max/min
 * without an axis) is split equally among ties with these weights.
 */
export function tieWeights(x: TypedArray, shape: Shape, axes: readonly number[], extremum: Float64Array): Float64Array {
  const counts = new Float64Array(extremum.length);
  forEachReduced(shape, axes, (ix, io, n, sx, so) => {
    for (let j = 0; j < n; j++) if (x[ix + j * sx] === extremum[io + j * so]) counts[io + j * so]!++;
  });
  const w = new Float64Array(x.length);
  forEachReduced(shape, axes, (ix, io, n, sx, so) => {
    for (let j = 0; j < n; j++) {
      const k = io + j * so;
      if (x[ix + j * sx] === extremum[k]) w[ix + j * sx] = 1 / counts[k]!;
    }
  });
  return w;
}

/** Values of a reduced (kept-layout) array repeated over the reduced axes, one per input element. */
export function spreadReduced(values: Float64Array, shape: Shape, axes: readonly number[]): Float64Array {
  const out = new Float64Array(sizeOf(shape));
  forEachReduced(shape, axes, (ix, io, n, sx, so) => {
    for (let j = 0; j < n; j++) out[ix + j * sx] = values[io + j * so]!;
  });
  return out;
}

/**
 * Unbiased-or-not variance of each slot, two passes (mean, then squared
 * deviations) so that data far from 0 keeps its digits: sum((x - mean)^2)
 * / max(0, n - correction), as torch.var.
 */
export function varianceAxes(x: TypedArray, shape: Shape, axes: readonly number[], correction: number): Float64Array {
  const n = reducedCount(shape, axes);
  const { outShape } = reductionStrides(shape, axes);
  const means = new Float64Array(sizeOf(outShape));
  forEachReduced(shape, axes, (ix, io, len, sx, so) => {
    for (let j = 0; j < len; j++) means[io + j * so]! += x[ix + j * sx]!;
  });
  for (let k = 0; k < means.length; k++) means[k] = means[k]! / n;
  const out = new Float64Array(means.length);
  forEachReduced(shape, axes, (ix, io, len, sx, so) => {
    for (let j = 0; j < len; j++) {
      const d = x[ix + j * sx]! - means[io + j * so]!;
      out[io + j * so]! += d * d;
    }
  });
  const denom = Math.max(0, n - correction);
  for (let k = 0; k < out.length; k++) out[k] = out[k]! / denom;
  return out;
}

/**
 * log(sum(exp(x))) of each slot, computed as m + log(sum(exp(x - m))) with
 * m the slot's maximum so that large logits do not overflow. An infinite
 * maximum is not subtracted (as torch does), so all -inf gives -inf and a
 * +inf gives +inf instead of NaN.
 */
export function logsumexpAxes(x: TypedArray, shape: Shape, axes: readonly number[]): Float64Array {
  const maxes = extremumAxes(x, shape, axes, true);
  for (let k = 0; k < maxes.length; k++) if (!Number.isFinite(maxes[k]!)) maxes[k] = 0;
  const sums = new Float64Array(maxes.length);
  forEachReduced(shape, axes, (ix, io, n, sx, so) => {
    for (let j = 0; j < n; j++) sums[io + j * so]! += Math.exp(x[ix + j * sx]! - maxes[io + j * so]!);
  });
  for (let k = 0; k < sums.length; k++) sums[k] = maxes[k]! + Math.log(sums[k]!);
  return sums;
}

/**
 * The p-norm of each slot: (sum |x|^p)^(1/p); p = 1 and 2 skip the powers,
 * p = Infinity is max |x| (NaN propagates).
 */
export function normAxes(x: TypedArray, shape: Shape, axes: readonly number[], p: number): Float64Array {
  const { outShape } = reductionStrides(shape, axes);
  const out = new Float64Array(sizeOf(outShape));
  const term: (a: number) => number = p === 1 ? (a) => a : p === 2 ? (a) => a * a : (a) => Math.pow(a, p);
  if (p === Infinity) {
    forEachReduced(shape, axes, (ix, io, n, sx, so) => {
      for (let j = 0; j < n; j++) {
        const a = Math.abs(x[ix + j * sx]!);
        if (a > out[io + j * so]! || a !== a) out[io + j * so] = a;
      }
    });
    return out;
  }
  forEachReduced(shape, axes, (ix, io, n, sx, so) => {
    for (let j = 0; j < n; j++) out[io + j * so]! += term(Math.abs(x[ix + j * sx]!));
  });
  if (p === 2) for (let k = 0; k < out.length; k++) out[k] = Math.sqrt(out[k]!);
  else if (p !== 1) for (let k = 0; k < out.length; k++) out[k] = Math.pow(out[k]!, 1 / p);
  return out;
}

/**
 * Constant factors of prod's gradient (see prod in ops/reduce-prod.ts), per
 * input element, from the number z of zeros in its slot:
 * `zeroOnly` = 1 at the zero of a slot with z = 1; `nonZero` = 1 at the
 * non-zero elements of a slot with z <= 1; `noZeros` = 1 in slots with z = 0;
 * `isZero` = 1 at every zero. `any` says whether any slot has a zero.
 */
export function prodZeroMasks(
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
): { any: boolean; isZero: Float64Array; zeroOnly: Float64Array; nonZero: Float64Array; noZeros: Float64Array } {
  const { outShape } = reductionStrides(shape, axes);
  const zeros = new Float64Array(sizeOf(outShape));
  let any = false;
  forEachReduced(shape, axes, (ix, io, n, sx, so) => {
    for (let j = 0; j < n; j++) {
      if (x[ix + j * sx] === 0) {
        zeros[io + j * so]!++;
        any = true;
      }
    }
  });
  const size = x.length;
  const isZero = new Float64Array(size);
  const zeroOnly = new Float64Array(size);
  const nonZero = new Float64Array(size);
  const noZeros = new Float64Array(size);
  forEachReduced(shape, axes, (ix, io, n, sx, so) => {
    for (let j = 0; j < n; j++) {
      const i = ix + j * sx;
      const z = zeros[io + j * so]!;
      const zero = x[i] === 0;
      isZero[i] = zero ? 1 : 0;
      zeroOnly[i] = zero && z === 1 ? 1 : 0;
      nonZero[i] = !zero && z <= 1 ? 1 : 0;
      noZeros[i] = z === 0 ? 1 : 0;
    }
  });
  return { any, isZero, zeroOnly, nonZero, noZeros };
}
