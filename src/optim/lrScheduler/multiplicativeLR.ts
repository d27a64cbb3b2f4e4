import { checkOptions } from "../../schedules/validate.js";
import { type LrLambda, lambdasPerGroup } from "./lambdaLR.js";
import { LRScheduler } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";

export interface MultiplicativeLROptions {
  /** Factor applied to the current lr at each epoch, or one function per group. */
  lrLambda: LrLambda | readonly LrLambda[];
  lastEpoch?: number;
}

/**
 * Multiplies every group's lr by `lrLambda(epoch)` at each step from epoch
 * 1 on (`lrLambda(0)` is never called), matching
 * torch.optim.lr_scheduler.MultiplicativeLR:
 * `lr(e) = baseLr * prod_{k=1..e} lrLambda(k)`.
 */
export class MultiplicativeLR extends LRScheduler {
  private readonly lambdas: LrLambda[];

  constructor(optimizer: OptimizerLike, options: MultiplicativeLROptions) {
    super("MultiplicativeLR", optimizer);
    checkOptions(this.name, options);
    this.lambdas = lambdasPerGroup(this.name, options.lrLambda, optimizer.paramGroups.length);
    this.start(options.lastEpoch ?? -1);
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    if (this.lastEpoch <= 0) return groups.map((g) => g.lr);
    return groups.map((g, i) => g.lr * this.lambdas[i]!(this.lastEpoch));
  }
}
