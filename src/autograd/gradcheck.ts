import { Generator } from "../tensor/random.js";
import { Tensor } from "../tensor/tensor.js";
import { propagate } from "./backward.js";
import { noGrad } from "./noGrad.js";

export interface GradcheckOptions {
  /** Finite-difference step. */
  eps?: number;
  atol?: number;
  rtol?: number;
  /** Seed of the random upstream gradient. */
  seed?: number;
}

export interface GradcheckResult {
  ok: boolean;
  /** Largest |analytic - numeric| over all checked entries. */
  maxAbsError: number;
  /** A description of the worst entry, for failure messages. */
  worst: string;
}

/**
 * Compares the analytic gradient of `f` with central finite differences
 * (f(x + eps e_i) - f(x - eps e_i)) / 2 eps, in float64. For a non-scalar
 * output it checks the vector-Jacobian product with a random upstream
 * gradient v (every output element weighted), one backward pass against 2n
 * forward passes. Throws with the worst entry when `|a - n| > atol + rtol |n|`.
 */
export function gradcheck(f: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const result = gradcheckResult(f, inputs, options);
  if (!result.ok) throw new Error(`gradcheck failed: ${result.worst}`);
  return result;
}

/** `gradcheck` without throwing. */
export function gradcheckResult(f: (...inputs: Tensor[]) => Tensor, inputs: Tensor[], options: GradcheckOptions = {}): GradcheckResult {
  const eps = options.eps ?? 1e-6;
  const atol = options.atol ?? 1e-5;
  const rtol = options.rtol ?? 1e-3;
  for (const [i, x] of inputs.entries()) {
    if (x.requiresGrad && x.dtype !== "float64") {
      throw new TypeError(`gradcheck: input ${i} must be float64 for finite differences to be accurate, got ${x.dtype}`);
    }
  }
  const leaves = inputs.map((x) => (x.requiresGrad ? x.detach().requiresGrad_() : x));
  const out = f(...leaves);
  const gen = new Generator(options.seed ?? 1234);
  const v = new Tensor(Float64Array.from({ length: out.size }, () => gen.random() * 2 - 1), out.shape);
  const analytic = out.requiresGrad ? propagate([out], [out.dtype === "float64" ? v : new Tensor(Float32Array.from(v.data), v.shape)]) : new Map<Tensor, Tensor>();
  const project = (t: Tensor): number => {
    let s = 0;
    for (let k = 0; k < t.size; k++) s += t.data[k]! * v.data[k]!;
    return s;
  };
  let maxAbsError = 0;
  let worst = "all entries agree";
  let worstScore = 0;
  let ok = true;
  noGrad(() => {
    leaves.forEach((x, i) => {
      if (!x.requiresGrad) return;
      const g = analytic.get(x);
      for (let k = 0; k < x.size; k++) {
        const orig = x.data[k]!;
        x.data[k] = orig + eps;
        const plus = project(f(...leaves));
        x.data[k] = orig - eps;
        const minus = project(f(...leaves));
        x.data[k] = orig;
        const numeric = (plus - minus) / (2 * eps);
        const a = g === undefined ? 0 : g.data[k]!;
        const err = Math.abs(a - numeric);
        const score = err / (atol + rtol * Math.abs(numeric));
        maxAbsError = Math.max(maxAbsError, err);
        if (!(score <= 1)) ok = false;
        if (!(score <= worstScore)) {
          worstScore = score;
          worst = `input ${i}, element ${k}: analytic ${a}, numeric ${numeric} (|diff| ${err})`;
        }
      }
    });
  });
  return { ok, maxAbsError, worst };
}
