import { describe } from "../../schedules/schedule.js";
import { checkNumberList, checkStateObject, type LRScheduler, type LRSchedulerState } from "./lrScheduler.js";
import type { OptimizerLike } from "./optimizerLike.js";
import { checkSchedulers } from "./sequentialLR.js";

/** Plain-data state of a ChainedScheduler. */
export interface ChainedSchedulerState {
  type: "ChainedScheduler";
  lastLr: number[];
  schedulers: LRSchedulerState[];
}

/**
 * Steps several schedulers together on the same lr, each multiplying in its
 * own factor (their recursive forms compose), matching
 * torch.optim.lr_scheduler.ChainedScheduler. The lr after construction is
 * whatever the sub-schedulers' construction left. A step in which any
 * sub-scheduler fails is undone completely.
 */
export class ChainedScheduler {
  readonly optimizer: OptimizerLike;
  private readonly schedulers: readonly LRScheduler[];
  private lastLr: number[];

  constructor(schedulers: readonly LRScheduler[], optimizer?: OptimizerLike) {
    const fn = "ChainedScheduler";
    const opt: OptimizerLike | undefined = optimizer ?? (Array.isArray(schedulers) && schedulers.length > 0 ? schedulers[0]!.optimizer : undefined);
    if (opt === undefined) throw new TypeError(`${fn}: schedulers must be a non-empty array of schedulers, got ${describe(schedulers)}`);
    checkSchedulers(fn, schedulers, opt);
    this.optimizer = opt;
    this.schedulers = [...schedulers];
    this.lastLr = opt.paramGroups.map((g) => g.lr);
  }

  /** Steps every sub-scheduler in order. */
  step(): void {
    const groups = this.optimizer.paramGroups;
    const saved = this.schedulers.map((s) => s.stateDict());
    const savedGroups = groups.map((g) => ({ lr: g.lr, momentum: g.momentum, betas: g.betas }));
    try {
      for (const s of this.schedulers) s.step();
    } catch (e) {
      this.schedulers.forEach((s, i) => s.loadStateDict(saved[i]!));
      groups.forEach((g, i) => {
        const was = savedGroups[i]!;
        g.lr = was.lr;
        if (was.momentum !== undefined) g.momentum = was.momentum;
        if (was.betas !== undefined) g.betas = was.betas;
      });
      throw e;
    }
    this.lastLr = groups.map((g) => g.lr);
  }

  /** The lrs after the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /** The state of every sub-scheduler, as plain data. */
  stateDict(): ChainedSchedulerState {
    return { type: "ChainedScheduler", lastLr: [...this.lastLr], schedulers: this.schedulers.map((s) => s.stateDict()) };
  }

  /** Restores a state from `stateDict()`: all of it, or nothing when any part does not fit. */
  loadStateDict(state: ChainedSchedulerState): void {
    const fn = "ChainedScheduler";
    const s = checkStateObject(fn, state, "ChainedScheduler");
    const lastLr = checkNumberList(`${fn}.loadStateDict`, "lastLr", s.lastLr, this.optimizer.paramGroups.length);
    const subs = s.schedulers;
    if (!Array.isArray(subs) || subs.length !== this.schedulers.length) {
      throw new TypeError(`${fn}.loadStateDict: schedulers must be an array of ${this.schedulers.length} states, got ${describe(subs)}`);
    }
    const commits = this.schedulers.map((sub, i) => sub.prepareLoad(subs[i] as LRSchedulerState));
    this.lastLr = lastLr;
    for (const commit of commits) commit();
  }
}
