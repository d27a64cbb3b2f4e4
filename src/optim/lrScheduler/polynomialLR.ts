import { checkInteger, checkNonNegative, checkOptions } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";

export interface PolynomialLROptions {
  /** Epochs until the lr reaches 0, an integer >= 1 (default 5). */
  totalIters?: number;
  /** Power of the decay, >= 0 (default 1: linear). */
  power?: number;
  lastEpoch?: number;
}

/**
 * Decays every group's lr to 0 at `totalIters` polynomially, matching
 * torch.optim.lr_scheduler.PolynomialLR: closed form
 * `lr(e) = baseLr * (1 - min(e, totalIters) / totalIters)^power`.
 */
export class PolynomialLR extends LRScheduler {
  readonly totalIters: number;
  readonly power: number;

  constructor(optimizer: OptimizerLike, options: PolynomialLROptions = {}) {
    super("PolynomialLR", optimizer);
    checkOptions(this.name, options);
    this.totalIters = checkInteger(this.name, "totalIters", options.totalIters ?? 5, 1);
    this.power = checkNonNegative(this.name, "power", options.power ?? 1);
    this.start(options.lastEpoch ?? -1);
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const e = this.lastEpoch;
    const n = this.totalIters;
    if (e === 0 || e > n) return groups.map((g) => g.lr);
    const factor = ((1 - e / n) / (1 - (e - 1) / n)) ** this.power;
    return groups.map((g) => g.lr * factor);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => b * (1 - Math.min(this.totalIters, this.lastEpoch) / this.totalIters) ** this.power);
  }
}
