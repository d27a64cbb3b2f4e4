import type { Tensor } from "../../tensor/tensor.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { scaleByCocob, type ScaleByCocobState } from "../transforms/cocob.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { checkNonNegative, checkPositive } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** COCOB's options. */
export type COCOBOptions = {
  /** Rescales the gradients (default 1): COCOB has no step size; schedulers may drive this. */
  lr: number;
  /** α, bounding the fraction of wealth bet early on (default 100). */
  alpha: number;
  /** The initial L, keeping the first division finite (default 1e-8). */
  eps: number;
  /** L2 penalty added to the gradient (default 0). */
  weightDecay: number;
};

/** COCOB's per-parameter state: x0, θ = −Σg, L = max|g|, G = Σ|g| and the reward. */
export type COCOBState = { initParticles: FloatArray; cumulativeGradients: FloatArray; scale: FloatArray; subgradients: FloatArray; reward: FloatArray };

/**
 * COCOB-Backprop (Orabona & Tommasi 2017, "Training Deep Networks without
 * Learning Rates Through Coin Betting", Algorithm 2; optax.contrib.cocob):
 * per element, with g = lr·(∇ + wd·x), `L ← max(L, |g|)`, `G ← G + |g|`,
 * `R ← max(R − g·(x − x0), 0)`, `θ ← θ − g`,
 * `x ← x0 + θ/(L·max(G + L, αL))·(L + R)`. No learning rate to tune: the
 * bet grows with the wealth won. Defaults: lr 1, alpha 100, eps 1e-8,
 * weightDecay 0. Chain: `addDecayedWeights(wd), scaleByLearningRate(lr, { flipSign: false }), scaleByCocob(...)`.
 */
export class COCOB extends ParamwiseOptimizer<COCOBOptions, COCOBState> {
  constructor(params: ParamsInput<COCOBOptions>, options: Partial<COCOBOptions> = {}) {
    super("COCOB", params, withDefaults({ lr: 1, alpha: 100, eps: 1e-8, weightDecay: 0 }, options));
  }

  protected validateOptions(o: COCOBOptions): void {
    checkNonNegative(this.name, "lr", o.lr);
    checkNonNegative(this.name, "alpha", o.alpha);
    checkPositive(this.name, "eps", o.eps);
    checkNonNegative(this.name, "weightDecay", o.weightDecay);
  }

  protected initState(param: Tensor, group: ParamGroup<COCOBOptions>): COCOBState {
    const p = param.data as FloatArray;
    return {
      initParticles: p.slice(),
      cumulativeGradients: bufferLike(p),
      scale: bufferLike(p, group.eps),
      subgradients: bufferLike(p),
      reward: bufferLike(p),
    };
  }

  protected fusedUpdate(param: Tensor, grad: FloatArray, s: COCOBState, group: ParamGroup<COCOBOptions>): void {
    const x = param.data as FloatArray;
    const { initParticles: x0, cumulativeGradients: theta, scale: L, subgradients: G, reward: R } = s;
    const { lr, weightDecay: wd, alpha } = group;
    for (let i = 0; i < x.length; i++) {
      const xi = x[i];
      const g = lr * (grad[i] + wd * xi);
      const l = Math.max(L[i], Math.abs(g));
      const gs = G[i] + Math.abs(g);
      const r = Math.max(R[i] - g * (xi - x0[i]), 0);
      const t = theta[i] - g;
      L[i] = l;
      G[i] = gs;
      R[i] = r;
      theta[i] = t;
      x[i] = x0[i] + (t / (l * Math.max(gs + l, alpha * l))) * (l + r);
    }
  }

  protected referenceUpdate(param: Tensor, grad: FloatArray, s: COCOBState, group: ParamGroup<COCOBOptions>): void {
    const state: ScaleByCocobState = {
      initParticles: [s.initParticles],
      cumulativeGradients: [s.cumulativeGradients],
      scale: [s.scale],
      subgradients: [s.subgradients],
      reward: [s.reward],
    };
    runReference(param, grad, [
      group.weightDecay !== 0 ? { tx: addDecayedWeights(group.weightDecay) } : null,
      { tx: scaleByLearningRate(group.lr, { flipSign: false }) },
      { tx: scaleByCocob({ alpha: group.alpha, eps: group.eps }), state },
    ]);
  }
}
