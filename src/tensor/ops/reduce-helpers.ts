import { type DType } from "../dtype.js";
import { fromDoubles } from "../kernels/reduce.js";
import { type Shape, shapeToString } from "../shape.js";
import { Tensor } from "../tensor.js";

/**
 * Checks and constants shared by the reduction ops (private to them: not
 * re-exported by reductions.ts).
 */

/** The dtype of a result that must be floating: int32 inputs give float32 (as torch.mean). */
export function floatDType(dtype: DType): DType {
  return dtype === "int32" ? "float32" : dtype;
}

/** Masks and weights for backward rules: fixed values, outside the graph. */
export function constantTensor(values: Float64Array, shape: Shape, dtype: DType): Tensor {
  return new Tensor(fromDoubles(values, dtype), shape);
}

/** Throws unless every axis in `axes` is non-empty: an extremum of nothing is undefined. */
export function requireNonEmpty(op: string, shape: Shape, axes: readonly number[]): void {
  for (const a of axes) {
    if (shape[a] === 0) {
      throw new RangeError(`${op}: cannot reduce over axis ${a} of size 0 (tensor of shape ${shapeToString(shape)}); the result is undefined for an empty input`);
    }
  }
}

/** Checks that `axis` is one axis, not a list (max/min/argmax/argmin/cumsum/softmax take exactly one). */
export function requireSingleAxis(op: string, axis: unknown): void {
  if (typeof axis !== "number") {
    throw new TypeError(`${op}: axis must be a single number, got ${Array.isArray(axis) ? `[${axis.join(",")}]` : String(axis)}`);
  }
}
