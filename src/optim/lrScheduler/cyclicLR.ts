import { type CyclicMode, cyclicPosition, cyclicScale } from "../../schedules/cyclic.js";
import { checkBoolean, checkFunction, checkOneOf, checkPositive } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import { type MomentumField, momentumField, type OptimizerLike, perGroup } from "./optimizerLike.js";

export interface CyclicLROptions {
  /** Lower lr of the cycle, or one per group. */
  baseLr: number | readonly number[];
  /** Upper lr of the cycle, or one per group. */
  maxLr: number | readonly number[];
  /** Steps rising from baseLr to maxLr (default 2000). */
  stepSizeUp?: number;
  /** Steps falling back (default stepSizeUp). */
  stepSizeDown?: number;
  /** "triangular" (default), "triangular2" (halve the amplitude each cycle) or "exp_range" (times gamma^step). */
  mode?: CyclicMode;
  /** exp_range's factor (default 1). */
  gamma?: number;
  /** Custom amplitude factor; replaces mode. */
  scaleFn?: (x: number) => number;
  /** Argument of scaleFn: the cycle number or the step (default "cycle"). */
  scaleMode?: "cycle" | "iterations";
  /** Cycle momentum (or betas[0]) opposite to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak (default 0.8), or one per group. */
  baseMomentum?: number | readonly number[];
  /** Momentum at the lr's trough (default 0.9), or one per group. */
  maxMomentum?: number | readonly number[];
  lastEpoch?: number;
}

/**
 * Cyclical learning rates (Smith, 2017), matching
 * torch.optim.lr_scheduler.CyclicLR: each step,
 * `lr = baseLr + (maxLr - baseLr) * height * scale` and, with cycleMomentum,
 * `momentum = maxMomentum - (maxMomentum - baseMomentum) * height * scale`,
 * where height goes 0 -> 1 over stepSizeUp steps and back over stepSizeDown
 * (see `nb.schedules.cyclic`). Meant to step after every batch. Unlike torch
 * 1.13, an optimizer with betas (Adam) has its betas[0] cycled, as torch >= 2.
 */
export class CyclicLR extends LRScheduler {
  readonly maxLrs: number[];
  readonly stepSizeUp: number;
  readonly stepSizeDown: number;
  readonly scaleMode: "cycle" | "iterations";
  private readonly scaleFn: (x: number) => number;
  private readonly momentum: { field: MomentumField; base: number[]; max: number[] } | null;

  constructor(optimizer: OptimizerLike, options: CyclicLROptions) {
    super("CyclicLR", optimizer);
    const fn = this.name;
    if (typeof options !== "object" || options === null) throw new TypeError(`${fn}: expected an options object`);
    const n = optimizer.paramGroups.length;
    const baseLrs = perGroup(fn, "baseLr", options.baseLr, n);
    this.maxLrs = perGroup(fn, "maxLr", options.maxLr, n);
    this.stepSizeUp = checkPositive(fn, "stepSizeUp", options.stepSizeUp ?? 2000);
    this.stepSizeDown = checkPositive(fn, "stepSizeDown", options.stepSizeDown ?? this.stepSizeUp);
    const gamma = checkPositive(fn, "gamma", options.gamma ?? 1);
    if (options.scaleFn !== undefined) {
      this.scaleFn = checkFunction(fn, "scaleFn", options.scaleFn);
      this.scaleMode = checkOneOf(fn, "scaleMode", options.scaleMode ?? "cycle", ["cycle", "iterations"] as const);
    } else {
      const mode = checkOneOf(fn, "mode", options.mode ?? "triangular", ["triangular", "triangular2", "exp_range"] as const);
      ({ scaleFn: this.scaleFn, scaleMode: this.scaleMode } = cyclicScale(mode, gamma));
    }
    if (checkBoolean(fn, "cycleMomentum", options.cycleMomentum ?? true)) {
      this.momentum = {
        field: momentumField(fn, optimizer),
        base: perGroup(fn, "baseMomentum", options.baseMomentum ?? 0.8, n),
        max: perGroup(fn, "maxMomentum", options.maxMomentum ?? 0.9, n),
      };
    } else {
      this.momentum = null;
    }
    this.start(options.lastEpoch ?? -1, { baseLrs, overwriteInitialLr: false });
  }

  /** The height fraction (0 at baseLr, 1 at maxLr) and the amplitude factor at the current epoch. */
  private position(): { height: number; scale: number } {
    const { cycle, height } = cyclicPosition(this.lastEpoch, this.stepSizeUp, this.stepSizeDown);
    return { height, scale: this.scaleFn(this.scaleMode === "cycle" ? cycle : this.lastEpoch) };
  }

  protected computeLr(): number[] {
    const { height, scale } = this.position();
    return this.baseLrs.map((b, i) => b + (this.maxLrs[i]! - b) * height * scale);
  }

  protected override computeMomentum(): { field: MomentumField; values: number[] } | null {
    if (!this.momentum) return null;
    const { height, scale } = this.position();
    const { base, max, field } = this.momentum;
    return { field, values: max.map((m, i) => m - (m - base[i]!) * height * scale) };
  }
}
