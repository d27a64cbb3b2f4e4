import { checkNonNegative, checkInteger, checkOptions } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";

export interface StepLROptions {
  /** Epochs between two decays (torch's step_size), an integer >= 1. */
  stepSize: number;
  /** Factor per decay (default 0.1). */
  gamma?: number;
  /** Epoch to resume from (default -1: a fresh start). */
  lastEpoch?: number;
}

/**
 * Multiplies every group's lr by `gamma` each `stepSize` epochs, matching
 * torch.optim.lr_scheduler.StepLR: closed form
 * `lr(e) = baseLr * gamma^floor(e / stepSize)`.
 */
export class StepLR extends LRScheduler {
  readonly stepSize: number;
  readonly gamma: number;

  constructor(optimizer: OptimizerLike, options: StepLROptions) {
    super("StepLR", optimizer);
    checkOptions(this.name, options);
    this.stepSize = checkInteger(this.name, "stepSize", options.stepSize, 1);
    this.gamma = checkNonNegative(this.name, "gamma", options.gamma ?? 0.1);
    this.start(options.lastEpoch ?? -1);
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0 || this.lastEpoch % this.stepSize !== 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** Math.floor(this.lastEpoch / this.stepSize));
  }
}
