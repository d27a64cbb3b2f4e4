import { checkLeaves, floatData, requireParams } from "../base.js";
import type { FloatArray, GradientTransformation, Params, State, Updates } from "../types.js";
import { checkInRange, checkInteger } from "../validate.js";

/** lookahead's state: inner steps taken, the slow weights, and the inner (fast) optimizer's state. */
export type LookaheadState = { count: number; slow: FloatArray[]; inner: State };

/** Options of lookahead (optax's names). */
export interface LookaheadOptions {
  /** k: fast steps between synchronisations (default 5). */
  syncPeriod?: number;
  /** α: how far the slow weights move toward the fast ones, in [0, 1] (default 0.5). */
  slowStepSize?: number;
}

/**
 * Lookahead (Zhang et al. 2019, "Lookahead Optimizer: k steps forward, 1
 * step back"): the parameters are the fast weights, stepped by `inner`;
 * the state keeps slow weights φ (the parameters at init). After every k-th
 * step `φ ← φ + α(θ − φ)` and the fast weights restart from φ: the update
 * becomes `u = φ − θ_prev`. Unlike optax.lookahead (whose params are a
 * fast/slow pair) the slow weights live in the state, so it composes like
 * any transformation; needs the parameters.
 */
export function lookahead(inner: GradientTransformation, options: LookaheadOptions = {}): GradientTransformation<LookaheadState> {
  const name = "lookahead";
  const k = checkInteger(name, "syncPeriod", options.syncPeriod ?? 5, 1);
  const alpha = checkInRange(name, "slowStepSize", options.slowStepSize ?? 0.5, 0, 1, true);
  return {
    name,
    init(params: Params): LookaheadState {
      return { count: 0, slow: params.map((p, i) => floatData(name, p, i).slice()), inner: inner.init(params) };
    },
    update(updates: Updates, state: LookaheadState, params?: Params): LookaheadState {
      const ps = requireParams(name, params);
      checkLeaves(name, updates, state.slow.length, ps);
      state.inner = inner.update(updates, state.inner, ps);
      state.count += 1;
      if (state.count % k !== 0) return state;
      for (let j = 0; j < updates.length; j++) {
        const u = updates[j];
        const slow = state.slow[j];
        const x = ps[j].data;
        for (let i = 0; i < u.length; i++) {
          const s = slow[i] + alpha * (x[i] + u[i] - slow[i]);
          slow[i] = s;
          u[i] = s - x[i];
        }
      }
      return state;
    },
  };
}
