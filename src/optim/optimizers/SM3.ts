import type { Tensor } from "../../tensor/tensor.js";
import { sm3Step } from "../kernels/sm3.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { scale } from "../transforms/scale.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleBySm3, sm3Accumulators } from "../transforms/scaleBySm3.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkInRange, checkNonNegative } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** SM3's options (optax.scale_by_sm3's, with PyTorch-style names). */
export type SM3Options = {
  lr: number;
  /** Decay β₁ of the momentum of the scaled updates (optax's b1). */
  momentum: number;
  /** Decay β₂ of the accumulators (optax's b2): 1 sums squared gradients as in the paper. */
  beta2: number;
  eps: number;
  maximize: boolean;
};

/** SM3's per-parameter state: the cover accumulators (one per axis, or one per element for vectors) and the momentum. */
export type SM3State = { accumulators: FloatArray[]; momentumBuffer: FloatArray };

/**
 * SM3 (Anil, Gupta, Koren & Singer 2019), as optax.sm3: for every element,
 * `a = g² + min_r μ_r[i_r]` over its covers (the rows and columns of a
 * matrix; every element of a vector), `μ_r[k] ← max{a : i_r = k}`,
 * `ν ← β₁ν + (1−β₁)·g/√(a + eps)`, `p ← p − lr·ν`. With β₂ < 1 the sums
 * become EMAs: `a = (1−β₂)g² + β₂·min_r μ_r[i_r]`. Adagrad-like adaptivity
 * for m + n numbers per m×n matrix.
 * Defaults: lr 0.1, momentum 0.9, beta2 1, eps 1e-8, maximize false.
 * Chain: `scale(-1)?, scaleBySm3({ b1: momentum, b2: beta2, eps }), scaleByLearningRate(lr)`.
 */
export class SM3 extends ParamwiseOptimizer<SM3Options, SM3State> {
  constructor(params: ParamsInput<SM3Options>, options: Partial<SM3Options> = {}) {
    super("SM3", params, withDefaults<SM3Options>({ lr: 0.1, momentum: 0.9, beta2: 1, eps: 1e-8, maximize: false }, options));
  }

  protected validateOptions(o: SM3Options): void {
    checkNonNegative(this.name, "lr", o.lr);
    checkInRange(this.name, "momentum", o.momentum, 0, 1);
    checkInRange(this.name, "beta2", o.beta2, 0, 1, true);
    checkNonNegative(this.name, "eps", o.eps);
    checkBoolean(this.name, "maximize", o.maximize);
  }

  protected initState(param: Tensor): SM3State {
    const p = param.data as FloatArray;
    return { accumulators: sm3Accumulators(p, param.shape), momentumBuffer: bufferLike(p) };
  }

  private scratch = new Float64Array(0);

  protected fusedUpdate(param: Tensor, g: FloatArray, s: SM3State, group: ParamGroup<SM3Options>): void {
    const p = param.data as FloatArray;
    const n = p.length;
    if (this.scratch.length < n) this.scratch = new Float64Array(n);
    const u = this.scratch.subarray(0, n);
    if (group.maximize) for (let i = 0; i < n; i++) u[i] = -g[i];
    else u.set(g);
    sm3Step(u, param.shape, s.accumulators, s.momentumBuffer, group.momentum, group.beta2, group.eps, u);
    const lr = group.lr;
    for (let i = 0; i < n; i++) p[i] -= lr * u[i];
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: SM3State, group: ParamGroup<SM3Options>): void {
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      { tx: scaleBySm3({ b1: group.momentum, b2: group.beta2, eps: group.eps }), state: { mu: [s.accumulators], nu: [s.momentumBuffer] } },
      { tx: scaleByLearningRate(group.lr) },
    ]);
  }
}
