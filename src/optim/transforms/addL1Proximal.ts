import { elementwise, hyperAt, requireParams } from "../base.js";
import type { GradientTransformation, Hyper } from "../types.js";
import { checkHyper } from "../validate.js";
import type { CountState } from "./scaleByLearningRate.js";

/**
 * Proximal step for an L1 penalty λ‖w‖₁ (soft-thresholding, as in ISTA /
 * proximal gradient descent; Parikh & Boyd, "Proximal Algorithms", 2014,
 * §6.5.2): after the gradient step w' = w + u, the parameter becomes
 * sign(w')·max(|w'| − τ, 0), written as the update u ← prox(w + u) − w.
 * Place it last in a chain (after `scaleByLearningRate`), with
 * τ = lr·λ (a number or a schedule of the step count). Unlike the
 * subgradient `addL1Penalty`, weights land exactly on zero: sparse models.
 */
export function addL1Proximal(threshold: Hyper): GradientTransformation<CountState> {
  checkHyper("addL1Proximal", "threshold", threshold);
  if (typeof threshold === "number" && !(threshold >= 0)) throw new RangeError(`addL1Proximal: threshold must be >= 0, got ${threshold}`);
  let tau = 0;
  return elementwise("addL1Proximal", () => ({ count: 0 }), {
    leafCount: () => undefined,
    begin(state, _updates, params) {
      requireParams("addL1Proximal", params);
      tau = hyperAt(threshold, state.count);
      if (!(tau >= 0)) throw new RangeError(`addL1Proximal: the threshold must be >= 0, got ${tau} at step ${state.count}`);
      state.count += 1;
    },
    apply(_state, _leaf, u, p, lo, hi) {
      const w = p!;
      for (let i = lo; i < hi; i++) {
        const next = w[i]! + u[i]!;
        const shrunk = next > tau ? next - tau : next < -tau ? next + tau : 0;
        u[i] = shrunk - w[i]!;
      }
    },
  });
}
