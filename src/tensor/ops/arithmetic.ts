import { zeros } from "../creation.js";
import { isFloating, promoteTypes } from "../dtype.js";
import { mapBinary, mapUnary } from "../kernels/broadcast.js";
import { broadcastShapes } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { checkIntegerDivisor, floorDivideScalar } from "./elementwise-rounding.js";
import { operands, type TensorLike } from "./scalar.js";
import { sumToShape } from "./reshape.js";

/**
 * The four arithmetic operators with NumPy broadcasting, and negation.
 * Backward rules: d(a+b) = (g, g), d(a-b) = (g, -g), d(ab) = (g b, g a),
 * d(a/b) = (g/b, -g a/b^2), each summed back to its operand's shape.
 * Rounded division (floor or trunc) is piecewise constant: gradient 0.
 */

/** The kernels behind the arithmetic ops; a faster backend may replace entries. */
export const arithmeticKernels = {
  add: (x: number, y: number): number => x + y,
  sub: (x: number, y: number): number => x - y,
  mul: (x: number, y: number): number => x * y,
  div: (x: number, y: number): number => x / y,
  /** x / y rounded toward zero (torch's div_trunc: trunc of the float quotient). */
  divTrunc: (x: number, y: number): number => Math.trunc(x / y),
  /** x / y rounded toward -inf (Python's floor division, consistent with remainder). */
  divFloor: floorDivideScalar,
};

/** Options of `div`: how to round the quotient (null: true division). */
export interface DivOptions {
  roundingMode?: "trunc" | "floor" | null;
}

function binary(a: Tensor, b: Tensor, op: keyof typeof arithmeticKernels, name: string, floatResult = false) {
  let dtype = promoteTypes(a.dtype, b.dtype);
  if (floatResult && !isFloating(dtype)) dtype = "float32";
  const { data, shape } = mapBinary(a.data, a.shape, b.data, b.shape, dtype, arithmeticKernels[op], name);
  return new Tensor(data, shape);
}

/** a + b, broadcast. */
export function add(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, "add");
  return record(binary(x, y, "add", "add"), "add", [x, y], (g) => [sumToShape(g, x.shape), sumToShape(g, y.shape)]);
}

/** a - b, broadcast. */
export function sub(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, "sub");
  return record(binary(x, y, "sub", "sub"), "sub", [x, y], (g) => [
    sumToShape(g, x.shape),
    y.requiresGrad ? sumToShape(neg(g), y.shape) : null,
  ]);
}

/** a * b, elementwise, broadcast. */
export function mul(a: TensorLike, b: TensorLike): Tensor {
  const [x, y] = operands(a, b, "mul");
  return record(binary(x, y, "mul", "mul"), "mul", [x, y], (g) => [
    x.requiresGrad ? sumToShape(mul(g, y), x.shape) : null,
    y.requiresGrad ? sumToShape(mul(g, x), y.shape) : null,
  ]);
}

/**
 * a / b, broadcast. By default true division (integer inputs give float32);
 * `roundingMode: "trunc"` rounds the quotient toward zero and `"floor"`
 * toward -inf (torch.div's rounding_mode: -7 / 2 gives -3 and -4), keeping
 * int32 for int32 operands, where dividing by zero is an error. Rounded
 * division has gradient 0.
 */
export function div(a: TensorLike, b: TensorLike, options?: DivOptions): Tensor {
  const mode = options?.roundingMode ?? null;
  if (mode !== null && mode !== "trunc" && mode !== "floor") {
    throw new RangeError(`div: roundingMode must be "trunc", "floor" or null, got ${String(mode)}`);
  }
  const [x, y] = operands(a, b, "div");
  if (mode !== null) return roundedDiv(x, y, mode);
  return record(binary(x, y, "div", "div", true), "div", [x, y], (g) => [
    x.requiresGrad ? sumToShape(div(g, y), x.shape) : null,
    y.requiresGrad ? sumToShape(neg(div(mul(g, x), mul(y, y))), y.shape) : null,
  ]);
}

function roundedDiv(x: Tensor, y: Tensor, mode: "trunc" | "floor"): Tensor {
  broadcastShapes(x.shape, y.shape, "div");
  checkIntegerDivisor(x, y, "div");
  const out = binary(x, y, mode === "trunc" ? "divTrunc" : "divFloor", "div");
  return record(out, "div", [x, y], () => [
    x.requiresGrad ? zeros(x.shape, { dtype: x.dtype }) : null,
    y.requiresGrad ? zeros(y.shape, { dtype: y.dtype }) : null,
  ]);
}

/** -x. */
export function neg(x: Tensor): Tensor {
  const out = new Tensor(mapUnary(x.data, x.dtype, (v) => -v), x.shape);
  return record(out, "neg", [x], (g) => [neg(g)]);
}

declare module "../tensor.js" {
  interface Tensor {
    add(other: TensorLike): Tensor;
    sub(other: TensorLike): Tensor;
    mul(other: TensorLike): Tensor;
    div(other: TensorLike, options?: DivOptions): Tensor;
    neg(): Tensor;
  }
}

Tensor.prototype.add = function (this: Tensor, other: TensorLike) {
  return add(this, other);
};
Tensor.prototype.sub = function (this: Tensor, other: TensorLike) {
  return sub(this, other);
};
Tensor.prototype.mul = function (this: Tensor, other: TensorLike) {
  return mul(this, other);
};
Tensor.prototype.div = function (this: Tensor, other: TensorLike, options?: DivOptions) {
  return div(this, other, options);
};
Tensor.prototype.neg = function (this: Tensor) {
  return neg(this);
};
