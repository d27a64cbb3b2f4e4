import { type DType } from "../dtype.js";
import { mapUnary } from "../kernels/broadcast.js";
import { fromDoubles } from "../kernels/reduce.js";
import { type Shape, shapeToString } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { div, mul } from "./arithmetic.js";

/**
 * Small differentiable pieces used inside the reductions' backward rules.
 * They are private to the reduction ops (not re-exported by reductions.ts,
 * so they never clash with the public exp/sqrt/pow of elementwise.ts):
 * their backward rules are themselves tensor ops, so gradients of
 * gradients work.
 */

/** The dtype of a result that must be floating: int32 inputs give float32 (as torch.mean). */
export function floatDType(dtype: DType): DType {
  return dtype === "int32" ? "float32" : dtype;
}

/** Masks and weights for backward rules: fixed values, outside the graph. */
export function constantTensor(values: Float64Array, shape: Shape, dtype: DType): Tensor {
  return new Tensor(fromDoubles(values, dtype), shape);
}

/** exp(x); d/dx = exp(x), the output itself. */
export function expOf(x: Tensor): Tensor {
  const out = new Tensor(mapUnary(x.data, x.dtype, Math.exp), x.shape);
  return record(out, "exp", [x], (g) => [mul(g, out)]);
}

/** sqrt(x); d/dx = 1 / (2 sqrt(x)). */
export function sqrtOf(x: Tensor): Tensor {
  const out = new Tensor(mapUnary(x.data, x.dtype, Math.sqrt), x.shape);
  return record(out, "sqrt", [x], (g) => [div(g, mul(out, 2))]);
}

/** x^e for a constant exponent; d/dx = e x^(e-1). */
export function powOf(x: Tensor, e: number): Tensor {
  const out = new Tensor(
    mapUnary(x.data, x.dtype, (v) => Math.pow(v, e)),
    x.shape,
  );
  return record(out, "pow", [x], (g) => [mul(g, mul(powOf(x, e - 1), e))]);
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
