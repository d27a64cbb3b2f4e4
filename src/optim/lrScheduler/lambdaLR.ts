import { describe } from "../../schedules/schedule.js";
import { checkOptions } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";

/** A function of the epoch (an integer >= 0) giving a factor. */
export type LrLambda = (epoch: number) => number;

/** One function per group: a single one is shared, an array needs one per group. */
export function lambdasPerGroup(fn: string, lrLambda: LrLambda | readonly LrLambda[], groups: number): LrLambda[] {
  const list = Array.isArray(lrLambda) ? [...(lrLambda as readonly LrLambda[])] : new Array<LrLambda>(groups).fill(lrLambda as LrLambda);
  if (list.length !== groups) throw new RangeError(`${fn}: expected ${groups} lrLambda functions (one per param group), got ${list.length}`);
  list.forEach((f, i) => {
    if (typeof f !== "function") throw new TypeError(`${fn}: lrLambda${Array.isArray(lrLambda) ? `[${i}]` : ""} must be a function of the epoch, got ${describe(f)}`);
  });
  return list;
}

export interface LambdaLROptions {
  /** Factor of the base lr as a function of the epoch, or one per group. */
  lrLambda: LrLambda | readonly LrLambda[];
  lastEpoch?: number;
}

/**
 * Sets every group's lr to `baseLr * lrLambda(epoch)`, matching
 * torch.optim.lr_scheduler.LambdaLR. The functions are not part of the
 * state dict (as torch, which only saves callable objects).
 */
export class LambdaLR extends LRScheduler {
  private readonly lambdas: LrLambda[];

  constructor(optimizer: OptimizerLike, options: LambdaLROptions) {
    super("LambdaLR", optimizer);
    checkOptions(this.name, options);
    this.lambdas = lambdasPerGroup(this.name, options.lrLambda, optimizer.paramGroups.length);
    this.start(options.lastEpoch ?? -1);
  }

  protected computeLr(): number[] {
    return this.baseLrs.map((b, i) => b * this.lambdas[i]!(this.lastEpoch));
  }
}
