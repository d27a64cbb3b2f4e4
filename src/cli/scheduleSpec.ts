// Learning-rate schedules written as short strings on the command line
// ("warmup-cosine:500", "step:30:0.1"), turned into nb.schedules functions.
import {
  constant,
  cosineDecay,
  cosineDecayRestarts,
  cyclic,
  exponentialDecay,
  inverseSqrt,
  linear,
  linearWarmup,
  oneCycle,
  polynomial,
  stepDecay,
  warmupCosineDecay,
} from "../schedules/index.js";
import type { Schedule } from "../schedules/schedule.js";

export interface ScheduleSpecContext {
  /** The learning rate the schedule is built around (its peak or start). */
  peakLr: number;
  /** Length of the run in optimizer steps: "over the run" means this many. */
  totalSteps: number;
  /** Optimizer steps per epoch, which durations like `2e` need. */
  stepsPerEpoch?: number;
}

/** The grammar, as printed by --help of the commands that take a schedule. */
export const SCHEDULE_SPEC_HELP = `Schedule specs (NAME[:ARG[:ARG...]]; PEAK is the learning rate, the run is --steps/all steps):
  constant                      PEAK at every step
  linear[:END]                  linear from PEAK to END*PEAK over the run (END 0)
  poly:POWER[:END]              polynomial decay PEAK -> END*PEAK over the run
  cosine[:ALPHA]                cosine decay from PEAK to ALPHA*PEAK over the run (ALPHA 0)
  warmup:W                      linear 0 -> PEAK over W, then constant
  warmup-cosine:W[:ALPHA]       linear 0 -> PEAK over W, then cosine to ALPHA*PEAK at the end
  step:S:GAMMA                  multiply by GAMMA every S (PyTorch StepLR)
  exponential:RATE[:EVERY]      multiply by RATE every EVERY, smoothly (EVERY 1 step)
  onecycle[:PCT[:DIV[:FINAL]]]  PEAK/DIV up to PEAK at PCT of the run, cosine down to
                                PEAK/(DIV*FINAL) at the end (0.3, 25, 1e4; Smith's one-cycle)
  inverse-sqrt:W                linear 0 -> PEAK over W, then PEAK*sqrt(W/step)
  restarts:PERIOD[:MULT]        cosine to 0 then back to PEAK, cycles PERIOD*MULT^i long (SGDR)
  cyclic:HALF[:BASE]            triangle between BASE*PEAK (0.1) and PEAK, HALF up, HALF down
Durations (W, S, EVERY, PERIOD, HALF): N steps, N% of the run, or Ne epochs (e.g. 500, 10%, 2e).`;

type Builder = (args: Args, ctx: ScheduleSpecContext) => Schedule;

/** The arguments after the name, read one at a time with their meaning for error messages. */
class Args {
  constructor(
    readonly spec: string,
    readonly name: string,
    private readonly values: readonly string[],
    private readonly ctx: ScheduleSpecContext,
  ) {}

  private raw(index: number, what: string, optional: boolean): string | undefined {
    const value = this.values[index];
    if (value === undefined || value === "") {
      if (optional) return undefined;
      throw this.error(`${this.name} needs ${what} as argument ${index + 1}`);
    }
    return value;
  }

  error(message: string): Error {
    return new Error(`schedule "${this.spec}": ${message}`);
  }

  /** A finite number, optionally bounded (inclusive unless `open`). */
  number(index: number, what: string, fallback?: number, range: { min?: number; max?: number; open?: boolean } = {}): number {
    const text = this.raw(index, what, fallback !== undefined);
    if (text === undefined) return fallback!;
    const n = Number(text);
    if (!Number.isFinite(n)) throw this.error(`${what} must be a number, got "${text}"`);
    const { min, max, open = false } = range;
    if (min !== undefined && (open ? n <= min : n < min)) throw this.error(`${what} must be ${open ? ">" : ">="} ${min}, got ${n}`);
    if (max !== undefined && (open ? n >= max : n > max)) throw this.error(`${what} must be ${open ? "<" : "<="} ${max}, got ${n}`);
    return n;
  }

  /** A duration in steps: `500`, `10%` of the run, or `2e` epochs; at least one step. */
  duration(index: number, what: string, fallback?: number): number {
    const text = this.raw(index, what, fallback !== undefined);
    if (text === undefined) return fallback!;
    let steps: number;
    const m = /^(\d+(?:\.\d+)?)(%|e)?$/.exec(text);
    if (m === null) throw this.error(`${what} must be a number of steps, N% of the run or Ne epochs, got "${text}"`);
    const value = Number(m[1]);
    if (m[2] === "%") steps = (value / 100) * this.ctx.totalSteps;
    else if (m[2] === "e") {
      if (this.ctx.stepsPerEpoch === undefined) throw this.error(`${what} is given in epochs ("${text}") but the steps per epoch are not known here`);
      steps = value * this.ctx.stepsPerEpoch;
    } else {
      if (!Number.isInteger(value)) throw this.error(`${what} must be a whole number of steps, got "${text}"`);
      steps = value;
    }
    steps = Math.round(steps);
    if (steps < 1) throw this.error(`${what} must be at least one step, got "${text}" (${steps} steps)`);
    return steps;
  }

  /** Throws when more arguments were given than the schedule takes. */
  atMost(count: number, usage: string): void {
    if (this.values.length > count) throw this.error(`${this.name} takes at most ${count} argument${count === 1 ? "" : "s"} (${usage}), got ${this.values.length}`);
  }
}

/** A warmup or period must leave room for the rest of the run. */
function shorterThanRun(args: Args, steps: number, what: string, total: number): number {
  if (steps >= total) throw args.error(`${what} (${steps} steps) must be shorter than the run (${total} steps)`);
  return steps;
}

const BUILDERS: Record<string, Builder> = {
  constant: (a, c) => {
    a.atMost(0, "constant");
    return constant(c.peakLr);
  },
  linear: (a, c) => {
    a.atMost(1, "linear[:END]");
    const end = a.number(0, "END", 0, { min: 0 });
    return linear({ initValue: c.peakLr, endValue: end * c.peakLr, transitionSteps: c.totalSteps });
  },
  poly: (a, c) => {
    a.atMost(2, "poly:POWER[:END]");
    const power = a.number(0, "POWER", undefined, { min: 0, open: true });
    const end = a.number(1, "END", 0, { min: 0 });
    return polynomial({ initValue: c.peakLr, endValue: end * c.peakLr, power, transitionSteps: c.totalSteps });
  },
  cosine: (a, c) => {
    a.atMost(1, "cosine[:ALPHA]");
    const alpha = a.number(0, "ALPHA", 0, { min: 0, max: 1 });
    return cosineDecay({ initValue: c.peakLr, decaySteps: c.totalSteps, alpha });
  },
  warmup: (a, c) => {
    a.atMost(1, "warmup:W");
    return linearWarmup({ warmupSteps: a.duration(0, "W (warmup)"), initValue: 0, peakValue: c.peakLr });
  },
  "warmup-cosine": (a, c) => {
    a.atMost(2, "warmup-cosine:W[:ALPHA]");
    const warmup = shorterThanRun(a, a.duration(0, "W (warmup)"), "the warmup", c.totalSteps);
    const alpha = a.number(1, "ALPHA", 0, { min: 0, max: 1 });
    return warmupCosineDecay({ initValue: 0, peakValue: c.peakLr, warmupSteps: warmup, decaySteps: c.totalSteps, endValue: alpha * c.peakLr });
  },
  step: (a, c) => {
    a.atMost(2, "step:S:GAMMA");
    const stepSize = a.duration(0, "S (steps between drops)");
    const gamma = a.number(1, "GAMMA", undefined, { min: 0, open: true });
    return stepDecay({ initValue: c.peakLr, stepSize, gamma });
  },
  exponential: (a, c) => {
    a.atMost(2, "exponential:RATE[:EVERY]");
    const decayRate = a.number(0, "RATE", undefined, { min: 0, open: true });
    const every = a.duration(1, "EVERY", 1);
    return exponentialDecay({ initValue: c.peakLr, transitionSteps: every, decayRate });
  },
  onecycle: (a, c) => {
    a.atMost(3, "onecycle[:PCT[:DIV[:FINAL]]]");
    const pctStart = a.number(0, "PCT", 0.3, { min: 0, max: 1 });
    const divFactor = a.number(1, "DIV", 25, { min: 0, open: true });
    const finalDivFactor = a.number(2, "FINAL", 1e4, { min: 0, open: true });
    return oneCycle({ transitionSteps: c.totalSteps, peakValue: c.peakLr, pctStart, divFactor, finalDivFactor });
  },
  "inverse-sqrt": (a, c) => {
    a.atMost(1, "inverse-sqrt:W");
    return inverseSqrt({ peakValue: c.peakLr, warmupSteps: a.duration(0, "W (warmup)"), initValue: 0 });
  },
  restarts: (a, c) => {
    a.atMost(2, "restarts:PERIOD[:MULT]");
    const period = a.duration(0, "PERIOD");
    const tMul = a.number(1, "MULT", 1, { min: 1 });
    return cosineDecayRestarts({ initValue: c.peakLr, firstDecaySteps: period, tMul });
  },
  cyclic: (a, c) => {
    a.atMost(2, "cyclic:HALF[:BASE]");
    const half = a.duration(0, "HALF (steps up)");
    const base = a.number(1, "BASE", 0.1, { min: 0, max: 1 });
    return cyclic({ baseValue: base * c.peakLr, maxValue: c.peakLr, stepSizeUp: half, stepSizeDown: half, mode: "triangular" });
  },
};

/** The schedule names the grammar knows, in the order of the help text. */
export const SCHEDULE_NAMES: readonly string[] = Object.keys(BUILDERS);

/**
 * Parses a schedule spec (grammar in `SCHEDULE_SPEC_HELP`) into a schedule
 * of the step, built on `nb.schedules`: relative values (END, ALPHA, BASE)
 * are fractions of `peakLr`, and "the run" is `totalSteps`. Throws an Error
 * naming the spec and the bad part; nothing is built on failure.
 */
export function parseScheduleSpec(spec: string, ctx: ScheduleSpecContext): Schedule {
  if (!(Number.isFinite(ctx.peakLr) && ctx.peakLr > 0)) throw new RangeError(`parseScheduleSpec: peakLr must be a positive number, got ${ctx.peakLr}`);
  if (!(Number.isInteger(ctx.totalSteps) && ctx.totalSteps >= 1)) {
    throw new RangeError(`parseScheduleSpec: totalSteps must be a positive integer, got ${ctx.totalSteps}`);
  }
  const [name = "", ...values] = spec.trim().split(":").map((s) => s.trim());
  const build = Object.hasOwn(BUILDERS, name) ? BUILDERS[name] : undefined;
  if (build === undefined) throw new Error(`schedule "${spec}": unknown schedule "${name}" (expected one of ${SCHEDULE_NAMES.join(", ")})`);
  const args = new Args(spec, name, values, ctx);
  try {
    return build(args, ctx);
  } catch (e) {
    // An option rejected by the schedule itself (e.g. a negative period) still names the spec.
    const message = (e as Error).message;
    throw message.startsWith(`schedule "${spec}"`) ? e : new Error(`schedule "${spec}": ${message}`);
  }
}
