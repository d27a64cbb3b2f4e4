import { type DType, promoteTypes, type TypedArray } from "../dtype.js";
import { mapBinary } from "../kernels/broadcast.js";
import { broadcastShapes } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { mul } from "./arithmetic.js";
import { eq, ge, gt, le, lt } from "./compare.js";
import { applyUnary } from "./elementwise-common.js";
import { where } from "./elementwise-select.js";
import { sumToShape } from "./reshape.js";
import { operands, scalarDType, type TensorLike, toTensor } from "./scalar.js";

/**
 * Elementwise maximum/minimum of two tensors and clamping to bounds.
 * NaN propagates (an output is NaN where an input is). Gradient
 * conventions (torch 1.13): maximum/minimum give each operand half of the
 * gradient where they tie; clamp passes the gradient to x on the closed
 * interval min <= x <= max, to a tensor min where x < min < max and to a
 * tensor max where x > max or max < min.
 */

/** The kernels behind these ops; a faster backend may replace entries. */
export const minmaxKernels = {
  maximum: (x: number, y: number): number => (x > y || x !== x ? x : y),
  minimum: (x: number, y: number): number => (x < y || x !== x ? x : y),
  /** max(v, lo), keeping NaN in v. */
  lower: (v: number, lo: number): number => (v < lo ? lo : v),
  /** min(v, hi), keeping NaN in v. */
  upper: (v: number, hi: number): number => (v > hi ? hi : v),
  /** min(max(v, lo), hi) for scalar bounds (+-Infinity where absent). */
  clampScalar(x: TypedArray, out: TypedArray, lo: number, hi: number): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const w = v < lo ? lo : v;
      out[i] = w > hi ? hi : w;
    }
  },
};

/** The gradient share of `a` in max(a, b) (or min when `lose` is gt): g, g/2 on ties, 0 where a loses. */
function tieSplit(g: Tensor, a: Tensor, b: Tensor, lose: (p: Tensor, q: Tensor) => Tensor): Tensor {
  return where(lose(a, b), 0, where(eq(a, b), mul(g, 0.5), g));
}

/** Elementwise max(a, b), broadcast; ties split the gradient equally. */
export function maximum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, "maximum");
  const { data, shape } = mapBinary(x.data, x.shape, y.data, y.shape, promoteTypes(x.dtype, y.dtype), minmaxKernels.maximum, "maximum");
  return record(new Tensor(data, shape), "maximum", [x, y], (g) => [
    x.requiresGrad ? sumToShape(tieSplit(g, x, y, lt), x.shape) : null,
    y.requiresGrad ? sumToShape(tieSplit(g, y, x, lt), y.shape) : null,
  ]);
}

/** Elementwise min(a, b), broadcast; ties split the gradient equally. */
export function minimum(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, "minimum");
  const { data, shape } = mapBinary(x.data, x.shape, y.data, y.shape, promoteTypes(x.dtype, y.dtype), minmaxKernels.minimum, "minimum");
  return record(new Tensor(data, shape), "minimum", [x, y], (g) => [
    x.requiresGrad ? sumToShape(tieSplit(g, x, y, gt), x.shape) : null,
    y.requiresGrad ? sumToShape(tieSplit(g, y, x, gt), y.shape) : null,
  ]);
}

type Bound = TensorLike | null | undefined;

function boundDType(bound: Bound, x: Tensor): DType {
  if (bound === null || bound === undefined) return x.dtype;
  return bound instanceof Tensor ? bound.dtype : scalarDType(bound, x.dtype);
}

function checkBound(bound: Bound, name: string): asserts bound is TensorLike | null | undefined {
  if (bound === null || bound === undefined || bound instanceof Tensor) return;
  if (typeof bound !== "number" || Number.isNaN(bound)) throw new TypeError(`clamp: ${name} must be a number, a tensor or null, got ${String(bound)}`);
}

/**
 * min(max(x, min), max), elementwise (torch.clamp); either bound may be
 * null (not both), a number or a tensor that broadcasts with x. With
 * min > max every output is max. The dtype is promoted with the bounds'
 * (int32 clamped to fractional bounds gives float32).
 */
export function clamp(x: Tensor, min?: Bound, max?: Bound): Tensor {
  const hasMin = min !== null && min !== undefined;
  const hasMax = max !== null && max !== undefined;
  if (!hasMin && !hasMax) throw new Error("clamp: at least one of min and max must be given");
  checkBound(min, "min");
  checkBound(max, "max");
  const dtype = promoteTypes(x.dtype, promoteTypes(boundDType(min, x), boundDType(max, x)));
  if (!(min instanceof Tensor) && !(max instanceof Tensor)) return clampScalar(x, min ?? null, max ?? null, dtype);
  const lo = hasMin ? toTensor(min, x) : null;
  const hi = hasMax ? toTensor(max, x) : null;
  // Check the three shapes together first, so a bad bound fails before any work.
  broadcastShapes(broadcastShapes(x.shape, lo?.shape ?? [], "clamp"), hi?.shape ?? [], "clamp");
  let data: TypedArray = x.data;
  let shape: readonly number[] = x.shape;
  if (lo) ({ data, shape } = mapBinary(data, shape, lo.data, lo.shape, dtype, minmaxKernels.lower, "clamp"));
  if (hi) ({ data, shape } = mapBinary(data, shape, hi.data, hi.shape, dtype, minmaxKernels.upper, "clamp"));
  return record(new Tensor(data, shape), "clamp", [x, ...(lo ? [lo] : []), ...(hi ? [hi] : [])], (g) => {
    const pass = (mask: () => Tensor, t: Tensor) => (t.requiresGrad ? sumToShape(where(mask(), g, 0), t.shape) : null);
    const grads = [pass(() => clampInside(x, lo, hi), x)];
    if (lo) grads.push(pass(() => (hi ? mul(lt(x, lo), lt(lo, hi)) : lt(x, lo)), lo));
    if (hi) grads.push(pass(() => (lo ? maximum(gt(x, hi), lt(hi, lo)) : gt(x, hi)), hi));
    return grads;
  });
}

function clampScalar(x: Tensor, lo: number | null, hi: number | null, dtype: DType): Tensor {
  const out = applyUnary(x, (data, o) => minmaxKernels.clampScalar(data, o, lo ?? -Infinity, hi ?? Infinity), dtype);
  return record(out, "clamp", [x], (g) => [where(clampInside(x, lo, hi), g, 0)]);
}

/**
 * Where x gets the gradient: min <= x <= max, bounds included. The bounds
 * follow torch's clamp_backward_min_max: min gets it where x < min < max,
 * max where x > max or max < min (with one bound: beyond it).
 */
function clampInside(x: Tensor, lo: TensorLike | null, hi: TensorLike | null): Tensor {
  if (lo === null) return le(x, hi!);
  if (hi === null) return ge(x, lo);
  return mul(ge(x, lo), le(x, hi));
}

declare module "../tensor.js" {
  interface Tensor {
    maximum(other: TensorLike): Tensor;
    minimum(other: TensorLike): Tensor;
    clamp(min?: TensorLike | null, max?: TensorLike | null): Tensor;
  }
}

Tensor.prototype.maximum = function (this: Tensor, other: TensorLike) {
  return maximum(this, other);
};
Tensor.prototype.minimum = function (this: Tensor, other: TensorLike) {
  return minimum(this, other);
};
Tensor.prototype.clamp = function (this: Tensor, min?: TensorLike | null, max?: TensorLike | null) {
  return clamp(this, min, max);
};
