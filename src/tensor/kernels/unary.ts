import type { TypedArray } from "../dtype.js";
import { erf } from "./unaryErf.js";

/**
 * Reference kernels of the elementwise math ops: each writes f(x[i]) into
 * out[i] for every i. `out` has x's length and may be of another dtype
 * (int32 input, float32 output); storing into it rounds. The ops look the
 * kernels up in `unaryKernels` at call time, so a faster backend may replace
 * entries. Hot kernels are written as explicit loops; the rare ones share
 * `mapInto`.
 */
export type UnaryKernel = (x: TypedArray, out: TypedArray) => void;

/** out[i] = f(x[i]); for kernels where a per-element call does not matter. */
export function mapInto(x: TypedArray, out: TypedArray, f: (v: number) => number): void {
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
}

/**
 * Round half to even, as torch.round and numpy.round do (Math.round
 * rounds halves up: Math.round(-2.5) = -2, torch.round(-2.5) = -2, but
 * Math.round(2.5) = 3 where torch gives 2).
 */
export function roundHalfEven(v: number): number {
  const r = Math.round(v);
  return r - v === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** Sign as -1, 0 or 1 (NaN stays NaN, -0 gives 0). */
export function signOf(v: number): number {
  return v > 0 ? 1 : v < 0 ? -1 : v === 0 ? 0 : v;
}

export const unaryKernels = {
  exp(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) out[i] = Math.exp(x[i]!);
  },
  log(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) out[i] = Math.log(x[i]!);
  },
  log1p(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) out[i] = Math.log1p(x[i]!);
  },
  expm1(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) out[i] = Math.expm1(x[i]!);
  },
  sqrt(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) out[i] = Math.sqrt(x[i]!);
  },
  rsqrt(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) out[i] = 1 / Math.sqrt(x[i]!);
  },
  abs(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) out[i] = Math.abs(x[i]!);
  },
  square(x: TypedArray, out: TypedArray): void {
    if (out instanceof Int32Array) {
      // Exact int32 wrap-around: v * v in doubles loses low bits beyond 2^53.
      for (let i = 0; i < x.length; i++) out[i] = Math.imul(x[i]!, x[i]!);
      return;
    }
    for (let i = 0; i < x.length; i++) {
      const v = x[i]!;
      out[i] = v * v;
    }
  },
  reciprocal(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) out[i] = 1 / x[i]!;
  },
  sign(x: TypedArray, out: TypedArray): void {
    mapInto(x, out, signOf);
  },
  sin(x: TypedArray, out: TypedArray): void {
    mapInto(x, out, Math.sin);
  },
  cos(x: TypedArray, out: TypedArray): void {
    mapInto(x, out, Math.cos);
  },
  floor(x: TypedArray, out: TypedArray): void {
    mapInto(x, out, Math.floor);
  },
  ceil(x: TypedArray, out: TypedArray): void {
    mapInto(x, out, Math.ceil);
  },
  round(x: TypedArray, out: TypedArray): void {
    mapInto(x, out, roundHalfEven);
  },
  erf(x: TypedArray, out: TypedArray): void {
    mapInto(x, out, erf);
  },
  /** 1 where finite, else 0 (into an int32 mask). */
  isFinite(x: TypedArray, out: TypedArray): void {
    for (let i = 0; i < x.length; i++) out[i] = Number.isFinite(x[i]!) ? 1 : 0;
  },
} satisfies Record<string, UnaryKernel>;

export type UnaryKernelName = keyof typeof unaryKernels;
