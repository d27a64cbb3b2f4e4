import { chain } from "../chain.js";
import type { GradientTransformation, State } from "../types.js";
import { checkNonNegative, checkNumber } from "../validate.js";
import { clipByBlockRms } from "./clipByBlockRms.js";
import { scaleByFactoredRms } from "./scaleByFactoredRms.js";
import { scaleByParamBlockRms } from "./scaleByParamBlockRms.js";

/** Options of scaleByAdafactor (torch.optim.Adafactor's names). */
export interface ScaleByAdafactorOptions {
  /** τ in `β̂₂ₜ = 1 − t^τ` (default −0.8). */
  beta2Decay?: number;
  /** [ε₁, ε₂]: ε₁ floors the second moment (null: the dtype's machine epsilon), ε₂ the parameter scale (default [null, 1e-3]). */
  eps?: readonly [number | null, number];
  /** Clipping threshold d on the RMS of the scaled update (default 1; must be >= 1). */
  d?: number;
}

/** Reads and checks Adafactor's eps pair and d for `owner`. */
export function adafactorHyper(owner: string, o: ScaleByAdafactorOptions): { eps1: number | null; eps2: number; d: number } {
  const eps = o.eps ?? [null, 1e-3];
  if (!Array.isArray(eps) || eps.length !== 2) throw new TypeError(`${owner}: eps must be a pair [eps1 | null, eps2], got ${String(eps)}`);
  const eps1 = eps[0] === null ? null : checkNonNegative(owner, "eps[0]", eps[0]);
  const eps2 = checkNonNegative(owner, "eps[1]", eps[1]);
  const d = checkNumber(owner, "d", o.d ?? 1);
  if (!(d >= 1)) throw new RangeError(`${owner}: d must be >= 1, got ${d}`);
  return { eps1, eps2, d };
}

/**
 * Adafactor's update direction before the relative step size (Shazeer &
 * Stern 2018, torch.optim.Adafactor): `U = G/√max(V̂, ε₁²)` from the factored
 * second moment (scaleByFactoredRms), clipped to RMS at most d
 * (`Û = U/max(1, RMS(U)/d)`, clipByBlockRms), times the parameter scale
 * `max(ε₂, RMS(θ))` (scaleByParamBlockRms). The adafactor alias multiplies
 * it by the relative step `min(lr, 1/√t)`.
 *
 * `chain(scaleByFactoredRms({ beta2Decay, eps1 }), clipByBlockRms(d), scaleByParamBlockRms(eps2))`
 */
export function scaleByAdafactor(options: ScaleByAdafactorOptions = {}): GradientTransformation<State[]> {
  const { eps1, eps2, d } = adafactorHyper("scaleByAdafactor", options);
  return chain(scaleByFactoredRms({ beta2Decay: options.beta2Decay, eps1 }), clipByBlockRms(d), scaleByParamBlockRms(eps2));
}
