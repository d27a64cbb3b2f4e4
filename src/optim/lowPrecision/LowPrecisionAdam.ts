import type { Tensor } from "../../tensor/tensor.js";
import type { ParamGroup, ParamsInput } from "../optimizer.js";
import { withDefaults } from "../optimizers/common.js";
import { ParamwiseOptimizer, runReference } from "../paramwise.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { addWeightDecay } from "../transforms/addWeightDecay.js";
import { scale } from "../transforms/scale.js";
import { scaleByAdam, type ScaleByAdamState } from "../transforms/scaleByAdam.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import type { FloatArray } from "../types.js";
import { checkBetas, checkBoolean, checkInteger, checkNonNegative } from "../validate.js";
import {
  freshMoments,
  lowPrecisionAdamStep,
  momentLayoutFor,
  momentLayoutOf,
  withDecodedMoments,
  type LowPrecisionAdamState,
  type MomentLayout,
  type StateDtype,
} from "./moments.js";

export type { LowPrecisionAdamState, StateDtype } from "./moments.js";

/** LowPrecisionAdam's options: torch.optim.Adam's (without amsgrad) plus the storage. */
export type LowPrecisionAdamOptions = {
  lr: number;
  betas: readonly [number, number];
  eps: number;
  weightDecay: number;
  maximize: boolean;
  /** AdamW's decoupled decay `p ← p(1 − lr·wd)` (true) or Adam's `g ← g + wd·p` (false). */
  decoupled: boolean;
  stateDtype: StateDtype;
  /** With "8bit", parameters with fewer elements keep float moments (bitsandbytes' min_8bit_size); 0 quantises all. */
  min8bitSize: number;
};

function layoutFor(n: number, group: LowPrecisionAdamOptions): MomentLayout {
  return momentLayoutFor(n, group.stateDtype, group.min8bitSize);
}

/**
 * Adam/AdamW with memory-light moments, for small devices: "bf16" keeps
 * both moments as bfloat16 (round-to-nearest-even; 4 bytes of state per
 * parameter instead of 8), "8bit" in block-wise quantised form (Dettmers et
 * al. 2022, "8-bit Optimizers via Block-wise Quantization": blocks of 2048,
 * the dynamic map, signed for m and unsigned for v, one absmax per block;
 * ≈ 2 bytes per parameter). Each step decodes the moments, updates them in
 * double (`m ← β1·m + (1−β1)g`, `v ← β2·v + (1−β2)g²`), steps
 * `p ← p − lr/(1−β1^t) · m/(√v/√(1−β2^t) + eps)` with the unrounded new
 * moments (as bitsandbytes), and encodes them again. Weight decay is
 * Adam's (`g ← g + wd·p`) or, with `decoupled`, AdamW's. Defaults: lr 1e-3,
 * betas [0.9, 0.999], eps 1e-8, weightDecay 0, maximize false, decoupled
 * false, stateDtype "8bit", min8bitSize 4096. With `fused = false` it runs
 * Adam's chain of transformations on the decoded moments instead.
 */
export class LowPrecisionAdam extends ParamwiseOptimizer<LowPrecisionAdamOptions, LowPrecisionAdamState> {
  constructor(params: ParamsInput<LowPrecisionAdamOptions>, options: Partial<LowPrecisionAdamOptions> = {}, name = "LowPrecisionAdam") {
    const defaults: LowPrecisionAdamOptions = {
      lr: 1e-3,
      betas: [0.9, 0.999],
      eps: 1e-8,
      weightDecay: 0,
      maximize: false,
      decoupled: false,
      stateDtype: "8bit",
      min8bitSize: 4096,
    };
    super(name, params, withDefaults(defaults, options));
  }

  protected validateOptions(o: LowPrecisionAdamOptions): void {
    const n = this.name;
    checkNonNegative(n, "lr", o.lr);
    checkBetas(n, o.betas);
    checkNonNegative(n, "eps", o.eps);
    checkNonNegative(n, "weightDecay", o.weightDecay);
    checkBoolean(n, "maximize", o.maximize);
    checkBoolean(n, "decoupled", o.decoupled);
    if (o.stateDtype !== "bf16" && o.stateDtype !== "8bit") {
      throw new RangeError(`${n}: stateDtype must be "bf16" or "8bit", got ${JSON.stringify(o.stateDtype)}`);
    }
    checkInteger(n, "min8bitSize", o.min8bitSize, 0);
  }

  protected initState(param: Tensor, group: ParamGroup<LowPrecisionAdamOptions>): LowPrecisionAdamState {
    const p = param.data as FloatArray;
    return freshMoments(p, layoutFor(p.length, group));
  }

  /** Throws when the group's storage options changed after the state was made (the moments would be misread). */
  private checkLayout(param: Tensor, s: LowPrecisionAdamState, group: ParamGroup<LowPrecisionAdamOptions>): void {
    const want = layoutFor(param.data.length, group);
    const have = momentLayoutOf(s);
    if (want !== have) {
      throw new Error(`${this.name}.step: a parameter's moments are stored as ${have} but its group now asks for ${want}; stateDtype and min8bitSize cannot change after the first step`);
    }
  }

  protected override checkGradients(): void {
    super.checkGradients();
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        const s = this.state.get(p);
        if (s !== undefined && p.grad !== null) this.checkLayout(p, s, group);
      }
    }
  }

  protected fusedUpdate(param: Tensor, g: FloatArray, s: LowPrecisionAdamState, group: ParamGroup<LowPrecisionAdamOptions>): void {
    lowPrecisionAdamStep(param.data as FloatArray, g, s, group, group.decoupled);
  }

  /** Decodes the moments, runs Adam's chain on them (sharing nothing else), and encodes them again. */
  protected referenceUpdate(param: Tensor, g: FloatArray, s: LowPrecisionAdamState, group: ParamGroup<LowPrecisionAdamOptions>): void {
    withDecodedMoments(s, param.data.length, (mF, vF) => {
      const [b1, b2] = group.betas;
      const adamState: ScaleByAdamState = { count: s.step, mu: [mF], nu: [vF], nuMax: null };
      const wd = group.weightDecay;
      runReference(param, g, [
        group.maximize ? { tx: scale(-1) } : null,
        !group.decoupled && wd !== 0 ? { tx: addWeightDecay(wd) } : null,
        { tx: scaleByAdam({ b1, b2, eps: group.eps }), state: adamState },
        group.decoupled && wd !== 0 ? { tx: addDecayedWeights(wd) } : null,
        { tx: scaleByLearningRate(group.lr) },
      ]);
      s.step = adamState.count;
    });
  }
}

/** Adam with block-wise 8-bit moments (bitsandbytes' Adam8bit): `new LowPrecisionAdam(params, { stateDtype: "8bit" })`. */
export class Adam8bit extends LowPrecisionAdam {
  constructor(params: ParamsInput<LowPrecisionAdamOptions>, options: Partial<Omit<LowPrecisionAdamOptions, "stateDtype" | "decoupled">> = {}) {
    super(params, { ...options, stateDtype: "8bit", decoupled: false }, "Adam8bit");
  }
}

/** AdamW with block-wise 8-bit moments (bitsandbytes' AdamW8bit); weightDecay defaults to 1e-2 as torch's AdamW. */
export class AdamW8bit extends LowPrecisionAdam {
  constructor(params: ParamsInput<LowPrecisionAdamOptions>, options: Partial<Omit<LowPrecisionAdamOptions, "stateDtype" | "decoupled">> = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 1e-2, stateDtype: "8bit", decoupled: true }, "AdamW8bit");
  }
}

/** AdamW with bfloat16 moments; weightDecay defaults to 1e-2 as torch's AdamW. */
export class AdamWBf16 extends LowPrecisionAdam {
  constructor(params: ParamsInput<LowPrecisionAdamOptions>, options: Partial<Omit<LowPrecisionAdamOptions, "stateDtype" | "decoupled">> = {}) {
    super(params, { ...options, weightDecay: options.weightDecay ?? 1e-2, stateDtype: "bf16", decoupled: true }, "AdamWBf16");
  }
}
