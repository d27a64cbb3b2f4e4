import { type DType } from "../dtype.js";
import { type UnaryKernelName, unaryKernels } from "../kernels/unary.js";
import { record, Tensor } from "../tensor.js";
import { add, div, mul, neg } from "./arithmetic.js";
import { applyUnary, floatDType, zeroGradient } from "./elementwise-common.js";

/**
 * Unary math, elementwise. Transcendental ops turn int32 into float32 (as
 * torch does); abs, sign, square, floor, ceil and round keep int32.
 * Backward rules (g the upstream gradient, y the output):
 * exp' = y, log' = 1/x, log1p' = 1/(1+x), expm1' = y+1, sqrt' = 1/(2y),
 * rsqrt' = -y^3/2, abs' = sign(x) (0 at 0, as torch), square' = 2x,
 * reciprocal' = -y^2, sin' = cos, cos' = -sin, erf' = 2/sqrt(pi) exp(-x^2),
 * and 0 for the piecewise-constant sign, floor, ceil and round.
 */

function unary(x: Tensor, name: UnaryKernelName, dtype: DType): Tensor {
  // Look the kernel up per call so a replaced entry takes effect.
  return applyUnary(x, unaryKernels[name], dtype);
}

/** e^x. */
export function exp(x: Tensor): Tensor {
  const y = unary(x, "exp", floatDType(x.dtype));
  return record(y, "exp", [x], (g) => [mul(g, y)]);
}

/** Natural logarithm (NaN below 0, -Infinity at 0). */
export function log(x: Tensor): Tensor {
  return record(unary(x, "log", floatDType(x.dtype)), "log", [x], (g) => [div(g, x)]);
}

/** log(1 + x), accurate for small x. */
export function log1p(x: Tensor): Tensor {
  return record(unary(x, "log1p", floatDType(x.dtype)), "log1p", [x], (g) => [div(g, add(x, 1))]);
}

/** e^x - 1, accurate for small x. */
export function expm1(x: Tensor): Tensor {
  const y = unary(x, "expm1", floatDType(x.dtype));
  return record(y, "expm1", [x], (g) => [mul(g, add(y, 1))]);
}

/** Square root (NaN below 0). */
export function sqrt(x: Tensor): Tensor {
  const y = unary(x, "sqrt", floatDType(x.dtype));
  return record(y, "sqrt", [x], (g) => [div(g, mul(y, 2))]);
}

/** 1 / sqrt(x). */
export function rsqrt(x: Tensor): Tensor {
  const y = unary(x, "rsqrt", floatDType(x.dtype));
  return record(y, "rsqrt", [x], (g) => [mul(g, mul(mul(y, mul(y, y)), -0.5))]);
}

/** |x|; int32 stays int32. The gradient at 0 is 0. */
export function abs(x: Tensor): Tensor {
  return record(unary(x, "abs", x.dtype), "abs", [x], (g) => [mul(g, sign(x))]);
}

/** -1, 0 or 1 by the sign of x (NaN stays NaN); int32 stays int32. Gradient 0. */
export function sign(x: Tensor): Tensor {
  return record(unary(x, "sign", x.dtype), "sign", [x], () => [zeroGradient(x)]);
}

/** x * x; int32 stays int32. */
export function square(x: Tensor): Tensor {
  return record(unary(x, "square", x.dtype), "square", [x], (g) => [mul(g, mul(x, 2))]);
}

/** 1 / x (int32 gives float32). */
export function reciprocal(x: Tensor): Tensor {
  const y = unary(x, "reciprocal", floatDType(x.dtype));
  return record(y, "reciprocal", [x], (g) => [neg(mul(g, mul(y, y)))]);
}

/** Sine (radians). */
export function sin(x: Tensor): Tensor {
  return record(unary(x, "sin", floatDType(x.dtype)), "sin", [x], (g) => [mul(g, cos(x))]);
}

/** Cosine (radians). */
export function cos(x: Tensor): Tensor {
  return record(unary(x, "cos", floatDType(x.dtype)), "cos", [x], (g) => [neg(mul(g, sin(x)))]);
}

/** Largest integer <= x; int32 stays int32. Gradient 0. */
export function floor(x: Tensor): Tensor {
  return record(unary(x, "floor", x.dtype), "floor", [x], () => [zeroGradient(x)]);
}

/** Smallest integer >= x; int32 stays int32. Gradient 0. */
export function ceil(x: Tensor): Tensor {
  return record(unary(x, "ceil", x.dtype), "ceil", [x], () => [zeroGradient(x)]);
}

/** Nearest integer, halves to even (torch.round: 0.5 -> 0, 1.5 -> 2, -2.5 -> -2); int32 stays int32. Gradient 0. */
export function round(x: Tensor): Tensor {
  return record(unary(x, "round", x.dtype), "round", [x], () => [zeroGradient(x)]);
}

const TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

/**
 * The error function, 2/sqrt(pi) * integral_0^x exp(-t^2) dt (Cody's
 * rational approximations: relative error below 1e-15 in float64).
 */
export function erf(x: Tensor): Tensor {
  return record(unary(x, "erf", floatDType(x.dtype)), "erf", [x], (g) => [
    mul(g, mul(exp(mul(mul(x, x), -1)), TWO_OVER_SQRT_PI)),
  ]);
}

declare module "../tensor.js" {
  interface Tensor {
    exp(): Tensor;
    log(): Tensor;
    log1p(): Tensor;
    expm1(): Tensor;
    sqrt(): Tensor;
    rsqrt(): Tensor;
    abs(): Tensor;
    sign(): Tensor;
    square(): Tensor;
    reciprocal(): Tensor;
    sin(): Tensor;
    cos(): Tensor;
    floor(): Tensor;
    ceil(): Tensor;
    round(): Tensor;
    erf(): Tensor;
  }
}

Tensor.prototype.exp = function (this: Tensor) {
  return exp(this);
};
Tensor.prototype.log = function (this: Tensor) {
  return log(this);
};
Tensor.prototype.log1p = function (this: Tensor) {
  return log1p(this);
};
Tensor.prototype.expm1 = function (this: Tensor) {
  return expm1(this);
};
Tensor.prototype.sqrt = function (this: Tensor) {
  return sqrt(this);
};
Tensor.prototype.rsqrt = function (this: Tensor) {
  return rsqrt(this);
};
Tensor.prototype.abs = function (this: Tensor) {
  return abs(this);
};
Tensor.prototype.sign = function (this: Tensor) {
  return sign(this);
};
Tensor.prototype.square = function (this: Tensor) {
  return square(this);
};
Tensor.prototype.reciprocal = function (this: Tensor) {
  return reciprocal(this);
};
Tensor.prototype.sin = function (this: Tensor) {
  return sin(this);
};
Tensor.prototype.cos = function (this: Tensor) {
  return cos(this);
};
Tensor.prototype.floor = function (this: Tensor) {
  return floor(this);
};
Tensor.prototype.ceil = function (this: Tensor) {
  return ceil(this);
};
Tensor.prototype.round = function (this: Tensor) {
  return round(this);
};
Tensor.prototype.erf = function (this: Tensor) {
  return erf(this);
};
