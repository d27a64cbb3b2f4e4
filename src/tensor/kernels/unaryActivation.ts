import type { TypedArray } from "../dtype.js";
import { erf } from "./unaryErf.js";

/**
 * Reference kernels of the activation functions, one explicit loop each
 * (these run on every layer of every step). `out` has x's length; the
 * arithmetic is done in doubles and rounded on the store. The forms avoid
 * overflow: exp is only ever taken of a non-positive number. The ops look
 * kernels up in `activationKernels` at call time, so a faster backend may
 * replace entries.
 */

/** sqrt(2/pi), the scale inside gelu's tanh approximation. */
export const GELU_TANH_SCALE = Math.sqrt(2 / Math.PI);
/** The cubic coefficient of gelu's tanh approximation. */
export const GELU_TANH_CUBIC = 0.044715;
/** selu's constants (Klambauer et al. 2017, as in torch.nn.SELU). */
export const SELU_ALPHA = 1.6732632423543772;
export const SELU_SCALE = 1.0507009873554805;

/** 1 / (1 + exp(-v)) without overflow for either sign of v. */
export function sigmoidOf(v: number): number {
  if (v >= 0) return 1 / (1 + Math.exp(-v));
  const e = Math.exp(v);
  return e / (1 + e);
}

/** log(1 + exp(z)) as max(z, 0) + log1p(exp(-|z|)): exact for large |z|. */
export function softplusOf(z: number): number {
  return (z > 0 ? z : 0) + Math.log1p(Math.exp(-Math.abs(z)));
}

export const activationKernels = {
  /** max(x, 0); NaN stays NaN. */
  relu(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v > 0 || v !== v ? v : 0;
    }
  },
  /** x where x > 0, else slope * x. */
  leakyRelu(x: TypedArray, out: TypedArray, slope: number): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v > 0 ? v : v * slope;
    }
  },
  /** scale * (x where x > 0, else alpha * (exp(x) - 1)); elu has scale 1. */
  elu(x: TypedArray, out: TypedArray, alpha: number, scale: number): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = scale * (v > 0 ? v : alpha * Math.expm1(v));
    }
  },
  /** min(max(x, lo), hi); NaN stays NaN. */
  hardtanh(x: TypedArray, out: TypedArray, lo: number, hi: number): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v < lo ? lo : v > hi ? hi : v;
    }
  },
  sigmoid(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      if (v >= 0) {
        out[i] = 1 / (1 + Math.exp(-v));
      } else {
        const e = Math.exp(v);
        out[i] = e / (1 + e);
      }
    }
  },
  /** log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)). */
  logSigmoid(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = (v < 0 ? v : 0) - Math.log1p(Math.exp(-Math.abs(v)));
    }
  },
  tanh(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) out[i] = Math.tanh(x[i]!);
  },
  /** x * sigmoid(x). */
  silu(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v * sigmoidOf(v);
    }
  },
  /** log(1 + exp(beta x)) / beta, or x where beta x > threshold. */
  softplus(x: TypedArray, out: TypedArray, beta: number, threshold: number): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      const z = v * beta;
      out[i] = z > threshold ? v : softplusOf(z) / beta;
    }
  },
  /** 1 where softplus is the identity (beta x > threshold), else 0: the mask its gradient needs. */
  softplusLinear(x: TypedArray, out: TypedArray, beta: number, threshold: number): void {
    for (let i = 0; i < x.length; i++) out[i] = x[i]! * beta > threshold ? 1 : 0;
  },
  /** x * tanh(softplus(x)), with no threshold. */
  mish(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v * Math.tanh(softplusOf(v));
    }
  },
  /** 0.5 x (1 + erf(x / sqrt(2))). */
  gelu(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = 0.5 * v * (1 + erf(v * Math.SQRT1_2));
    }
  },
  /** 0.5 x (1 + tanh(sqrt(2/pi) (x + 0.044715 x^3))). */
  geluTanh(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = 0.5 * v * (1 + Math.tanh(GELU_TANH_SCALE * (v + GELU_TANH_CUBIC * v * v * v)));
    }
  },
};
