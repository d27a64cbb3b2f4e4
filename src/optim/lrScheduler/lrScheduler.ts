import { describe } from "../../schedules/schedule.js";
import { checkInteger } from "../../schedules/validate.js";
import { checkOptimizer, type MomentumField, type OptimizerLike, writeMomentum } from "./optimizerLike.js";

/** Plain-data state of an `LRScheduler`, from `stateDict()`. */
export interface LRSchedulerState {
  /** The class that wrote it; loading into another class is refused. */
  type: string;
  lastEpoch: number;
  stepCount: number;
  baseLrs: number[];
  lastLr: number[];
  /** Class-specific counters (CosineAnnealingWarmRestarts: tI, tCur). */
  extra: Record<string, number>;
}

/** Throws unless `list` is an array of `n` finite numbers; returns a copy. */
export function checkNumberList(fn: string, name: string, list: unknown, n: number): number[] {
  if (!Array.isArray(list) || list.length !== n) {
    throw new TypeError(`${fn}: ${name} must be an array of ${n} numbers, got ${describe(list)}`);
  }
  return list.map((v: unknown, i) => {
    if (typeof v !== "number" || !Number.isFinite(v)) throw new TypeError(`${fn}: ${name}[${i}] must be a finite number, got ${describe(v)}`);
    return v;
  });
}

/** Throws unless `state` is an object; returns it as a record. */
export function checkStateObject(fn: string, state: unknown, type: string): Record<string, unknown> {
  if (typeof state !== "object" || state === null || Array.isArray(state)) {
    throw new TypeError(`${fn}.loadStateDict: expected a state object, got ${describe(state)}`);
  }
  const s = state as Record<string, unknown>;
  if (s.type !== type) throw new Error(`${fn}.loadStateDict: the state was saved by ${describe(s.type)}, not ${type}`);
  return s;
}

/**
 * Base of the PyTorch-style schedulers (torch.optim.lr_scheduler's
 * `LRScheduler`): it owns `lastEpoch` (-1 before the first step; the
 * constructor takes the first step, so it is 0 after construction), the base
 * lrs (each group's `initialLr`, written there on first use as torch's
 * `initial_lr`) and the last lrs written. Each subclass gives torch's
 * recursive `get_lr` (so that schedulers chain multiplicatively on a shared
 * lr) and, where torch has one, the closed form used by `step(epoch)`.
 * A step that fails (for example an lr that is not finite) changes nothing.
 */
export abstract class LRScheduler {
  readonly optimizer: OptimizerLike;
  /** The lr each group started from (its `initialLr`). */
  baseLrs: number[] = [];
  /** Epochs stepped so far: 0 after construction. */
  lastEpoch = -1;
  /** Calls to step() since construction (torch's `_step_count`). */
  protected stepCount = 0;
  private lastLr: number[] = [];
  protected readonly name: string;

  protected constructor(name: string, optimizer: OptimizerLike) {
    checkOptimizer(name, optimizer);
    this.name = name;
    this.optimizer = optimizer;
  }

  /** The lr of every group for the epoch `lastEpoch`, from the current lrs (torch's `get_lr`). */
  protected abstract computeLr(): number[];

  /** The lr at `lastEpoch` from the base lrs alone, or null where torch has no closed form. */
  protected closedFormLr(): number[] | null {
    return null;
  }

  /** Momenta to write with the lrs, and into which field; null for most schedulers. */
  protected computeMomentum(): { field: MomentumField; values: number[] } | null {
    return null;
  }

  /**
   * The end of construction, once the subclass has checked its options:
   * records the base lrs and takes the first step. `own` gives lrs the
   * scheduler sets itself (OneCycleLR overwrites `initialLr`, CyclicLR only
   * fills it in when missing); otherwise the base lr is each group's
   * `initialLr`, taken from `lr` when absent. Resuming (lastEpoch >= 0)
   * needs `initialLr` in every group, as torch.
   */
  protected start(lastEpoch: number, own?: { baseLrs: readonly number[]; overwriteInitialLr: boolean }): void {
    checkInteger(this.name, "lastEpoch", lastEpoch, -1);
    const groups = this.optimizer.paramGroups;
    const initial = groups.map((g, i) => {
      if (lastEpoch !== -1) {
        if (typeof g.initialLr !== "number") {
          throw new Error(`${this.name}: paramGroups[${i}] has no initialLr, which resuming with lastEpoch = ${lastEpoch} needs`);
        }
        return g.initialLr;
      }
      if (own?.overwriteInitialLr) return own.baseLrs[i]!;
      return typeof g.initialLr === "number" ? g.initialLr : (own?.baseLrs[i] ?? g.lr);
    });
    this.baseLrs = own ? [...own.baseLrs] : [...initial];
    this.lastEpoch = lastEpoch;
    this.stepCount = 0;
    const commit = this.prepareAdvance(undefined);
    groups.forEach((g, i) => (g.initialLr = initial[i]));
    commit();
  }

  /**
   * Advances one epoch and writes the new lrs into the optimizer. With an
   * explicit `epoch` (deprecated in torch, used by SequentialLR) it jumps
   * there and uses the closed form where there is one.
   */
  step(epoch?: number): void {
    this.prepareAdvance(epoch)();
  }

  /** The lrs written by the last step, one per group. */
  getLastLr(): number[] {
    return [...this.lastLr];
  }

  /**
   * Takes the first step again with the counters reset, as torch's
   * `_initial_step`; SequentialLR uses it on its first scheduler.
   */
  initialStep(): void {
    const count = this.stepCount;
    this.stepCount = 0;
    try {
      this.step();
    } catch (e) {
      this.stepCount = count;
      throw e;
    }
  }

  /** Computes a step without side effects on failure; the returned function writes it. */
  protected prepareAdvance(epoch: number | undefined): () => void {
    const groups = this.optimizer.paramGroups;
    if (groups.length !== this.baseLrs.length) {
      throw new Error(`${this.name}: the optimizer now has ${groups.length} param groups, the scheduler was built for ${this.baseLrs.length}`);
    }
    if (epoch !== undefined && (typeof epoch !== "number" || !Number.isFinite(epoch) || epoch < 0)) {
      throw new RangeError(`${this.name}.step: epoch must be a finite number >= 0, got ${describe(epoch)}`);
    }
    const before = { lastEpoch: this.lastEpoch, stepCount: this.stepCount };
    let lrs: number[];
    let momentum: { field: MomentumField; values: number[] } | null;
    try {
      this.stepCount++;
      if (epoch === undefined) {
        this.lastEpoch++;
        lrs = this.computeLr();
      } else {
        this.lastEpoch = epoch;
        lrs = this.closedFormLr() ?? this.computeLr();
      }
      momentum = this.computeMomentum();
      this.checkValues("lr", lrs);
      if (momentum) this.checkValues("momentum", momentum.values);
    } catch (e) {
      this.lastEpoch = before.lastEpoch;
      this.stepCount = before.stepCount;
      throw e;
    }
    return () => this.apply(lrs, momentum);
  }

  /** Writes lrs (and momenta) into the groups and remembers the lrs. */
  protected apply(lrs: readonly number[], momentum: { field: MomentumField; values: number[] } | null): void {
    const groups = this.optimizer.paramGroups;
    groups.forEach((g, i) => {
      g.lr = lrs[i]!;
      if (momentum) writeMomentum(g, momentum.field, momentum.values[i]!);
    });
    this.lastLr = [...lrs];
  }

  private checkValues(what: string, values: readonly number[]): void {
    values.forEach((v, i) => {
      if (!Number.isFinite(v)) {
        throw new Error(`${this.name}: epoch ${this.lastEpoch} gives a non-finite ${what} (${v}) for paramGroups[${i}]; nothing was changed`);
      }
    });
  }

  /** Class-specific counters for the state dict. */
  protected extraState(): Record<string, number> {
    return {};
  }

  /** Checks saved class-specific counters; the returned function installs them. */
  protected prepareExtraState(_extra: Record<string, unknown>): () => void {
    return () => {};
  }

  /** The scheduler's state as plain data (hyperparameters come from the constructor). */
  stateDict(): LRSchedulerState {
    return {
      type: this.name,
      lastEpoch: this.lastEpoch,
      stepCount: this.stepCount,
      baseLrs: [...this.baseLrs],
      lastLr: [...this.lastLr],
      extra: this.extraState(),
    };
  }

  /** Restores a state from `stateDict()`; a state that does not fit changes nothing. The optimizer's lrs are its own state. */
  loadStateDict(state: LRSchedulerState): void {
    this.prepareLoad(state)();
  }

  /** Checks a saved state completely; the returned function installs it (used by the wrappers to load all or nothing). */
  prepareLoad(state: LRSchedulerState): () => void {
    const fn = this.name;
    const s = checkStateObject(fn, state, this.name);
    const n = this.optimizer.paramGroups.length;
    const lastEpoch = s.lastEpoch;
    if (typeof lastEpoch !== "number" || !Number.isFinite(lastEpoch) || lastEpoch < -1) {
      throw new TypeError(`${fn}.loadStateDict: lastEpoch must be a number >= -1, got ${describe(lastEpoch)}`);
    }
    const stepCount = checkInteger(`${fn}.loadStateDict`, "stepCount", s.stepCount, 0);
    const baseLrs = checkNumberList(`${fn}.loadStateDict`, "baseLrs", s.baseLrs, n);
    const lastLr = checkNumberList(`${fn}.loadStateDict`, "lastLr", s.lastLr, n);
    const extra = s.extra;
    if (typeof extra !== "object" || extra === null || Array.isArray(extra)) {
      throw new TypeError(`${fn}.loadStateDict: extra must be an object, got ${describe(extra)}`);
    }
    const commitExtra = this.prepareExtraState(extra as Record<string, unknown>);
    return () => {
      this.lastEpoch = lastEpoch;
      this.stepCount = stepCount;
      this.baseLrs = baseLrs;
      this.lastLr = lastLr;
      commitExtra();
    };
  }
}
