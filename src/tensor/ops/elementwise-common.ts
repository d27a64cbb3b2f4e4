import { zeros } from "../creation.js";
import { allocate, type DType, isFloating } from "../dtype.js";
import type { UnaryKernel } from "../kernels/unary.js";
import { Tensor } from "../tensor.js";

/** Helpers shared by the elementwise op files (not part of the public API). */

/** The dtype of a transcendental op's result: floats keep theirs, int32 gives float32 (as in torch). */
export function floatDType(dtype: DType): DType {
  return isFloating(dtype) ? dtype : "float32";
}

/** A new tensor of x's shape and `dtype` filled by `kernel(x.data, out)`. */
export function applyUnary(x: Tensor, kernel: UnaryKernel, dtype: DType): Tensor {
  const out = allocate(dtype, x.size);
  kernel(x.data, out);
  return new Tensor(out, x.shape);
}

/** The zero gradient of a piecewise-constant op (floor, sign, rounded division, ...). */
export function zeroGradient(x: Tensor): Tensor {
  return zeros(x.shape, { dtype: x.dtype });
}

/** Checks that an option is a number other than NaN (infinities pass), naming the op and option otherwise. */
export function checkNumber(value: unknown, op: string, name: string): number {
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`${op}: ${name} must be a number, got ${String(value)}`);
  }
  return value;
}
