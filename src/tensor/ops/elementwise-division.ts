import { promoteTypes } from "../dtype.js";
import { mapBinary } from "../kernels/broadcast.js";
import { broadcastShapes } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { div, mul, neg } from "./arithmetic.js";
import { checkIntegerDivisor, fmodScalar, remainderScalar } from "./elementwise-rounding.js";
import { sumToShape } from "./reshape.js";
import { operands, type TensorLike } from "./scalar.js";

/**
 * Floor division and the two remainders, broadcast, int32 staying int32
 * (integer division by zero is an error). `remainder` takes the divisor's
 * sign (Python's %: a - floor(a/b) b), `fmod` the dividend's (C's fmod:
 * a - trunc(a/b) b). Gradients (torch 1.13): a gets g; b gets
 * -g floor(a/b) (remainder) or -g trunc(a/b) (fmod). floorDivide has
 * gradient 0 like div with roundingMode "floor" (torch 1.13's floor_divide
 * has none at all).
 */

/** The kernels behind remainder and fmod; a faster backend may replace entries. */
export const remainderKernels = { remainder: remainderScalar, fmod: fmodScalar };

/** a / b rounded toward -inf (-7 // 2 = -4), like Python's //; same as div(a, b, {roundingMode: "floor"}). */
export function floorDivide(a: TensorLike, b: TensorLike): Tensor {
  return div(a, b, { roundingMode: "floor" });
}

function remainderOp(a: TensorLike, b: TensorLike, op: "remainder" | "fmod"): Tensor {
  const [x, y] = operands(a, b, op);
  broadcastShapes(x.shape, y.shape, op);
  checkIntegerDivisor(x, y, op);
  const { data, shape } = mapBinary(x.data, x.shape, y.data, y.shape, promoteTypes(x.dtype, y.dtype), remainderKernels[op], op);
  const rounding = op === "remainder" ? "floor" : "trunc";
  return record(new Tensor(data, shape), op, [x, y], (g) => [
    x.requiresGrad ? sumToShape(g, x.shape) : null,
    y.requiresGrad ? sumToShape(mul(neg(g), div(x, y, { roundingMode: rounding })), y.shape) : null,
  ]);
}

/** a - floor(a/b) b: the remainder with the sign of the divisor (Python's %; remainder(-7, 2) = 1). */
export function remainder(a: TensorLike, b: TensorLike): Tensor {
  return remainderOp(a, b, "remainder");
}

/** a - trunc(a/b) b: the remainder with the sign of the dividend (C's fmod, JavaScript's %; fmod(-7, 2) = -1). */
export function fmod(a: TensorLike, b: TensorLike): Tensor {
  return remainderOp(a, b, "fmod");
}

declare module "../tensor.js" {
  interface Tensor {
    floorDivide(other: TensorLike): Tensor;
    remainder(other: TensorLike): Tensor;
    fmod(other: TensorLike): Tensor;
  }
}

Tensor.prototype.floorDivide = function (this: Tensor, other: TensorLike) {
  return floorDivide(this, other);
};
Tensor.prototype.remainder = function (this: Tensor, other: TensorLike) {
  return remainder(this, other);
};
Tensor.prototype.fmod = function (this: Tensor, other: TensorLike) {
  return fmod(this, other);
};
