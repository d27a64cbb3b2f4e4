import { checkFinite, checkOptions, checkPositive } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";

export interface CosineAnnealingLROptions {
  /** Half period of the cosine in epochs (torch's T_max), > 0. */
  tMax: number;
  /** Lowest lr (torch's eta_min, default 0). */
  etaMin?: number;
  lastEpoch?: number;
}

/** Python's `%`: the result takes the divisor's sign. */
function pyMod(a: number, b: number): number {
  return ((a % b) + b) % b;
}

/**
 * Cosine annealing (Loshchilov & Hutter, SGDR, without restarts), matching
 * torch.optim.lr_scheduler.CosineAnnealingLR: closed form
 * `lr(e) = etaMin + (baseLr - etaMin) * (1 + cos(pi * e / tMax)) / 2`.
 * Like torch it keeps following the cosine after tMax, climbing back to the
 * base lr at 2*tMax. Steps use torch's recursive form, so that it composes
 * with other schedulers in a ChainedScheduler.
 */
export class CosineAnnealingLR extends LRScheduler {
  readonly tMax: number;
  readonly etaMin: number;

  constructor(optimizer: OptimizerLike, options: CosineAnnealingLROptions) {
    super("CosineAnnealingLR", optimizer);
    checkOptions(this.name, options);
    this.tMax = checkPositive(this.name, "tMax", options.tMax);
    this.etaMin = checkFinite(this.name, "etaMin", options.etaMin ?? 0);
    this.start(options.lastEpoch ?? -1);
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups;
    const e = this.lastEpoch;
    const { tMax: t, etaMin: m } = this;
    if (e === 0) return groups.map((g) => g.lr);
    if (this.stepCount === 1 && e > 0) {
      // The first step after resuming: nothing recursive to build on.
      return this.baseLrs.map((b) => m + ((b - m) * (1 + Math.cos((e * Math.PI) / t))) / 2);
    }
    if (pyMod(e - 1 - t, 2 * t) === 0) {
      // The cosine's trough, where the recursive ratio would divide by zero.
      return groups.map((g, i) => g.lr + ((this.baseLrs[i]! - m) * (1 - Math.cos(Math.PI / t))) / 2);
    }
    const ratio = (1 + Math.cos((Math.PI * e) / t)) / (1 + Math.cos((Math.PI * (e - 1)) / t));
    return groups.map((g) => ratio * (g.lr - m) + m);
  }

  protected override closedFormLr(): number[] {
    return this.baseLrs.map((b) => this.etaMin + ((b - this.etaMin) * (1 + Math.cos((Math.PI * this.lastEpoch) / this.tMax))) / 2);
  }
}
