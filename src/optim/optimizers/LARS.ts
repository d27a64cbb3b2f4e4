import type { Tensor } from "../../tensor/tensor.js";
import { larsKernel } from "../kernels/lars.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { scale } from "../transforms/scale.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByTrustRatio } from "../transforms/scaleByTrustRatio.js";
import { trace } from "../transforms/trace.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkNonNegative } from "../validate.js";
import { bufferLike, withDefaults } from "./common.js";

/** LARS's options (torch-style names). */
export type LARSOptions = {
  lr: number;
  momentum: number;
  weightDecay: number;
  /** c in the local learning rate c·‖p‖/‖g + wd·p‖ (the paper's η, default 1e-3). */
  trustCoefficient: number;
  /** Added to the denominator of the trust ratio (default 0). */
  eps: number;
  nesterov: boolean;
  /** Apply the trust ratio (default true); put biases and norm scales in a group with false, as the paper does. */
  trustRatio: boolean;
  maximize: boolean;
};

/** LARS's per-parameter state: the momentum buffer of scaled steps (null without momentum). */
export type LARSState = { momentumBuffer: FloatArray | null };

/**
 * LARS, Layer-wise Adaptive Rate Scaling (You et al. 2017, "Large Batch
 * Training of Convolutional Networks", Algorithm 1). Per parameter tensor,
 * with `d = ±g + wd·p`: local rate `λ = c·‖p‖/(‖d‖ + eps)` (1 when either
 * norm is 0), `buf ← μ·buf + lr·λ·d` (buf starts at 0), `p ← p − buf`
 * (Nesterov: `p ← p − (lr·λ·d + μ·buf)`). As optax.lars, the denominator is
 * ‖g + wd·p‖ (the paper writes ‖g‖ + wd·‖p‖) and the momentum acts on the
 * scaled step. Defaults: lr 1 (the trust coefficient already makes steps
 * ~1e-3 of the weights), momentum 0.9, weightDecay 0, trustCoefficient
 * 1e-3, eps 0, nesterov false, trustRatio true, maximize false.
 * Chain: `scale(-1)?, addDecayedWeights(wd), scaleByTrustRatio({ trustCoefficient, eps })?,
 * scaleByLearningRate(lr, { flipSign: false }), trace({ decay: μ, nesterov }), scale(-1)`
 * (optax.lars's chain, with the sign flipped last so that the buffer holds `+lr·λ·d`).
 */
export class LARS extends ParamwiseOptimizer<LARSOptions, LARSState> {
  constructor(params: ParamsInput<LARSOptions>, options: Partial<LARSOptions> = {}) {
    super(
      "LARS",
      params,
      withDefaults(
        { lr: 1, momentum: 0.9, weightDecay: 0, trustCoefficient: 1e-3, eps: 0, nesterov: false, trustRatio: true, maximize: false },
        options,
      ),
    );
  }

  protected validateOptions(o: LARSOptions): void {
    checkNonNegative("LARS", "lr", o.lr);
    checkNonNegative("LARS", "momentum", o.momentum);
    checkNonNegative("LARS", "weightDecay", o.weightDecay);
    checkNonNegative("LARS", "trustCoefficient", o.trustCoefficient);
    checkNonNegative("LARS", "eps", o.eps);
    checkBoolean("LARS", "trustRatio", o.trustRatio);
    checkBoolean("LARS", "maximize", o.maximize);
    if (checkBoolean("LARS", "nesterov", o.nesterov) && !(o.momentum > 0)) {
      throw new RangeError(`LARS: nesterov requires momentum > 0, got momentum ${o.momentum}`);
    }
  }

  protected initState(): LARSState {
    return { momentumBuffer: null };
  }

  /** The momentum buffer (zeros when created), or null while momentum is 0. */
  private buffer(param: Tensor, s: LARSState, group: ParamGroup<LARSOptions>): FloatArray | null {
    if (group.momentum === 0) return null;
    s.momentumBuffer ??= bufferLike(param.data as FloatArray);
    return s.momentumBuffer;
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: LARSState, group: ParamGroup<LARSOptions>): void {
    const buf = this.buffer(param, s, group);
    larsKernel(
      param.data as FloatArray,
      g,
      buf,
      group.lr,
      group.momentum,
      group.weightDecay,
      group.trustCoefficient,
      group.eps,
      group.trustRatio,
      group.nesterov,
      group.maximize,
    );
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: LARSState, group: ParamGroup<LARSOptions>): void {
    const buf = this.buffer(param, s, group);
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      group.weightDecay !== 0 ? { tx: addDecayedWeights(group.weightDecay) } : null,
      group.trustRatio ? { tx: scaleByTrustRatio({ trustCoefficient: group.trustCoefficient, eps: group.eps }) } : null,
      { tx: scaleByLearningRate(group.lr, { flipSign: false }) },
      // count 1: the buffer starts at zero, so μ·buf + u is right from the first step (optax.trace).
      buf === null ? null : { tx: trace({ decay: group.momentum, nesterov: group.nesterov }), state: { count: 1, trace: [buf] } },
      { tx: scale(-1) },
    ]);
  }
}
