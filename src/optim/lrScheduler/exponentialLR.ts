import { checkNonNegative, checkOptions } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";

export interface ExponentialLROptions {
  /** Factor per epoch. */
  gamma: number;
  lastEpoch?: number;
}

/**
 * Multiplies every group's lr by `gamma` each epoch, matching
 * torch.optim.lr_scheduler.ExponentialLR: closed form `lr(e) = baseLr * gamma^e`.
 */
export class ExponentialLR extends LRScheduler {
  readonly gamma: number;

  constructor(optimizer: OptimizerLike, options: ExponentialLROptions) {
    super("ExponentialLR", optimizer);
    checkOptions(this.name, options);
    this.gamma = checkNonNegative(this.name, "gamma", options.gamma);
    this.start(options.lastEpoch ?? -1);
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * this.gamma ** this.lastEpoch);
  }
}
