import { promoteTypes, type TypedArray } from "../dtype.js";
import { mapBinary } from "../kernels/broadcast.js";
import { broadcastShapes } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { mul, sub } from "./arithmetic.js";
import { eq, ge } from "./compare.js";
import { applyUnary, zeroGradient } from "./elementwise-common.js";
import { log } from "./elementwise-math.js";
import { where } from "./elementwise-select.js";
import { sumToShape } from "./reshape.js";
import { type TensorLike, toTensor } from "./scalar.js";

/**
 * x^e (torch.pow), with a number or a broadcast tensor as exponent.
 * Integral exponents are exact for negative bases ((-2)^3 = -8); other
 * exponents of negative bases give NaN. x^0 = 1 for every x, 0 and NaN
 * included. An int32 tensor to a non-negative integer power stays int32
 * (wrapping on overflow like int32 arithmetic); a negative integer power of
 * an int32 tensor is an error, as in torch.
 *
 * Gradients: x gets g e x^(e-1), and 0 where e = 0 (even at x = 0, where
 * the formula would give 0 * inf); a tensor exponent gets g x^e log(x), and
 * 0 where x = 0 and e >= 0 (the limit; the formula would give NaN).
 */

/** b^e in int32 arithmetic, by repeated squaring (e >= 0 an integer). */
export function intPow(b: number, e: number): number {
  let result = 1;
  let base = b | 0;
  let n = e;
  while (n > 0) {
    if (n % 2 === 1) result = Math.imul(result, base);
    base = Math.imul(base, base);
    n = Math.floor(n / 2);
  }
  return result;
}

/**
 * C's pow (which torch uses): as Math.pow except that 1^y = 1 for every y,
 * NaN included, and (-1)^(+-Infinity) = 1, where Math.pow gives NaN.
 */
export function powC(x: number, y: number): number {
  if (x === 1 || (x === -1 && (y === Infinity || y === -Infinity))) return 1;
  return Math.pow(x, y);
}

/** The kernels behind pow; a faster backend may replace entries. */
export const powKernels = {
  /** x^e for a scalar exponent, into `out` (int32 output: e is a non-negative integer). */
  scalar(x: TypedArray, out: TypedArray, e: number): void {
    if (out instanceof Int32Array) {
      for (let i = 0; i < x.length; i++) out[i] = intPow(x[i]!, e);
    } else if (e === 2) {
      for (let i = 0; i < x.length; i++) out[i] = x[i]! * x[i]!;
    } else if (Number.isFinite(e)) {
      for (let i = 0; i < x.length; i++) out[i] = Math.pow(x[i]!, e);
    } else {
      for (let i = 0; i < x.length; i++) out[i] = powC(x[i]!, e);
    }
  },
  /** Elementwise x^e of two broadcast operands (float result). */
  binary: powC,
  /** Elementwise x^e of two int32 operands (e >= 0). */
  binaryInt: intPow,
};

function checkIntExponents(values: ArrayLike<number>, op: string): void {
  for (let i = 0; i < values.length; i++) {
    if (values[i]! < 0) throw new RangeError(`${op}: integers to negative integer powers are not allowed (exponent ${values[i]})`);
  }
}

function powScalar(x: Tensor, e: number): Tensor {
  if (typeof e !== "number") throw new TypeError(`pow: exponent must be a number or a tensor, got ${typeof e}`);
  let dtype = x.dtype;
  if (dtype === "int32") {
    if (!Number.isInteger(e)) dtype = "float32";
    else checkIntExponents([e], "pow");
  }
  const out = applyUnary(x, (data, o) => powKernels.scalar(data, o, e), dtype);
  return record(out, "pow", [x], (g) => [e === 0 ? zeroGradient(x) : mul(g, mul(pow(x, e - 1), e))]);
}

function powTensor(x: Tensor, e: Tensor): Tensor {
  broadcastShapes(x.shape, e.shape, "pow");
  const dtype = promoteTypes(x.dtype, e.dtype);
  if (dtype === "int32") checkIntExponents(e.data, "pow");
  const kernel = dtype === "int32" ? powKernels.binaryInt : powKernels.binary;
  const { data, shape } = mapBinary(x.data, x.shape, e.data, e.shape, dtype, kernel, "pow");
  const y = new Tensor(data, shape);
  return record(y, "pow", [x, e], (g) => [
    x.requiresGrad ? sumToShape(where(eq(e, 0), 0, mul(g, mul(e, pow(x, sub(e, 1))))), x.shape) : null,
    e.requiresGrad ? sumToShape(mul(g, where(mul(eq(x, 0), ge(e, 0)), 0, mul(y, log(x)))), e.shape) : null,
  ]);
}

/** x^exponent, elementwise; either may be a number, not both. */
export function pow(x: TensorLike, exponent: TensorLike): Tensor {
  if (exponent instanceof Tensor) return powTensor(x instanceof Tensor ? x : toTensor(x, exponent), exponent);
  if (!(x instanceof Tensor)) throw new TypeError(`pow: at least one operand must be a tensor, got ${x} and ${exponent}`);
  return powScalar(x, exponent);
}

declare module "../tensor.js" {
  interface Tensor {
    pow(exponent: TensorLike): Tensor;
  }
}

Tensor.prototype.pow = function (this: Tensor, exponent: TensorLike) {
  return pow(this, exponent);
};
