// Runs lr_scheduler cases through nb.optim.lrScheduler. The optimizer is a
// plain param-groups object of the case's kind (SGD: momentum; Adam: betas),
// which is all a scheduler touches. Any class or option this runner does not
// know makes the case fail.
import * as nb from "../../../src/index.js";
import { type CaseResult, type ConformanceCase, relError, type Runner } from "../cases.js";

type Hp = Record<string, unknown>;
type Opt = nb.optim.lrScheduler.OptimizerLike;
type Sched = nb.optim.lrScheduler.LRScheduler;

/** Keys of `hp` must all be in `known`: an option we would ignore is a failure, not a skip. */
function onlyKnown(cls: string, hp: Hp, known: readonly string[]): void {
  for (const k of Object.keys(hp)) if (!known.includes(k)) throw new Error(`${cls}: hyperparameter "${k}" is not handled by the runner`);
}

const num = (v: unknown, name: string): number => {
  if (typeof v !== "number") throw new Error(`hyperparameter ${name} is not a number: ${JSON.stringify(v)}`);
  return v;
};
const numOrList = (v: unknown, name: string): number | number[] => {
  if (Array.isArray(v)) return v.map((x, i) => num(x, `${name}[${i}]`));
  return num(v, name);
};

/** The case's formula (README: valid JavaScript once these names are Math's) as a function of the epoch. */
export function lambdaFromFormula(formula: string): (epoch: number) => number {
  const names = ["floor", "ceil", "min", "max", "cos", "sin", "exp", "sqrt", "pi"] as const;
  const bound = [Math.floor, Math.ceil, Math.min, Math.max, Math.cos, Math.sin, Math.exp, Math.sqrt, Math.PI];
  const f = new Function(...names, "epoch", `"use strict"; return (${formula});`) as (...args: unknown[]) => unknown;
  return (epoch) => {
    const v = f(...bound, epoch);
    if (typeof v !== "number") throw new Error(`lr_lambda "${formula}" gave ${String(v)} at epoch ${epoch}`);
    return v;
  };
}

function lambdas(v: unknown): nb.optim.lrScheduler.LrLambda | nb.optim.lrScheduler.LrLambda[] {
  if (typeof v === "string") return lambdaFromFormula(v);
  if (Array.isArray(v) && v.every((s) => typeof s === "string")) return v.map((s: string) => lambdaFromFormula(s));
  throw new Error(`lr_lambda must be a formula string or a list of them, got ${JSON.stringify(v)}`);
}

/** Builds one (non-wrapper) scheduler from torch's class name and hyperparameters. */
function build(opt: Opt, cls: string, hp: Hp): Sched {
  const S = nb.optim.lrScheduler;
  switch (cls) {
    case "StepLR":
      onlyKnown(cls, hp, ["step_size", "gamma"]);
      return new S.StepLR(opt, { stepSize: num(hp.step_size, "step_size"), gamma: num(hp.gamma ?? 0.1, "gamma") });
    case "MultiStepLR":
      onlyKnown(cls, hp, ["milestones", "gamma"]);
      return new S.MultiStepLR(opt, { milestones: hp.milestones as number[], gamma: num(hp.gamma ?? 0.1, "gamma") });
    case "ExponentialLR":
      onlyKnown(cls, hp, ["gamma"]);
      return new S.ExponentialLR(opt, { gamma: num(hp.gamma, "gamma") });
    case "ConstantLR":
      onlyKnown(cls, hp, ["factor", "total_iters"]);
      return new S.ConstantLR(opt, { factor: num(hp.factor, "factor"), totalIters: num(hp.total_iters, "total_iters") });
    case "LinearLR":
      onlyKnown(cls, hp, ["start_factor", "end_factor", "total_iters"]);
      return new S.LinearLR(opt, {
        startFactor: num(hp.start_factor, "start_factor"),
        endFactor: num(hp.end_factor, "end_factor"),
        totalIters: num(hp.total_iters, "total_iters"),
      });
    case "PolynomialLR":
      onlyKnown(cls, hp, ["total_iters", "power"]);
      return new S.PolynomialLR(opt, { totalIters: num(hp.total_iters, "total_iters"), power: num(hp.power, "power") });
    case "CosineAnnealingLR":
      onlyKnown(cls, hp, ["T_max", "eta_min"]);
      return new S.CosineAnnealingLR(opt, { tMax: num(hp.T_max, "T_max"), etaMin: num(hp.eta_min ?? 0, "eta_min") });
    case "CosineAnnealingWarmRestarts":
      onlyKnown(cls, hp, ["T_0", "T_mult", "eta_min"]);
      return new S.CosineAnnealingWarmRestarts(opt, {
        t0: num(hp.T_0, "T_0"),
        tMult: num(hp.T_mult ?? 1, "T_mult"),
        etaMin: num(hp.eta_min ?? 0, "eta_min"),
      });
    case "LambdaLR":
      onlyKnown(cls, hp, ["lr_lambda"]);
      return new S.LambdaLR(opt, { lrLambda: lambdas(hp.lr_lambda) });
    case "MultiplicativeLR":
      onlyKnown(cls, hp, ["lr_lambda"]);
      return new S.MultiplicativeLR(opt, { lrLambda: lambdas(hp.lr_lambda) });
    case "CyclicLR":
      onlyKnown(cls, hp, ["base_lr", "max_lr", "step_size_up", "step_size_down", "mode", "gamma", "cycle_momentum", "base_momentum", "max_momentum"]);
      return new S.CyclicLR(opt, {
        baseLr: numOrList(hp.base_lr, "base_lr"),
        maxLr: numOrList(hp.max_lr, "max_lr"),
        stepSizeUp: num(hp.step_size_up, "step_size_up"),
        stepSizeDown: hp.step_size_down === null ? undefined : num(hp.step_size_down, "step_size_down"),
        mode: hp.mode as "triangular" | "triangular2" | "exp_range",
        gamma: num(hp.gamma, "gamma"),
        cycleMomentum: hp.cycle_momentum as boolean,
        baseMomentum: numOrList(hp.base_momentum, "base_momentum"),
        maxMomentum: numOrList(hp.max_momentum, "max_momentum"),
      });
    case "OneCycleLR":
      onlyKnown(cls, hp, [
        "max_lr", "total_steps", "epochs", "steps_per_epoch", "pct_start", "anneal_strategy", "cycle_momentum",
        "base_momentum", "max_momentum", "div_factor", "final_div_factor", "three_phase",
      ]);
      return new S.OneCycleLR(opt, {
        maxLr: numOrList(hp.max_lr, "max_lr"),
        totalSteps: hp.total_steps === null ? undefined : num(hp.total_steps, "total_steps"),
        epochs: hp.epochs === null ? undefined : num(hp.epochs, "epochs"),
        stepsPerEpoch: hp.steps_per_epoch === null ? undefined : num(hp.steps_per_epoch, "steps_per_epoch"),
        pctStart: num(hp.pct_start, "pct_start"),
        annealStrategy: hp.anneal_strategy as "cos" | "linear",
        cycleMomentum: hp.cycle_momentum as boolean,
        baseMomentum: numOrList(hp.base_momentum, "base_momentum"),
        maxMomentum: numOrList(hp.max_momentum, "max_momentum"),
        divFactor: num(hp.div_factor, "div_factor"),
        finalDivFactor: num(hp.final_div_factor, "final_div_factor"),
        threePhase: hp.three_phase as boolean,
      });
    default:
      throw new Error(`no nabla scheduler for torch class "${cls}"`);
  }
}

/** A param-groups object like the case's optimizer (torch fills momentum / betas from its defaults). */
function makeOptimizer(spec: Hp): Opt {
  const cls = spec.torch_class as string;
  const hp = (spec.hyperparameters ?? {}) as Hp;
  const groups = spec.param_groups as { lr: number }[];
  if (cls === "SGD") return { paramGroups: groups.map((g) => ({ lr: g.lr, momentum: num(hp.momentum ?? 0, "momentum") })) };
  if (cls === "Adam" || cls === "AdamW") {
    const betas = (hp.betas as number[] | undefined) ?? [0.9, 0.999];
    return { paramGroups: groups.map((g) => ({ lr: g.lr, betas: [...betas] })) };
  }
  throw new Error(`optimizer ${cls} is not handled by the runner`);
}

interface Stepper {
  step(): void;
}

export const runLrScheduler: Runner = (c: ConformanceCase, dtype): CaseResult => {
  const cls = c.torch_class!;
  const hp = (c.hyperparameters ?? {}) as Hp;
  const problem = c.problem as Hp;
  const opt = makeOptimizer(problem.optimizer as Hp);
  const trajectory = c.trajectory as number[][];
  const momentumTrajectory = c.momentum_trajectory as number[][] | undefined;
  const finalState = c.final_state as Hp;

  let stepper: Stepper;
  let metrics: number[] | undefined;
  let finalActual: () => Hp;
  const subsOf = (list: unknown): Sched[] =>
    (list as { torch_class: string; hyperparameters: Hp }[]).map((s) => build(opt, s.torch_class, s.hyperparameters));
  if (cls === "SequentialLR") {
    onlyKnown(cls, hp, ["milestones", "schedulers"]);
    const subs = subsOf(hp.schedulers);
    const seq = new nb.optim.lrScheduler.SequentialLR(opt, { schedulers: subs, milestones: hp.milestones as number[] });
    stepper = seq;
    finalActual = () => ({ last_epoch: seq.lastEpoch, schedulers: subs.map((s) => ({ last_epoch: s.lastEpoch })) });
  } else if (cls === "ChainedScheduler") {
    onlyKnown(cls, hp, ["schedulers"]);
    const subs = subsOf(hp.schedulers);
    stepper = new nb.optim.lrScheduler.ChainedScheduler(subs);
    finalActual = () => ({ schedulers: subs.map((s) => ({ last_epoch: s.lastEpoch })) });
  } else if (cls === "ReduceLROnPlateau") {
    onlyKnown(cls, hp, ["mode", "factor", "patience", "threshold", "threshold_mode", "cooldown", "min_lr", "eps"]);
    const r = new nb.optim.lrScheduler.ReduceLROnPlateau(opt, {
      mode: hp.mode as "min" | "max",
      factor: num(hp.factor, "factor"),
      patience: num(hp.patience, "patience"),
      threshold: num(hp.threshold, "threshold"),
      thresholdMode: hp.threshold_mode as "rel" | "abs",
      cooldown: num(hp.cooldown, "cooldown"),
      minLr: numOrList(hp.min_lr, "min_lr"),
      eps: num(hp.eps, "eps"),
    });
    metrics = problem.metrics as number[];
    let k = 0;
    stepper = { step: () => r.step(metrics![k++]!) };
    finalActual = () => ({ last_epoch: r.lastEpoch, best: r.best, num_bad_epochs: r.numBadEpochs, cooldown_counter: r.cooldownCounter });
  } else {
    const s = build(opt, cls, hp);
    stepper = s;
    finalActual = () => {
      const out: Hp = { last_epoch: s.lastEpoch };
      if (s instanceof nb.optim.lrScheduler.CosineAnnealingWarmRestarts) Object.assign(out, { T_i: s.tI, T_cur: s.tCur });
      return out;
    };
  }

  // float64: 1e-9 everywhere; float32: the case's per-field tolerance (lrs are doubles either way).
  const tol = (field: string): number =>
    dtype === "float64" ? 1e-9 : (c.float32_rtol_fields?.[field] ?? c.float32_rtol ?? 1e-12);
  let worst = { ratio: -1, err: 0, tol: 1, where: "nothing compared" };
  const note = (err: number, field: string, where: string): void => {
    const t = tol(field);
    const ratio = Number.isNaN(err) ? Infinity : err / t;
    if (ratio > worst.ratio) worst = { ratio, err: Number.isNaN(err) ? Infinity : err, tol: t, where };
  };
  const momentumNow = (): number[] => opt.paramGroups.map((g) => (g.betas ? g.betas[0]! : g.momentum!));

  for (let e = 0; e < trajectory.length; e++) {
    if (e > 0) stepper.step();
    note(relError(opt.paramGroups.map((g) => g.lr), trajectory[e]!), "trajectory", `trajectory[${e}]`);
    if (momentumTrajectory) note(relError(momentumNow(), momentumTrajectory[e]!), "momentum_trajectory", `momentum_trajectory[${e}]`);
  }
  if (c.steps !== trajectory.length - 1) throw new Error(`case has steps=${c.steps} but ${trajectory.length} trajectory rows`);

  const actual = finalActual();
  const compareScalars = (exp: Hp, act: Hp, path: string): void => {
    for (const [k, v] of Object.entries(exp)) {
      const a = act[k];
      if (k === "schedulers") {
        const es = v as Hp[];
        const as = a as Hp[];
        if (!Array.isArray(as) || as.length !== es.length) throw new Error(`final_state.${path}${k}: expected ${es.length} entries`);
        es.forEach((sub, i) => compareScalars(sub, as[i]!, `${path}${k}[${i}].`));
        continue;
      }
      if (typeof v !== "number" || typeof a !== "number") throw new Error(`final_state.${path}${k}: expected ${JSON.stringify(v)}, got ${JSON.stringify(a)}`);
      note(v === 0 ? Math.abs(a) : Math.abs(a - v) / Math.abs(v), "final_state", `final_state.${path}${k}`);
    }
  };
  compareScalars(finalState, actual, "");
  return { worst: worst.err, where: worst.where, tolerance: worst.tol };
};
