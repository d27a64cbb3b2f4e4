import type { GradientTransformation, Params, State, Updates } from "../types.js";
import { checkNonNegative } from "../validate.js";

/** applyIfFinite's state: the inner state and counts of skipped steps. */
export type ApplyIfFiniteState = {
  /** Non-finite steps in a row, up to the last one. */
  notfiniteCount: number;
  lastFinite: boolean;
  /** Non-finite steps since init. */
  totalNotfinite: number;
  inner: State;
};

/** Options of applyIfFinite. */
export interface ApplyIfFiniteOptions {
  /** Throw instead of skipping once this many non-finite steps come in a row (default Infinity). */
  maxConsecutiveErrors?: number;
}

/** True when every element of every buffer is finite (0·x is NaN exactly for NaN and ±Infinity). */
export function allFinite(updates: Updates): boolean {
  let probe = 0;
  for (const u of updates) for (let i = 0; i < u.length; i++) probe += u[i] * 0;
  return probe === 0;
}

/**
 * Skips a step whose incoming updates hold a NaN or an infinity: the inner
 * transformation is not called (its state stays as it was), the updates are
 * set to zero so applyUpdates leaves the parameters alone, and the skip is
 * counted (optax.apply_if_finite, which checks the inner's output instead;
 * checking the input keeps the inner state untouched without a copy). After
 * `maxConsecutiveErrors` skips in a row it throws rather than let the run
 * go on silently.
 */
export function applyIfFinite(inner: GradientTransformation, options: ApplyIfFiniteOptions = {}): GradientTransformation<ApplyIfFiniteState> {
  const maxErrors = checkNonNegative("applyIfFinite", "maxConsecutiveErrors", options.maxConsecutiveErrors ?? Infinity);
  return {
    name: "applyIfFinite",
    init(params: Params): ApplyIfFiniteState {
      return { notfiniteCount: 0, lastFinite: true, totalNotfinite: 0, inner: inner.init(params) };
    },
    update(updates: Updates, state: ApplyIfFiniteState, params?: Params): ApplyIfFiniteState {
      if (allFinite(updates)) {
        state.inner = inner.update(updates, state.inner, params);
        state.notfiniteCount = 0;
        state.lastFinite = true;
        return state;
      }
      if (state.notfiniteCount + 1 > maxErrors) {
        throw new Error(`applyIfFinite: ${state.notfiniteCount + 1} non-finite updates in a row (maxConsecutiveErrors = ${maxErrors}); stopping`);
      }
      for (const u of updates) u.fill(0);
      state.notfiniteCount += 1;
      state.totalNotfinite += 1;
      state.lastFinite = false;
      return state;
    },
  };
}
