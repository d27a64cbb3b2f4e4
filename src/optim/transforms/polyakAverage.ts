import { elementwise, requireParams, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation } from "../types.js";
import { checkNumber } from "../validate.js";

/** The average's state: steps taken, the next averaging weight, the averaged parameters. */
export type PolyakAverageState = { count: number; mu: number; ax: FloatArray[] };

/** Options of polyakAverage. */
export interface PolyakAverageOptions {
  /** Step after which averaging starts (default 1e6, torch.optim.ASGD's). */
  t0?: number;
}

/**
 * Keeps a running (Polyak–Ruppert) average of the parameters the updates
 * lead to, leaving the updates unchanged; put it last in a chain. With
 * `p' = p + u`: `ax ← p'` while `μ = 1`, else `ax ← ax + μ(p' − ax)`; then
 * `μ ← 1/max(1, t − t0)`. This is the averaging of torch.optim.ASGD
 * (Polyak & Juditsky 1992).
 */
export function polyakAverage(options: PolyakAverageOptions = {}): GradientTransformation<PolyakAverageState> {
  const t0 = checkNumber("polyakAverage", "t0", options.t0 ?? 1e6);
  let mu = 1;
  return elementwise("polyakAverage", (params) => ({ count: 0, mu: 1, ax: zerosForEach("polyakAverage", params) }), {
    leafCount: (s) => s.ax.length,
    begin(state, _updates, params) {
      requireParams("polyakAverage", params);
      state.count += 1;
      mu = state.mu;
      state.mu = 1 / Math.max(1, state.count - t0);
    },
    apply(state, leaf, u, p, lo, hi) {
      const ax = state.ax[leaf];
      const q = p!;
      if (mu === 1) for (let i = lo; i < hi; i++) ax[i] = q[i] + u[i];
      else for (let i = lo; i < hi; i++) ax[i] += mu * (q[i] + u[i] - ax[i]);
    },
  });
}
