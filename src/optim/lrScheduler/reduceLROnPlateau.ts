import { describe } from "../../schedules/schedule.js";
import { checkFinite, checkInRange, checkInteger, checkNonNegative, checkOneOf } from "../../schedules/validate.js";
import { checkNumberList, checkStateObject } from "./lrScheduler.js";
import { checkOptimizer, type OptimizerLike, perGroup } from "./optimizerLike.js";

export interface ReduceLROnPlateauOptions {
  /** "min" (default): lower metrics are better; "max": higher ones are. */
  mode?: "min" | "max";
  /** Factor applied to the lr on a plateau, in [0, 1) (default 0.1). */
  factor?: number;
  /** Bad epochs tolerated before reducing, an integer >= 0 (default 10). */
  patience?: number;
  /** Smallest improvement that counts (default 1e-4). */
  threshold?: number;
  /** "rel" (default): relative to the best; "abs": absolute. */
  thresholdMode?: "rel" | "abs";
  /** Epochs after a reduction during which bad epochs are not counted (default 0). */
  cooldown?: number;
  /** Lowest lr, or one per group (default 0). */
  minLr?: number | readonly number[];
  /** A reduction smaller than this is skipped (default 1e-8). */
  eps?: number;
}

/** Plain-data state of a ReduceLROnPlateau; `best` is null before the first metric. */
export interface ReduceLROnPlateauState {
  type: "ReduceLROnPlateau";
  lastEpoch: number;
  best: number | null;
  numBadEpochs: number;
  cooldownCounter: number;
  lastLr: number[];
}

/**
 * Reduces every group's lr by `factor` when a metric stops improving,
 * matching torch.optim.lr_scheduler.ReduceLROnPlateau. A metric `a` improves
 * on `best` when `a < best*(1 - threshold)` (min, rel), `a < best - threshold`
 * (min, abs), `a > best*(1 + threshold)` (max, rel) or `a > best + threshold`
 * (max, abs); so with negative metrics the rel modes accept slightly worse
 * values, as torch. After more than `patience` bad epochs each lr becomes
 * `max(lr*factor, minLr)` unless that changes it by `eps` or less, and
 * `cooldown` epochs follow in which bad epochs are not counted. A NaN
 * metric is a bad epoch, as in torch.
 */
export class ReduceLROnPlateau {
  readonly optimizer: OptimizerLike;
  readonly mode: "min" | "max";
  readonly factor: number;
  readonly patience: number;
  readonly threshold: number;
  readonly thresholdMode: "rel" | "abs";
  readonly cooldown: number;
  readonly minLrs: number[];
  readonly eps: number;
  lastEpoch = 0;
  /** Best metric so far; null before the first one (torch starts from +-inf). */
  best: number | null = null;
  numBadEpochs = 0;
  cooldownCounter = 0;
  private lastLr: number[];

  constructor(optimizer: OptimizerLike, options: ReduceLROnPlateauOptions = {}) {
    const fn = "ReduceLROnPlateau";
    checkOptimizer(fn, optimizer);
    if (typeof options !== "object" || options === null) throw new TypeError(`${fn}: expected an options object, got ${describe(options)}`);
    this.mode = checkOneOf(fn, "mode", options.mode ?? "min", ["min", "max"] as const);
    this.factor = checkInRange(fn, "factor", options.factor ?? 0.1, 0, 1, { hi: true });
    this.patience = checkInteger(fn, "patience", options.patience ?? 10, 0);
    this.threshold = checkFinite(fn, "threshold", options.threshold ?? 1e-4);
    this.thresholdMode = checkOneOf(fn, "thresholdMode", options.thresholdMode ?? "rel", ["rel", "abs"] as const);
    this.cooldown = checkInteger(fn, "cooldown", options.cooldown ?? 0, 0);
    this.minLrs = perGroup(fn, "minLr", options.minLr ?? 0, optimizer.paramGroups.length);
    this.minLrs.forEach((m, i) => checkNonNegative(fn, `minLr${Array.isArray(options.minLr) ? `[${i}]` : ""}`, m));
    this.eps = checkNonNegative(fn, "eps", options.eps ?? 1e-8);
    this.optimizer = optimizer;
    this.lastLr = optimizer.paramGroups.map((g) => g.lr);
  }

  /** Whether `a` improves on the best metric so far. */
  isBetter(a: number): boolean {
    // torch starts from the worst value for the mode, +-inf.
    const best = this.best ?? (this.mode === "min" ? Infinity : -Infinity);
    if (this.mode === "min") return this.thresholdMode === "rel" ? a < best * (1 - this.threshold) : a < best - this.threshold;
    return this.thresholdMode === "rel" ? a > best * (this.threshold + 1) : a > best + this.threshold;
  }

  /** Records one epoch's metric (a number or a one-element tensor) and reduces the lrs on a plateau. */
  step(metric: number | { item(): number }): void {
    const value = typeof metric === "number" ? metric : typeof metric === "object" && metric !== null && typeof metric.item === "function" ? metric.item() : undefined;
    if (typeof value !== "number") throw new TypeError(`ReduceLROnPlateau.step: metric must be a number or a one-element tensor, got ${describe(metric)}`);
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.minLrs.length) {
      throw new Error(`ReduceLROnPlateau: the optimizer now has ${groups.length} param groups, the scheduler was built for ${this.minLrs.length}`);
    }
    this.lastEpoch += 1;
    if (this.isBetter(value)) {
      this.best = value;
      this.numBadEpochs = 0;
    } else {
      this.numBadEpochs += 1;
    }
    if (this.cooldownCounter > 0) {
      this.cooldownCounter -= 1;
      this.numBadEpochs = 0;
    }
    if (this.numBadEpochs > this.patience) {
      groups.forEach((g, i) => {
        const next = Math.max(g.lr * this.factor, this.minLrs[i]!);
        if (g.lr - next > this.eps) g.lr = next;
      });
      this.cooldownCounter = this.cooldown;
      this.numBadEpochs = 0;
    }
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The lrs after the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  stateDict(): ReduceLROnPlateauState {
    return {
      type: "ReduceLROnPlateau",
      lastEpoch: this.lastEpoch,
      best: this.best,
      numBadEpochs: this.numBadEpochs,
      cooldownCounter: this.cooldownCounter,
      lastLr: [...this.lastLr],
    };
  }

  /** Restores a state from `stateDict()`; one that does not fit changes nothing. */
  loadStateDict(state: ReduceLROnPlateauState): void {
    const fn = "ReduceLROnPlateau.loadStateDict";
    const s = checkStateObject("ReduceLROnPlateau", state, "ReduceLROnPlateau");
    const lastEpoch = checkInteger(fn, "lastEpoch", s.lastEpoch, 0);
    const best = s.best === null ? null : checkFinite(fn, "best", s.best);
    const numBadEpochs = checkInteger(fn, "numBadEpochs", s.numBadEpochs, 0);
    const cooldownCounter = checkInteger(fn, "cooldownCounter", s.cooldownCounter, 0);
    const lastLr = checkNumberList(fn, "lastLr", s.lastLr, this.optimizer.paramGroups.length);
    Object.assign(this, { lastEpoch, best, numBadEpochs, cooldownCounter });
    this.lastLr = lastLr;
  }
}
