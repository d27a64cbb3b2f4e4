import type { TypedArray } from "../../tensor/dtype.js";
import { gradsOf, type ParamsLike, toParamList } from "./params.js";

export interface ClipGradNormOptions {
  /** Throw (and leave the gradients alone) when the total norm is NaN or infinite (default false, as torch). */
  errorIfNonfinite?: boolean;
}

/** The p-norm of one array (p = Infinity: the largest magnitude, NaN if any element is NaN). */
export function pNorm(data: TypedArray | Float64Array | readonly number[], p: number): number {
  if (p === Infinity) {
    let m = 0;
    for (let i = 0; i < data.length; i++) {
      const a = Math.abs(data[i]!);
      if (Number.isNaN(a)) return NaN;
      if (a > m) m = a;
    }
    return m;
  }
  let s = 0;
  if (p === 2) {
    for (let i = 0; i < data.length; i++) s += data[i]! * data[i]!;
    return Math.sqrt(s);
  }
  if (p === 1) {
    for (let i = 0; i < data.length; i++) s += Math.abs(data[i]!);
    return s;
  }
  for (let i = 0; i < data.length; i++) s += Math.abs(data[i]!) ** p;
  return s ** (1 / p);
}

/**
 * Scales all gradients together so that their joint p-norm is at most
 * `maxNorm`, in place, and returns that norm as it was before clipping.
 * Matches torch.nn.utils.clip_grad_norm_: the total norm is the p-norm of
 * the per-tensor p-norms (the largest magnitude for `Infinity`), and every
 * gradient is multiplied by `min(1, maxNorm / (total + 1e-6))`, so a norm
 * just below maxNorm is still scaled slightly. Parameters whose grad is
 * null are skipped; with no gradients at all the norm is 0. A NaN or
 * infinite total makes the gradients NaN or 0, as in torch, unless
 * `errorIfNonfinite` is set: then it throws and changes nothing.
 */
export function clipGradNorm(params: ParamsLike, maxNorm: number, normType: number | "inf" = 2, options: ClipGradNormOptions = {}): number {
  const fn = "clipGradNorm";
  if (typeof maxNorm !== "number" || !(maxNorm >= 0)) throw new RangeError(`${fn}: maxNorm must be a number >= 0, got ${String(maxNorm)}`);
  const p = normType === "inf" ? Infinity : normType;
  if (typeof p !== "number" || !(p > 0)) throw new RangeError(`${fn}: normType must be a number > 0 or Infinity, got ${String(normType)}`);
  const grads = gradsOf(fn, toParamList(fn, params));
  if (grads.length === 0) return 0;
  const norms = grads.map((g) => pNorm(g.data, p));
  const total = pNorm(norms, p);
  if (!Number.isFinite(total) && options.errorIfNonfinite) {
    throw new Error(
      `${fn}: the total ${p}-norm of the gradients is ${total}, so they cannot be clipped; the gradients were left unchanged ` +
        `(pass { errorIfNonfinite: false } to scale them by it anyway)`,
    );
  }
  // Math.min keeps NaN, as torch's clamp does.
  const coef = Math.min(maxNorm / (total + 1e-6), 1);
  if (coef !== 1) {
    for (const g of grads) {
      const d = g.data;
      for (let i = 0; i < d.length; i++) d[i] = d[i]! * coef;
    }
  }
  return total;
}
