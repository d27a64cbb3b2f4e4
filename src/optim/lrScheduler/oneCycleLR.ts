import { interpolateCosine, interpolateLinear } from "../../schedules/piecewiseInterpolate.js";
import { checkBoolean, checkInRange, checkInteger, checkOneOf, checkPositive } from "../../schedules/validate.js";
import { LRScheduler } from "./lrScheduler.js";
import { type MomentumField, momentumField, type OptimizerLike, perGroup } from "./optimizerLike.js";

export interface OneCycleLROptions {
  /** Peak lr, or one per group. */
  maxLr: number | readonly number[];
  /** Steps in the cycle; or give epochs and stepsPerEpoch. */
  totalSteps?: number;
  epochs?: number;
  stepsPerEpoch?: number;
  /** Fraction of the cycle spent rising, in [0, 1] (default 0.3). */
  pctStart?: number;
  /** "cos" (default) or "linear". */
  annealStrategy?: "cos" | "linear";
  /** Cycle momentum (or betas[0]) opposite to the lr (default true). */
  cycleMomentum?: boolean;
  /** Momentum at the lr's peak (default 0.85), or one per group. */
  baseMomentum?: number | readonly number[];
  /** Momentum at the start and end (default 0.95), or one per group. */
  maxMomentum?: number | readonly number[];
  /** Initial lr is maxLr / divFactor (default 25). */
  divFactor?: number;
  /** Final lr is initial lr / finalDivFactor (default 1e4). */
  finalDivFactor?: number;
  /** Rise, fall back to the initial lr, then anneal to the final lr (default false: rise then anneal). */
  threePhase?: boolean;
  lastEpoch?: number;
}

type Level = "initial" | "max" | "min";
interface Phase {
  endStep: number;
  startLr: Level;
  endLr: Level;
  startMomentum: "max" | "base";
  endMomentum: "max" | "base";
}

/**
 * The one-cycle policy (Smith & Topin, "Super-Convergence", 2017), matching
 * torch.optim.lr_scheduler.OneCycleLR: the lr rises from
 * `initialLr = maxLr / divFactor` to `maxLr` by step `pctStart*total - 1`,
 * then anneals (cosine or linear) to `initialLr / finalDivFactor` at step
 * `total - 1` (threePhase: back to initialLr by `2*pctStart*total - 2`
 * first); momentum moves the opposite way between maxMomentum and
 * baseMomentum. It accepts `total` steps after construction (the last one
 * extrapolated past the end, as torch) and refuses more. It overwrites each
 * group's `initialLr`. With betas (Adam) the cycled momentum is betas[0].
 */
export class OneCycleLR extends LRScheduler {
  readonly totalSteps: number;
  private readonly phases: Phase[];
  private readonly anneal: (start: number, end: number, pct: number) => number;
  private readonly levels: { initial: number[]; max: number[]; min: number[] };
  private readonly momentum: { field: MomentumField; base: number[]; max: number[] } | null;

  constructor(optimizer: OptimizerLike, options: OneCycleLROptions) {
    super("OneCycleLR", optimizer);
    const fn = this.name;
    if (typeof options !== "object" || options === null) throw new TypeError(`${fn}: expected an options object`);
    if (options.totalSteps !== undefined && options.totalSteps !== null) {
      this.totalSteps = checkInteger(fn, "totalSteps", options.totalSteps, 1);
    } else if (options.epochs !== undefined && options.stepsPerEpoch !== undefined) {
      this.totalSteps = checkInteger(fn, "epochs", options.epochs, 1) * checkInteger(fn, "stepsPerEpoch", options.stepsPerEpoch, 1);
    } else {
      throw new TypeError(`${fn}: give totalSteps, or both epochs and stepsPerEpoch`);
    }
    const pct = checkInRange(fn, "pctStart", options.pctStart ?? 0.3, 0, 1);
    const total = this.totalSteps;
    this.phases = checkBoolean(fn, "threePhase", options.threePhase ?? false)
      ? [
          { endStep: pct * total - 1, startLr: "initial", endLr: "max", startMomentum: "max", endMomentum: "base" },
          { endStep: 2 * pct * total - 2, startLr: "max", endLr: "initial", startMomentum: "base", endMomentum: "max" },
          { endStep: total - 1, startLr: "initial", endLr: "min", startMomentum: "max", endMomentum: "max" },
        ]
      : [
          { endStep: pct * total - 1, startLr: "initial", endLr: "max", startMomentum: "max", endMomentum: "base" },
          { endStep: total - 1, startLr: "max", endLr: "min", startMomentum: "base", endMomentum: "max" },
        ];
    let previous = 0;
    this.phases.forEach((phase, i) => {
      // torch divides by the phase's length and fails with ZeroDivisionError on an empty one.
      if (phase.endStep === previous) {
        throw new RangeError(`${fn}: pctStart ${pct} with ${total} total steps leaves phase ${i + 1} empty (it ends at step ${phase.endStep}, where it starts)`);
      }
      previous = phase.endStep;
    });
    const strategy = checkOneOf(fn, "annealStrategy", options.annealStrategy ?? "cos", ["cos", "linear"] as const);
    this.anneal = strategy === "cos" ? interpolateCosine : interpolateLinear;
    const n = optimizer.paramGroups.length;
    const max = perGroup(fn, "maxLr", options.maxLr, n);
    const div = checkPositive(fn, "divFactor", options.divFactor ?? 25);
    const finalDiv = checkPositive(fn, "finalDivFactor", options.finalDivFactor ?? 1e4);
    const initial = max.map((m) => m / div);
    this.levels = { initial, max, min: initial.map((i) => i / finalDiv) };
    if (checkBoolean(fn, "cycleMomentum", options.cycleMomentum ?? true)) {
      this.momentum = {
        field: momentumField(fn, optimizer),
        base: perGroup(fn, "baseMomentum", options.baseMomentum ?? 0.85, n),
        max: perGroup(fn, "maxMomentum", options.maxMomentum ?? 0.95, n),
      };
    } else {
      this.momentum = null;
    }
    this.start(options.lastEpoch ?? -1, { baseLrs: initial, overwriteInitialLr: true });
  }

  /** The phase holding the current step and the fraction of it done. */
  private where(): { phase: Phase; pct: number } {
    const step = this.lastEpoch;
    if (step > this.totalSteps) {
      throw new RangeError(`${this.name}: tried to step ${step} times; the specified number of total steps is ${this.totalSteps}`);
    }
    let startStep = 0;
    for (let i = 0; i < this.phases.length; i++) {
      const phase = this.phases[i]!;
      if (step <= phase.endStep || i === this.phases.length - 1) {
        return { phase, pct: (step - startStep) / (phase.endStep - startStep) };
      }
      startStep = phase.endStep;
    }
    throw new Error("unreachable");
  }

  protected computeLr(): number[] {
    const { phase, pct } = this.where();
    const l = this.levels;
    return this.baseLrs.map((_, i) => this.anneal(l[phase.startLr][i]!, l[phase.endLr][i]!, pct));
  }

  protected override computeMomentum(): { field: MomentumField; values: number[] } | null {
    if (!this.momentum) return null;
    const { phase, pct } = this.where();
    const { field, base, max } = this.momentum;
    const level = (which: "max" | "base") => (which === "max" ? max : base);
    return { field, values: base.map((_, i) => this.anneal(level(phase.startMomentum)[i]!, level(phase.endMomentum)[i]!, pct)) };
  }
}
