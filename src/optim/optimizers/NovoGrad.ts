import type { Tensor } from "../../tensor/tensor.js";
import { novogradKernel } from "../kernels/novograd.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { scale } from "../transforms/scale.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { scaleByNovograd, type ScaleByNovogradState } from "../transforms/scaleByNovograd.js";
import type { FloatArray } from "../types.js";
import { bufferLike, validateAdamFamily, withDefaults } from "./common.js";

/** NovoGrad's options (torch-style names, as NVIDIA NeMo's Novograd). */
export type NovoGradOptions = { lr: number; betas: readonly [number, number]; eps: number; weightDecay: number; maximize: boolean };

/**
 * NovoGrad's per-parameter state: step count, the first moment, and the
 * second moment, one number for the whole tensor (so the state is about
 * half of Adam's).
 */
export type NovoGradState = { step: number; expAvg: FloatArray; expAvgSq: number };

/**
 * NovoGrad (Ginsburg et al. 2019, "Stochastic Gradient Methods with
 * Layer-wise Adaptive Moments for Training of Deep Networks", Algorithm 1).
 * Per parameter tensor, with `d = ±g`: `v ← ‖d‖²` on the first step, then
 * `v ← β2·v + (1−β2)·‖d‖²`; `m ← β1·m + d/(√v + eps) + wd·p` (just
 * `d/(√v + eps) + wd·p` on the first step); `p ← p − lr·m`. The gradient is
 * normalised per layer before the momentum, and weight decay enters the
 * momentum as in the paper. Defaults (as NeMo's Novograd): lr 1e-3,
 * betas [0.95, 0.98], eps 1e-8, weightDecay 0, maximize false.
 * Chain: `scale(-1)?, scaleByNovograd({ b1, b2, eps, weightDecay }), scaleByLearningRate(lr)`.
 */
export class NovoGrad extends ParamwiseOptimizer<NovoGradOptions, NovoGradState> {
  constructor(params: ParamsInput<NovoGradOptions>, options: Partial<NovoGradOptions> = {}) {
    super("NovoGrad", params, withDefaults({ lr: 1e-3, betas: [0.95, 0.98], eps: 1e-8, weightDecay: 0, maximize: false }, options));
  }

  protected validateOptions(o: NovoGradOptions): void {
    validateAdamFamily("NovoGrad", o);
  }

  protected initState(param: Tensor): NovoGradState {
    return { step: 0, expAvg: bufferLike(param.data as FloatArray), expAvgSq: 0 };
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: NovoGradState, group: ParamGroup<NovoGradOptions>): void {
    s.step += 1;
    const [b1, b2] = group.betas;
    s.expAvgSq = novogradKernel(param.data as FloatArray, g, s.expAvg, s.expAvgSq, s.step === 1, group.lr, b1, b2, group.eps, group.weightDecay, group.maximize);
  }

  protected referenceUpdate(param: Tensor, g: FloatArray, s: NovoGradState, group: ParamGroup<NovoGradOptions>): void {
    const [b1, b2] = group.betas;
    const st: ScaleByNovogradState = { count: s.step, mu: [s.expAvg], nu: Float64Array.of(s.expAvgSq) };
    runReference(param, g, [
      group.maximize ? { tx: scale(-1) } : null,
      { tx: scaleByNovograd({ b1, b2, eps: group.eps, weightDecay: group.weightDecay }), state: st },
      { tx: scaleByLearningRate(group.lr) },
    ]);
    s.step = st.count;
    s.expAvgSq = st.nu[0];
  }
}
