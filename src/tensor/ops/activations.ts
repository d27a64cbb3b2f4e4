import { type DType, type TypedArray } from "../dtype.js";
import {
  activationKernels,
  GELU_TANH_CUBIC,
  GELU_TANH_SCALE,
  SELU_ALPHA,
  SELU_SCALE,
} from "../kernels/unaryActivation.js";
import { record, Tensor } from "../tensor.js";
import { add, mul, sub } from "./arithmetic.js";
import { gt, lt } from "./compare.js";
import { applyUnary, checkNumber, floatDType } from "./elementwise-common.js";
import { erf, exp } from "./elementwise-math.js";
import { clamp } from "./elementwise-minmax.js";
import { where } from "./elementwise-select.js";

/**
 * Activation functions (torch.nn.functional's, same defaults). Forward
 * passes run the kernels in kernels/unaryActivation.ts; int32 input gives
 * float32 (relu keeps int32). Gradients follow torch 1.13 at the kinks:
 * relu'(0) = 0, leakyRelu'(0) = slope, elu'(0) = alpha, hardtanh passes
 * the gradient only strictly inside (min, max). Backward rules are tensor
 * ops, so second derivatives work.
 */

function activation(x: Tensor, kernel: (data: TypedArray, out: TypedArray) => void, dtype: DType = floatDType(x.dtype)): Tensor {
  return applyUnary(x, kernel, dtype);
}

/** exp(min(x, 0)): the negative branch's exp, which cannot overflow on the positive side. */
function expNonPositive(x: Tensor): Tensor {
  return exp(clamp(x, null, 0));
}

/** max(x, 0); int32 stays int32. The gradient at 0 is 0. */
export function relu(x: Tensor): Tensor {
  const y = activation(x, (d, o) => activationKernels.relu(d, o), x.dtype);
  return record(y, "relu", [x], (g) => [where(gt(x, 0), g, 0)]);
}

/** min(max(x, 0), 6), which is hardtanh(x, 0, 6) (as in torch): gradient only strictly inside (0, 6). */
export function relu6(x: Tensor): Tensor {
  return hardtanh(x, 0, 6);
}

/** x where x > 0, else negativeSlope * x. The gradient at 0 is negativeSlope. */
export function leakyRelu(x: Tensor, negativeSlope = 0.01): Tensor {
  const slope = checkNumber(negativeSlope, "leakyRelu", "negativeSlope");
  const y = activation(x, (d, o) => activationKernels.leakyRelu(d, o, slope));
  return record(y, "leakyRelu", [x], (g) => [where(gt(x, 0), g, mul(g, slope))]);
}

/** x where x > 0, else alpha (exp(x) - 1) (Clevert et al. 2015). The gradient at 0 is alpha. */
export function elu(x: Tensor, alpha = 1): Tensor {
  const a = checkNumber(alpha, "elu", "alpha");
  const y = activation(x, (d, o) => activationKernels.elu(d, o, a, 1));
  return record(y, "elu", [x], (g) => [where(gt(x, 0), g, mul(g, mul(expNonPositive(x), a)))]);
}

/**
 * scale * elu(x, alpha) with alpha = 1.6732632423543772 and scale =
 * 1.0507009873554805 (self-normalising networks, Klambauer et al. 2017).
 */
export function selu(x: Tensor): Tensor {
  const y = activation(x, (d, o) => activationKernels.elu(d, o, SELU_ALPHA, SELU_SCALE));
  return record(y, "selu", [x], (g) => [where(gt(x, 0), mul(g, SELU_SCALE), mul(g, mul(expNonPositive(x), SELU_SCALE * SELU_ALPHA)))]);
}

const INV_SQRT_2PI = 1 / Math.sqrt(2 * Math.PI);

/**
 * Gaussian error linear unit (Hendrycks & Gimpel 2016): x Phi(x) =
 * 0.5 x (1 + erf(x / sqrt(2))) with `approximate: "none"`, or
 * 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))) with `"tanh"`.
 * Gradient: Phi(x) + x phi(x) (phi the normal density), or the tanh form's
 * derivative.
 */
export function gelu(x: Tensor, approximate: "none" | "tanh" = "none"): Tensor {
  if (approximate !== "none" && approximate !== "tanh") {
    throw new RangeError(`gelu: approximate must be "none" or "tanh", got ${String(approximate)}`);
  }
  if (approximate === "tanh") {
    const y = activation(x, (d, o) => activationKernels.geluTanh(d, o));
    return record(y, "gelu", [x], (g) => {
      const x2 = mul(x, x);
      const t = tanh(mul(add(x, mul(mul(x2, x), GELU_TANH_CUBIC)), GELU_TANH_SCALE));
      const outer = mul(add(t, 1), 0.5);
      const inner = mul(mul(mul(x, sub(1, mul(t, t))), add(mul(x2, 3 * GELU_TANH_CUBIC), 1)), 0.5 * GELU_TANH_SCALE);
      return [mul(g, add(outer, inner))];
    });
  }
  const y = activation(x, (d, o) => activationKernels.gelu(d, o));
  return record(y, "gelu", [x], (g) => {
    const cdf = mul(add(erf(mul(x, Math.SQRT1_2)), 1), 0.5);
    const pdf = mul(exp(mul(mul(x, x), -0.5)), INV_SQRT_2PI);
    return [mul(g, add(cdf, mul(x, pdf)))];
  });
}

/** x sigmoid(x) (SiLU, also called swish). */
export function silu(x: Tensor): Tensor {
  const y = activation(x, (d, o) => activationKernels.silu(d, o));
  return record(y, "silu", [x], (g) => {
    const s = sigmoid(x);
    return [mul(g, mul(s, add(mul(x, sub(1, s)), 1)))];
  });
}

/** 1 / (1 + exp(-x)), computed without overflow for large |x|. Gradient y (1 - y). */
export function sigmoid(x: Tensor): Tensor {
  const y = activation(x, (d, o) => activationKernels.sigmoid(d, o));
  return record(y, "sigmoid", [x], (g) => [mul(g, mul(y, sub(1, y)))]);
}

/** log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), finite for any x. Gradient sigmoid(-x). */
export function logSigmoid(x: Tensor): Tensor {
  const y = activation(x, (d, o) => activationKernels.logSigmoid(d, o));
  return record(y, "logSigmoid", [x], (g) => [mul(g, sigmoid(mul(x, -1)))]);
}

/** Hyperbolic tangent. Gradient 1 - y^2. */
export function tanh(x: Tensor): Tensor {
  const y = activation(x, (d, o) => activationKernels.tanh(d, o));
  return record(y, "tanh", [x], (g) => [mul(g, sub(1, mul(y, y)))]);
}

/**
 * log(1 + exp(beta x)) / beta, computed as (max(z, 0) + log1p(exp(-|z|))) / beta
 * with z = beta x; exactly x where beta x > threshold (strictly, as torch:
 * at beta x == threshold the log form is used). Gradient sigmoid(beta x),
 * or 1 beyond the threshold.
 */
export function softplus(x: Tensor, beta = 1, threshold = 20): Tensor {
  const b = checkNumber(beta, "softplus", "beta");
  const th = checkNumber(threshold, "softplus", "threshold");
  if (b === 0 || !Number.isFinite(b)) throw new RangeError(`softplus: beta must be finite and non-zero, got ${beta}`);
  const y = activation(x, (d, o) => activationKernels.softplus(d, o, b, th));
  return record(y, "softplus", [x], (g) => {
    // The same test as the kernel's, in doubles, so forward and backward agree at the threshold.
    const linear = activation(x, (d, o) => activationKernels.softplusLinear(d, o, b, th), "int32");
    return [where(linear, g, mul(g, sigmoid(mul(x, b))))];
  });
}

/** x tanh(softplus(x)) (Misra 2019), softplus without threshold. */
export function mish(x: Tensor): Tensor {
  const y = activation(x, (d, o) => activationKernels.mish(d, o));
  return record(y, "mish", [x], (g) => {
    const t = tanh(softplus(x, 1, Infinity));
    return [mul(g, add(t, mul(mul(x, sub(1, mul(t, t))), sigmoid(x))))];
  });
}

/**
 * min(max(x, minVal), maxVal). The gradient passes only strictly inside
 * (minVal, maxVal) (torch's hardtanh; clamp includes the bounds).
 */
export function hardtanh(x: Tensor, minVal = -1, maxVal = 1): Tensor {
  const lo = checkNumber(minVal, "hardtanh", "minVal");
  const hi = checkNumber(maxVal, "hardtanh", "maxVal");
  if (lo > hi) throw new RangeError(`hardtanh: minVal must not exceed maxVal, got ${minVal} > ${maxVal}`);
  const y = activation(x, (d, o) => activationKernels.hardtanh(d, o, lo, hi));
  return record(y, "hardtanh", [x], (g) => [where(mul(gt(x, lo), lt(x, hi)), g, 0)]);
}

declare module "../tensor.js" {
  interface Tensor {
    relu(): Tensor;
    relu6(): Tensor;
    leakyRelu(negativeSlope?: number): Tensor;
    elu(alpha?: number): Tensor;
    selu(): Tensor;
    gelu(approximate?: "none" | "tanh"): Tensor;
    silu(): Tensor;
    sigmoid(): Tensor;
    logSigmoid(): Tensor;
    tanh(): Tensor;
    softplus(beta?: number, threshold?: number): Tensor;
    mish(): Tensor;
    hardtanh(minVal?: number, maxVal?: number): Tensor;
  }
}

Tensor.prototype.relu = function (this: Tensor) {
  return relu(this);
};
Tensor.prototype.relu6 = function (this: Tensor) {
  return relu6(this);
};
Tensor.prototype.leakyRelu = function (this: Tensor, negativeSlope?: number) {
  return leakyRelu(this, negativeSlope);
};
Tensor.prototype.elu = function (this: Tensor, alpha?: number) {
  return elu(this, alpha);
};
Tensor.prototype.selu = function (this: Tensor) {
  return selu(this);
};
Tensor.prototype.gelu = function (this: Tensor, approximate?: "none" | "tanh") {
  return gelu(this, approximate);
};
Tensor.prototype.silu = function (this: Tensor) {
  return silu(this);
};
Tensor.prototype.sigmoid = function (this: Tensor) {
  return sigmoid(this);
};
Tensor.prototype.logSigmoid = function (this: Tensor) {
  return logSigmoid(this);
};
Tensor.prototype.tanh = function (this: Tensor) {
  return tanh(this);
};
Tensor.prototype.softplus = function (this: Tensor, beta?: number, threshold?: number) {
  return softplus(this, beta, threshold);
};
Tensor.prototype.mish = function (this: Tensor) {
  return mish(this);
};
Tensor.prototype.hardtanh = function (this: Tensor, minVal?: number, maxVal?: number) {
  return hardtanh(this, minVal, maxVal);
};
