import { describe } from "../../schedules/schedule.js";
import { checkInteger, checkNonNegative, checkOptions } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";

export interface MultiStepLROptions {
  /** Epochs at which to decay (integers >= 0; any order; a repeated one decays by gamma^count). */
  milestones: readonly number[];
  /** Factor per milestone (default 0.1). */
  gamma?: number;
  lastEpoch?: number;
}

/**
 * Multiplies every group's lr by `gamma` at each milestone, matching
 * torch.optim.lr_scheduler.MultiStepLR: closed form
 * `lr(e) = baseLr * gamma^(number of milestones <= e)`. Repeated milestones
 * count once each, as torch's Counter does.
 */
export class MultiStepLR extends LRScheduler {
  readonly milestones: readonly number[];
  readonly gamma: number;
  private readonly counts = new Map<number, number>();

  constructor(optimizer: OptimizerLike, options: MultiStepLROptions) {
    super("MultiStepLR", optimizer);
    checkOptions(this.name, options);
    if (!Array.isArray(options.milestones)) throw new TypeError(`${this.name}: milestones must be an array of epochs, got ${describe(options.milestones)}`);
    this.milestones = options.milestones.map((m, i) => checkInteger(this.name, `milestones[${i}]`, m, 0)).sort((a, b) => a - b);
    for (const m of this.milestones) this.counts.set(m, (this.counts.get(m) ?? 0) + 1);
    this.gamma = checkNonNegative(this.name, "gamma", options.gamma ?? 0.1);
    this.start(options.lastEpoch ?? -1);
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const count = this.counts.get(this.lastEpoch);
    if (count === undefined) return groups.map((g) => g.lr);
    return groups.map((g) => g.lr * this.gamma ** count);
  }

  protected override closedFormLr(): number[] {
    let passed = 0;
    while (passed < this.milestones.length && this.milestones[passed]! <= this.lastEpoch) passed++;
    return this.baseLrs.map((b) => b * this.gamma ** passed);
  }
}
