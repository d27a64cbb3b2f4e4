import { type DType } from "../dtype.js";
import { reduceAxes } from "../kernels/broadcast.js";
import { normalizeAxes, sizeOf } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { expand, reshape } from "./reshape.js";

/** Axis argument of a reduction: one axis, several, or all (undefined/null). */
export type Axes = number | readonly number[] | null | undefined;

/** The shape after reducing `axes`, with or without the reduced axes kept as 1. */
export function reducedShape(shape: readonly number[], axes: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/**
 * Sends a reduced gradient back over the reduced axes: reshape to the kept
 * shape, then repeat along the reduced axes.
 */
export function unreduce(g: Tensor, shape: readonly number[], axes: readonly number[]): Tensor {
  return expand(reshape(g, reducedShape(shape, axes, true)), shape);
}

/** Sum over `axis` (all axes by default); int32 sums stay int32. */
export function sum(x: Tensor, axis?: Axes, keepdim = false): Tensor {
  const axes = normalizeAxes(axis, x.ndim, "sum");
  const { data } = reduceAxes(x.data, x.shape, axes, x.dtype, 0, (acc, v) => acc + v);
  const out = new Tensor(data, reducedShape(x.shape, axes, keepdim));
  return record(out, "sum", [x], (g) => [unreduce(g, x.shape, axes)]);
}

/** Arithmetic mean over `axis`; int32 input gives float32. */
export function mean(x: Tensor, axis?: Axes, keepdim = false): Tensor {
  const axes = normalizeAxes(axis, x.ndim, "mean");
  const count = sizeOf(axes.map((a) => x.shape[a]!));
  const dtype: DType = x.dtype === "int32" ? "float32" : x.dtype;
  const { data } = reduceAxes(x.data, x.shape, axes, dtype, 0, (acc, v) => acc + v);
  for (let i = 0; i < data.length; i++) data[i] = data[i]! / count;
  const out = new Tensor(data, reducedShape(x.shape, axes, keepdim));
  return record(out, "mean", [x], (g) => [unreduce(g, x.shape, axes).div(count)]);
}

declare module "../tensor.js" {
  interface Tensor {
    sum(axis?: Axes, keepdim?: boolean): Tensor;
    mean(axis?: Axes, keepdim?: boolean): Tensor;
  }
}

Tensor.prototype.sum = function (this: Tensor, axis?: Axes, keepdim?: boolean) {
  return sum(this, axis, keepdim);
};
Tensor.prototype.mean = function (this: Tensor, axis?: Axes, keepdim?: boolean) {
  return mean(this, axis, keepdim);
};
