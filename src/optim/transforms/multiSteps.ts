import { zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation, Params, State, Updates } from "../types.js";
import { checkBoolean, checkInteger } from "../validate.js";

/** multiSteps' state: calls since the last real step, real steps taken, the accumulated gradients, the inner state. */
export type MultiStepsState = { miniStep: number; gradientStep: number; accGrads: FloatArray[]; inner: State };

/** Options of multiSteps. */
export interface MultiStepsOptions {
  /** Calls accumulated per real step (k). */
  everyK: number;
  /** Average the k gradients (default true) instead of summing them. */
  useMean?: boolean;
}

/**
 * Gradient accumulation (optax.MultiSteps): each call adds the incoming
 * updates to an accumulator; the first k−1 calls of every k emit zero
 * updates, and the k-th passes the mean (or sum) of the k gradients through
 * `inner` and resets. With SGD, k accumulated small batches equal one step on
 * their union.
 */
export function multiSteps(inner: GradientTransformation, options: MultiStepsOptions): GradientTransformation<MultiStepsState> {
  const k = checkInteger("multiSteps", "everyK", options.everyK, 1);
  const useMean = checkBoolean("multiSteps", "useMean", options.useMean ?? true);
  return {
    name: "multiSteps",
    init(params: Params): MultiStepsState {
      return { miniStep: 0, gradientStep: 0, accGrads: zerosForEach("multiSteps", params), inner: inner.init(params) };
    },
    update(updates: Updates, state: MultiStepsState, params?: Params): MultiStepsState {
      if (updates.length !== state.accGrads.length) {
        throw new Error(`multiSteps: got ${updates.length} update buffers but the state was initialized for ${state.accGrads.length}`);
      }
      const last = state.miniStep + 1 === k;
      const factor = useMean ? 1 / k : 1;
      for (let j = 0; j < updates.length; j++) {
        const u = updates[j];
        const acc = state.accGrads[j];
        if (last) {
          for (let i = 0; i < u.length; i++) {
            u[i] = (acc[i] + u[i]) * factor;
            acc[i] = 0;
          }
        } else {
          for (let i = 0; i < u.length; i++) {
            acc[i] += u[i];
            u[i] = 0;
          }
        }
      }
      if (!last) {
        state.miniStep += 1;
        return state;
      }
      state.inner = inner.update(updates, state.inner, params);
      state.miniStep = 0;
      state.gradientStep += 1;
      return state;
    },
  };
}
