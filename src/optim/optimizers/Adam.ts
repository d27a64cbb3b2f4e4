import type { ParamsInput } from "../optimizer.js";
import { adamDefaults, AdamCore, type AdamOptions } from "./adamCore.js";
import { withDefaults } from "./common.js";

export type { AdamFloatState, AdamOptions, AdamState, AdamStateDtype } from "./adamCore.js";

/**
 * Adam (Kingma & Ba 2015), matching torch.optim.Adam: `g ← ±g + wd·p`
 * (coupled L2), `m ← b1·m + (1−b1)g`, `v ← b2·v + (1−b2)g²`,
 * `p ← p − lr/(1−b1^t) · m/(√v/√(1−b2^t) + eps)`; amsgrad (Reddi et al.
 * 2018) uses `max(v̂, v)`. Defaults: lr 1e-3, betas [0.9, 0.999], eps 1e-8,
 * weightDecay 0, amsgrad false, maximize false.
 * `stateDtype: "bf16" | "8bit"` keeps the moments in bfloat16 or block-wise
 * 8-bit form (4 or ≈ 2 bytes per element instead of 8), stepping exactly
 * as LowPrecisionAdam (decoupled false); not with amsgrad.
 * Chain: `scale(-1)?, addWeightDecay(wd), scaleByAdam(...), scaleByLearningRate(lr)`.
 */
export class Adam extends AdamCore {
  constructor(params: ParamsInput<AdamOptions>, options: Partial<AdamOptions> = {}) {
    super("Adam", params, adamDefaults(withDefaults({ lr: 1e-3, betas: [0.9, 0.999], eps: 1e-8, weightDecay: 0, amsgrad: false, maximize: false }, options)), false);
  }
}
