import { elementwise, floatData, requireParams, zerosForEach } from "../base.js";
import { chain } from "../chain.js";
import type { FloatArray, GradientTransformation, Hyper, State } from "../types.js";
import { checkNonNegative, checkPositive } from "../validate.js";
import { addDecayedWeights } from "./addDecayedWeights.js";
import { scaleByLearningRate } from "./scaleByLearningRate.js";

/**
 * COCOB's state (optax's names): the initial parameters x0, the sum of
 * negative gradients θ, the largest |g| seen L (from eps), the sum of |g|
 * G, and the reward (the coin-betting wealth won).
 */
export type ScaleByCocobState = {
  initParticles: FloatArray[];
  cumulativeGradients: FloatArray[];
  scale: FloatArray[];
  subgradients: FloatArray[];
  reward: FloatArray[];
};

/** Options of scaleByCocob. */
export interface ScaleByCocobOptions {
  /** α, bounding the fraction of wealth bet early on (default 100). */
  alpha?: number;
  /** The initial L, keeping the first division finite (default 1e-8). */
  eps?: number;
}

/**
 * COCOB-Backprop (Orabona & Tommasi 2017, "Training Deep Networks without
 * Learning Rates Through Coin Betting", Algorithm 2; optax.contrib.scale_by_cocob):
 * with g the incoming update (the gradient) and x the parameters,
 * `L ← max(L, |g|)`, `G ← G + |g|`, `R ← max(R − g·(x − x0), 0)`, `θ ← θ − g`,
 * and the new parameters `x' = x0 + θ/(L·max(G + L, αL))·(L + R)`, returned
 * as the update `u = x' − x` (so no scaleByLearningRate may follow). Needs
 * the parameters; x0 is them at init.
 */
export function scaleByCocob(options: ScaleByCocobOptions = {}): GradientTransformation<ScaleByCocobState> {
  const name = "scaleByCocob";
  const alpha = checkNonNegative(name, "alpha", options.alpha ?? 100);
  const eps = checkPositive(name, "eps", options.eps ?? 1e-8);
  return elementwise(
    name,
    (params) => ({
      initParticles: params.map((p, i) => floatData(name, p, i).slice()),
      cumulativeGradients: zerosForEach(name, params),
      scale: zerosForEach(name, params).map((b) => b.fill(eps)),
      subgradients: zerosForEach(name, params),
      reward: zerosForEach(name, params),
    }),
    {
      leafCount: (s) => s.scale.length,
      begin(_state, _updates, params) {
        requireParams(name, params);
      },
      apply(state, leaf, u, p, lo, hi) {
        const x = p!;
        const x0 = state.initParticles[leaf];
        const theta = state.cumulativeGradients[leaf];
        const L = state.scale[leaf];
        const G = state.subgradients[leaf];
        const R = state.reward[leaf];
        for (let i = lo; i < hi; i++) {
          const g = u[i];
          const l = Math.max(L[i], Math.abs(g));
          const gs = G[i] + Math.abs(g);
          const r = Math.max(R[i] - g * (x[i] - x0[i]), 0);
          const t = theta[i] - g;
          L[i] = l;
          G[i] = gs;
          R[i] = r;
          theta[i] = t;
          u[i] = x0[i] + (t / (l * Math.max(gs + l, alpha * l))) * (l + r) - x[i];
        }
      },
    },
  );
}

/** Options of the cocob alias. */
export interface CocobOptions extends ScaleByCocobOptions {
  /** L2 penalty added to the gradient (default 0). */
  weightDecay?: number;
}

/**
 * COCOB (optax.contrib.cocob): coin-betting SGD with no learning rate to
 * tune; `learningRate` (default 1) only rescales the gradients, to which
 * COCOB is invariant except through eps (a schedule changes it over time).
 *
 * `chain(addDecayedWeights(wd), scaleByLearningRate(lr, { flipSign: false }), scaleByCocob({ alpha, eps }))`
 */
export function cocob(learningRate: Hyper = 1, options: CocobOptions = {}): GradientTransformation<State[]> {
  return chain(
    addDecayedWeights(options.weightDecay ?? 0),
    scaleByLearningRate(learningRate, { flipSign: false }),
    scaleByCocob({ alpha: options.alpha, eps: options.eps }),
  );
}
