import { describe } from "../../schedules/schedule.js";
import { checkInteger, checkOptions } from "../../schedules/validate.js";
import { checkNumberList, checkStateObject, LRScheduler, type LRSchedulerState } from "./lrScheduler.js";
import { checkOptimizer, type OptimizerLike } from "./optimizerLike.js";

export interface SequentialLROptions {
  /** Schedulers built on the same optimizer, used one after another. */
  schedulers: readonly LRScheduler[];
  /** Epochs at which to switch to the next scheduler: increasing integers >= 1, one fewer than schedulers. */
  milestones: readonly number[];
  lastEpoch?: number;
}

/** Plain-data state of a SequentialLR. */
export interface SequentialLRState {
  type: "SequentialLR";
  lastEpoch: number;
  lastLr: number[];
  schedulers: LRSchedulerState[];
}

/** Checks that every scheduler is an LRScheduler driving `optimizer`. */
export function checkSchedulers(fn: string, schedulers: readonly LRScheduler[], optimizer: OptimizerLike): void {
  if (!Array.isArray(schedulers) || schedulers.length === 0) {
    throw new TypeError(`${fn}: schedulers must be a non-empty array of schedulers, got ${describe(schedulers)}`);
  }
  schedulers.forEach((s, i) => {
    if (!(s instanceof LRScheduler)) throw new TypeError(`${fn}: schedulers[${i}] is not an lrScheduler (ReduceLROnPlateau and the wrappers cannot be nested)`);
    if (s.optimizer !== optimizer) throw new Error(`${fn}: schedulers[${i}] drives a different optimizer than ${i === 0 ? "the one given" : "schedulers[0]"}`);
  });
}

/**
 * Runs schedulers one after another, switching at each milestone, matching
 * torch.optim.lr_scheduler.SequentialLR: construction resets each group's
 * lr to its initialLr, moves every sub-scheduler's lastEpoch back by one
 * (undoing their construction steps) and retakes the first one's first
 * step. At a milestone the next scheduler is stepped with `step(0)`, i.e.
 * its closed form at epoch 0 (ExponentialLR and CosineAnnealingLR: the
 * base lr); otherwise the current one steps normally.
 */
export class SequentialLR {
  readonly optimizer: OptimizerLike;
  readonly milestones: readonly number[];
  lastEpoch: number;
  private readonly schedulers: readonly LRScheduler[];
  private lastLr: number[];

  constructor(optimizer: OptimizerLike, options: SequentialLROptions) {
    const fn = "SequentialLR";
    checkOptimizer(fn, optimizer);
    checkOptions(fn, options);
    checkSchedulers(fn, options.schedulers, optimizer);
    const { schedulers, milestones } = options;
    if (!Array.isArray(milestones) || milestones.length !== schedulers.length - 1) {
      throw new RangeError(
        `${fn}: expected ${schedulers.length - 1} milestones for ${schedulers.length} schedulers, got ${Array.isArray(milestones) ? milestones.length : describe(milestones)}`,
      );
    }
    milestones.forEach((m, i) => {
      checkInteger(fn, `milestones[${i}]`, m, 1);
      if (i > 0 && m <= milestones[i - 1]!) throw new RangeError(`${fn}: milestones must increase, got ${milestones[i - 1]} then ${m}`);
    });
    const lastEpoch = checkInteger(fn, "lastEpoch", options.lastEpoch ?? -1, -1);
    optimizer.paramGroups.forEach((g, i) => {
      if (typeof g.initialLr !== "number") throw new Error(`${fn}: paramGroups[${i}] has no initialLr; build the sub-schedulers on this optimizer first`);
    });
    this.optimizer = optimizer;
    this.schedulers = [...schedulers];
    this.milestones = [...milestones];
    this.lastEpoch = lastEpoch + 1;
    for (const g of optimizer.paramGroups) g.lr = g.initialLr!;
    for (const s of this.schedulers) s.lastEpoch -= 1;
    this.schedulers[0]!.initialStep();
    this.lastLr = this.schedulers[0]!.getLastLr();
  }

  /** Advances one epoch on the scheduler whose turn it is. */
  step(): void {
    const epoch = this.lastEpoch + 1;
    let idx = 0;
    while (idx < this.milestones.length && this.milestones[idx]! <= epoch) idx++;
    const scheduler = this.schedulers[idx]!;
    if (idx > 0 && this.milestones[idx - 1] === epoch) scheduler.step(0);
    else scheduler.step();
    this.lastEpoch = epoch;
    this.lastLr = scheduler.getLastLr();
  }

  /** The lrs written by the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The state of the wrapper and of every sub-scheduler, as plain data. */
  stateDict(): SequentialLRState {
    return { type: "SequentialLR", lastEpoch: this.lastEpoch, lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores a state from `stateDict()`: all of it, or nothing when any part does not fit. */
  loadStateDict(state: SequentialLRState): void {
    const fn = "SequentialLR";
    const s = checkStateObject(fn, state, "SequentialLR");
    const lastEpoch = checkInteger(`${fn}.loadStateDict`, "lastEpoch", s.lastEpoch, 0);
    const lastLr = checkNumberList(`${fn}.loadStateDict`, "lastLr", s.lastLr, this.optimizer.paramGroups.length);
    const subs = s.schedulers;
    if (!Array.isArray(subs) || subs.length !== this.schedulers.length) {
      throw new TypeError(`${fn}.loadStateDict: schedulers must be an array of ${this.schedulers.length} states, got ${describe(subs)}`);
    }
    const commits = this.schedulers.map((sub, i) => sub.prepareLoad(subs[i] as LRSchedulerState));
    this.lastEpoch = lastEpoch;
    this.lastLr = lastLr;
    for (const commit of commits) commit();
  }
}
