import { describe } from "../../schedules/schedule.js";
import { checkFinite, checkInteger, checkOptions } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";

export interface CosineAnnealingWarmRestartsOptions {
  /** Length of the first cycle in epochs (torch's T_0), an integer >= 1. */
  t0: number;
  /** Each cycle is tMult times longer than the previous (torch's T_mult), an integer >= 1 (default 1). */
  tMult?: number;
  /** Lowest lr (default 0). */
  etaMin?: number;
  lastEpoch?: number;
}

/**
 * SGDR, cosine annealing with warm restarts (Loshchilov & Hutter, 2017),
 * matching torch.optim.lr_scheduler.CosineAnnealingWarmRestarts:
 * `lr = etaMin + (baseLr - etaMin) * (1 + cos(pi * tCur / tI)) / 2`, where
 * tCur counts epochs since the last restart and tI is the current cycle's
 * length (t0, t0*tMult, t0*tMult^2, ...). `step(epoch)` accepts fractional
 * epochs (e.g. `epoch + batch / batches`), as torch.
 */
export class CosineAnnealingWarmRestarts extends LRScheduler {
  readonly t0: number;
  readonly tMult: number;
  readonly etaMin: number;
  /** Length of the current cycle (torch's T_i). */
  tI: number;
  /** Epochs since the last restart (torch's T_cur). */
  tCur: number;

  constructor(optimizer: OptimizerLike, options: CosineAnnealingWarmRestartsOptions) {
    super("CosineAnnealingWarmRestarts", optimizer);
    checkOptions(this.name, options);
    this.t0 = checkInteger(this.name, "t0", options.t0, 1);
    this.tMult = checkInteger(this.name, "tMult", options.tMult ?? 1, 1);
    this.etaMin = checkFinite(this.name, "etaMin", options.etaMin ?? 0);
    this.tI = this.t0;
    this.tCur = options.lastEpoch ?? -1;
    this.start(options.lastEpoch ?? -1);
  }

  protected computeLr(): number[] {
    const m = this.etaMin;
    return this.baseLrs.map((b) => m + ((b - m) * (1 + Math.cos((Math.PI * this.tCur) / this.tI))) / 2);
  }

  /** Where `epoch` falls: the cycle's length and the position in it. */
  private locate(epoch: number): { tI: number; tCur: number } {
    if (epoch < this.t0) return { tI: this.t0, tCur: epoch };
    if (this.tMult === 1) return { tI: this.t0, tCur: epoch % this.t0 };
    // Walk the cycles instead of torch's log formula, which can round onto the wrong cycle.
    let start = 0;
    let length = this.t0;
    while (epoch >= start + length) {
      start += length;
      length *= this.tMult;
    }
    return { tI: length, tCur: epoch - start };
  }

  protected override prepareAdvance(epoch: number | undefined): () => void {
    if (epoch !== undefined && (typeof epoch !== "number" || !Number.isFinite(epoch) || epoch < 0)) {
      throw new RangeError(`${this.name}.step: epoch must be a finite number >= 0, got ${describe(epoch)}`);
    }
    const before = { tI: this.tI, tCur: this.tCur };
    if (epoch === undefined && this.lastEpoch < 0) epoch = 0;
    let next: number;
    if (epoch === undefined) {
      next = this.lastEpoch + 1;
      this.tCur += 1;
      if (this.tCur >= this.tI) {
        this.tCur -= this.tI;
        this.tI *= this.tMult;
      }
    } else {
      next = epoch;
      ({ tI: this.tI, tCur: this.tCur } = this.locate(epoch));
    }
    try {
      // Handing the base the epoch makes it set lastEpoch rather than advance it again.
      return super.prepareAdvance(Math.floor(next));
    } catch (e) {
      this.tI = before.tI;
      this.tCur = before.tCur;
      throw e;
    }
  }

  protected override extraState(): Record<string, number> {
    return { tI: this.tI, tCur: this.tCur };
  }

  protected override prepareExtraState(extra: Record<string, unknown>): () => void {
    const fn = `${this.name}.loadStateDict`;
    const tI = checkFinite(fn, "extra.tI", extra.tI);
    const tCur = checkFinite(fn, "extra.tCur", extra.tCur);
    return () => {
      this.tI = tI;
      this.tCur = tCur;
    };
  }
}
