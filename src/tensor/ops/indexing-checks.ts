import { type Shape, shapeToString, stridesOf } from "../shape.js";
import { type Tensor } from "../tensor.js";

/** Index arguments must be int32 tensors (nabla's integer dtype; torch uses int64). */
export function checkIndexDType(index: Tensor, op: string, what = "index"): Int32Array {
  if (index.dtype !== "int32") throw new TypeError(`${op}: ${what} must be an int32 tensor, got dtype ${index.dtype}`);
  return index.data as Int32Array;
}

/** The coordinates of flat position `flat` in `shape`, for error messages. */
export function positionOf(flat: number, shape: Shape): string {
  const strides = stridesOf(shape);
  return shapeToString(strides.map((s, d) => Math.floor(flat / s) % shape[d]!));
}

/**
 * Checks that every value of an index tensor lies in [0, size) before any
 * work is done, naming the first offender, its position and the valid range.
 */
export function checkIndexRange(values: Int32Array, shape: Shape, size: number, op: string, axis: number): void {
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= size) {
      const range = size === 0 ? "the axis is empty" : `expected 0..${size - 1}`;
      throw new RangeError(`${op}: index ${v} at position ${positionOf(i, shape)} is out of range for axis ${axis} of size ${size} (${range})`);
    }
  }
}
