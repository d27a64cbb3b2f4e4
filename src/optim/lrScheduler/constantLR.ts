import { checkInRange, checkInteger, checkOptions } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";

export interface ConstantLROptions {
  /** Factor applied until totalIters, in (0, 1] (default 1/3). */
  factor?: number;
  /** Epoch at which the factor is removed (default 5). */
  totalIters?: number;
  lastEpoch?: number;
}

/**
 * Scales every group's lr by `factor` for the first `totalIters` epochs,
 * matching torch.optim.lr_scheduler.ConstantLR: closed form
 * `lr(e) = baseLr * (e < totalIters ? factor : 1)`. torch also accepts
 * factor 0, which makes its recursive form divide by zero at totalIters; it
 * is refused here.
 */
export class ConstantLR extends LRScheduler {
  readonly factor: number;
  readonly totalIters: number;

  constructor(optimizer: OptimizerLike, options: ConstantLROptions = {}) {
    super("ConstantLR", optimizer);
    checkOptions(this.name, options);
    this.factor = checkInRange(this.name, "factor", options.factor ?? 1 / 3, 0, 1, { lo: true });
    this.totalIters = checkInteger(this.name, "totalIters", options.totalIters ?? 5, 0);
    this.start(options.lastEpoch ?? -1);
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch === 0) return groups.map((g) => g.lr * this.factor);
    if (this.lastEpoch !== this.totalIters) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * (1 / this.factor));
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (this.factor + (this.lastEpoch >= this.totalIters ? 1 : 0) * (1 - this.factor)));
  }
}
