import type { ParamsInput } from "../optimizer.js";
import { adamDefaults, AdamCore, type AdamOptions } from "./adamCore.js";
import { withDefaults } from "./common.js";

/**
 * AdamW (Loshchilov & Hutter 2019), matching torch.optim.AdamW: decoupled
 * weight decay `p ← p(1 − lr·wd)`, then the Adam step on the unmodified
 * gradient. Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8, weightDecay
 * 1e-2, amsgrad false, maximize false.
 * `stateDtype: "bf16" | "8bit"` keeps the moments in bfloat16 or block-wise
 * 8-bit form (4 or ≈ 2 bytes per element instead of 8), stepping exactly
 * as AdamWBf16 / AdamW8bit; not with amsgrad.
 * Chain: `scale(-1)?, scaleByAdam(...), addDecayedWeights(wd), scaleByLearningRate(lr)`.
 */
export class AdamW extends AdamCore {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super("AdamW", params, adamDefaults(withDefaults({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 1e-2, amsgrad: false, maximize: false }, options)), true);
  }
}
