import type { Tensor } from "../../tensor/tensor.js";
import { Optimizer, type Closure, type ParamGroup, type ParamGroupInput, type ParamsInput } from "../optimizer.js";
import type { FloatArray } from "../types.js";
import { checkInteger, checkNonNegative } from "../validate.js";
import { withDefaults } from "./common.js";
import { axpy, difference, dot, FlatParams, maxAbs, scaled, sumAbs } from "./lbfgs-flat.js";
import { strongWolfe } from "./lbfgs-lineSearch.js";
import { initialLbfgsState, loadLbfgsState, type LBFGSState } from "./lbfgs-state.js";

export type { LBFGSState } from "./lbfgs-state.js";

export type LBFGSOptions = {
  lr: number;
  /** Iterations per `step`. */
  maxIter: number;
  /** Closure evaluations per `step` (default floor(maxIter·5/4)). */
  maxEval: number;
  /** A step stops (or returns at once) when max|g| ≤ this. */
  toleranceGrad: number;
  /** A step stops when the loss or the parameters change by less, or g·d > −this. */
  toleranceChange: number;
  /** Curvature pairs kept. */
  historySize: number;
  /** null: fixed step t = lr; "strong_wolfe": line search satisfying the strong Wolfe conditions. */
  lineSearchFn: "strong_wolfe" | null;
};

/** min(1, 1/Σ|g|), the first iteration's step before lr (Python's min: NaN gives 1, as in torch). */
function firstStepScale(g: FloatArray): number {
  const inverse = 1 / sumAbs(g);
  return inverse < 1 ? inverse : 1;
}

/** y·s must exceed this for a curvature pair to be kept (torch's constant). */
const CURVATURE_MIN = 1e-10;

/**
 * L-BFGS (Nocedal 1980; Liu & Nocedal 1989), matching torch.optim.LBFGS
 * (itself after minFunc). Each `step(closure)` runs up to `maxIter`
 * iterations on the flat vector of all parameters: the direction is
 * d = −H·g from the two-loop recursion over the last `historySize` pairs
 * (s = t·d, y = Δg, kept when y·s > 1e-10, initial H = (y·s / y·y)·I),
 * d = −g on the very first iteration; the step is t = lr (the first
 * iteration ever: min(1, 1/Σ|g|)·lr), or the strong Wolfe line search's
 * (c1 1e-4, c2 0.9, 25 evaluations, bracket tolerance 1e-9). It stops after
 * `maxIter` iterations or `maxEval` evaluations, when max|g| ≤
 * toleranceGrad, g·d > −toleranceChange, max|t·d| ≤ toleranceChange or
 * |Δloss| < toleranceChange. Without line search the last iteration does not
 * re-evaluate the closure. Defaults: lr 1, maxIter 20, maxEval
 * floor(maxIter·5/4), toleranceGrad 1e-7, toleranceChange 1e-9,
 * historySize 100, lineSearchFn null.
 *
 * One parameter group only, all of one dtype. The state is global; like
 * torch it is kept in the first parameter's slot (so `stateDict().state`
 * has the single entry 0), and `loadStateDict` checks it as a whole.
 */
export class LBFGS extends Optimizer<LBFGSOptions, LBFGSState> {
  /** Every step re-evaluates the loss: `fit` passes a closure. */
  readonly requiresClosure = true;

  constructor(params: ParamsInput<LBFGSOptions>, options: Partial<LBFGSOptions> = {}) {
    const maxIter = options.maxIter ?? 20;
    super(
      "LBFGS",
      params,
      withDefaults(
        {
          lr: 1,
          maxIter: 20,
          maxEval: Math.floor((maxIter * 5) / 4),
          toleranceGrad: 1e-7,
          toleranceChange: 1e-9,
          historySize: 100,
          lineSearchFn: null,
        },
        options,
      ),
    );
  }

  protected validateOptions(o: LBFGSOptions): void {
    checkNonNegative("LBFGS", "lr", o.lr);
    checkInteger("LBFGS", "maxIter", o.maxIter, 1);
    checkInteger("LBFGS", "maxEval", o.maxEval, 1);
    checkNonNegative("LBFGS", "toleranceGrad", o.toleranceGrad);
    checkNonNegative("LBFGS", "toleranceChange", o.toleranceChange);
    checkInteger("LBFGS", "historySize", o.historySize, 1);
    if (o.lineSearchFn !== null && o.lineSearchFn !== "strong_wolfe") {
      throw new RangeError(`LBFGS: lineSearchFn must be null or "strong_wolfe", got ${JSON.stringify(o.lineSearchFn)}`);
    }
  }

  /** Adds the one parameter group; a second one, or parameters of different dtypes, are rejected (torch allows one group). */
  override addParamGroup(group: ParamGroupInput<LBFGSOptions>): void {
    if (this.paramGroups.length > 0) throw new Error("LBFGS: doesn't support per-parameter options (parameter groups); give one list of parameters");
    super.addParamGroup(group);
    const params = this.paramGroups[0]!.params;
    const other = params.findIndex((p) => p.dtype !== params[0]!.dtype);
    if (other >= 0) {
      this.paramGroups.pop();
      throw new TypeError(
        `LBFGS: all parameters must have one dtype (they are optimized as one flat vector); params[0] is ${params[0]!.dtype}, params[${other}] is ${params[other]!.dtype}`,
      );
    }
  }

  protected stateTemplate(param: Tensor, group: ParamGroup<LBFGSOptions>): LBFGSState | undefined {
    return param === group.params[0] ? initialLbfgsState() : undefined;
  }

  /** The global state varies in length (the history), so it is checked as a whole rather than against the template. */
  protected override loadState(_template: LBFGSState, saved: unknown, param: Tensor, where: string): LBFGSState {
    const flat = new FlatParams(this.paramGroups[0]!.params);
    return loadLbfgsState(saved, flat.numel, param.data as FloatArray, where);
  }

  /** Calls the closure and returns its loss, which must be a number or a one-element tensor. */
  private evaluate(closure: Closure): number {
    const loss: unknown = this.evaluateClosure(closure);
    if (typeof loss !== "number") {
      throw new TypeError(`LBFGS.step: the closure must return the loss (a number or a one-element Tensor), got ${loss === null ? "null" : typeof loss}`);
    }
    this.checkGradients();
    return loss;
  }

  /**
   * Runs up to `maxIter` L-BFGS iterations and returns the loss at the
   * start of the step. `closure` is required: it must re-evaluate the
   * model, set the gradients (zero them first: backward accumulates) and
   * return the loss. If the closure throws, the parameters are restored and
   * the state is left as it was.
   */
  step(closure?: Closure): number {
    if (typeof closure !== "function") {
      throw new TypeError("LBFGS.step: a closure is required (it re-evaluates the model, sets the gradients and returns the loss)");
    }
    const group = this.paramGroups[0]!;
    this.validateOptions(group);
    const { lr, maxIter, maxEval, toleranceGrad, toleranceChange, historySize, lineSearchFn } = group;
    const first = group.params[0]!;
    const flat = new FlatParams(group.params);
    const saved = this.state.get(first) ?? initialLbfgsState();
    const start = flat.values();

    // Work on copies of the state and commit at the end, so that a failing
    // closure leaves the optimizer as it was.
    let funcEvals = saved.funcEvals;
    let totalIter = saved.nIter;
    let { t, hDiag, prevLoss, d, prevFlatGrad } = saved;
    let oldDirs = saved.oldDirs === null ? null : [...saved.oldDirs];
    let oldStps = saved.oldStps === null ? null : [...saved.oldStps];
    let ro = saved.ro === null ? null : [...saved.ro];
    let al = saved.al === null ? null : [...saved.al];
    let origLoss: number;

    try {
      origLoss = this.evaluate(closure);
      let loss = origLoss;
      let currentEvals = 1;
      funcEvals += 1;
      let flatGrad = flat.gatherGrad();
      let optimal = maxAbs(flatGrad) <= toleranceGrad;

      if (!optimal) {
        let nIter = 0;
        while (nIter < maxIter) {
          nIter += 1;
          totalIter += 1;

          // Direction.
          if (totalIter === 1) {
            d = scaled(flatGrad, -1);
            oldDirs = [];
            oldStps = [];
            ro = [];
            hDiag = 1;
          } else {
            // Stored state is complete once an iteration has run (loadLbfgsState checks it).
            const y = difference(flatGrad, prevFlatGrad!);
            const s = scaled(d!, t!);
            const ys = dot(y, s);
            if (ys > CURVATURE_MIN) {
              // Drop the oldest pairs. torch drops one when the history is
              // exactly full; dropping down to size also covers a
              // historySize lowered between steps.
              while (oldDirs!.length >= historySize) {
                oldDirs!.shift();
                oldStps!.shift();
                ro!.shift();
              }
              oldDirs!.push(y);
              oldStps!.push(s);
              ro!.push(1 / ys);
              hDiag = ys / dot(y, y);
            }
            d = this.twoLoop(flatGrad, oldDirs!, oldStps!, ro!, hDiag!, (al ??= new Array<number | null>(historySize).fill(null)));
          }
          prevFlatGrad = flatGrad;
          prevLoss = loss;

          // Step length: the first iteration ever scales the step to the gradient's size.
          t = totalIter === 1 ? firstStepScale(flatGrad) * lr : lr;
          const gtd = dot(flatGrad, d);
          if (gtd > -toleranceChange) break; // not a descent direction (to tolerance)

          let lsEvals = 0;
          if (lineSearchFn === "strong_wolfe") {
            const x = flat.values();
            const dir = d;
            const found = strongWolfe((trial) => this.evaluateAt(closure, flat, x, trial, dir), dir, t, loss, flatGrad, gtd);
            loss = found.loss;
            flatGrad = found.grad;
            t = found.t;
            lsEvals = found.evals;
            flat.addScaled(t, d);
            optimal = maxAbs(flatGrad) <= toleranceGrad;
          } else {
            flat.addScaled(t, d);
            // The last iteration does not re-evaluate: in a stochastic
            // setting that evaluation would be wasted (torch's reasoning).
            if (nIter !== maxIter) {
              loss = this.evaluate(closure);
              flatGrad = flat.gatherGrad();
              optimal = maxAbs(flatGrad) <= toleranceGrad;
              lsEvals = 1;
            }
          }
          currentEvals += lsEvals;
          funcEvals += lsEvals;

          if (nIter === maxIter) break;
          if (currentEvals >= maxEval) break;
          if (optimal) break;
          if (maxAbs(d, t) <= toleranceChange) break; // the parameters barely moved
          if (Math.abs(loss - prevLoss) < toleranceChange) break; // the loss barely moved
        }
      }
    } catch (e) {
      flat.assign(start);
      throw e;
    }

    this.state.set(first, { funcEvals, nIter: totalIter, t, hDiag, prevLoss, d, prevFlatGrad, oldDirs, oldStps, ro, al });
    this.stepCount += 1;
    return origLoss;
  }

  /**
   * The two-loop recursion: d = −H·g for the L-BFGS inverse Hessian H built
   * from the pairs (s_i, y_i) on top of hDiag·I. `al` receives the first
   * loop's coefficients.
   */
  private twoLoop(g: FloatArray, dirs: FloatArray[], stps: FloatArray[], ro: number[], hDiag: number, al: (number | null)[]): FloatArray {
    const q = scaled(g, -1);
    for (let i = dirs.length - 1; i >= 0; i--) {
      const a = dot(stps[i]!, q) * ro[i]!;
      al[i] = a;
      axpy(q, -a, dirs[i]!);
    }
    const r = scaled(q, hDiag);
    for (let i = 0; i < dirs.length; i++) {
      const be = dot(dirs[i]!, r) * ro[i]!;
      axpy(r, al[i]! - be, stps[i]!);
    }
    return r;
  }

  /** The loss and flat gradient at x + t·d; the parameters are x again afterwards (torch's _directional_evaluate). */
  private evaluateAt(closure: Closure, flat: FlatParams, x: FloatArray, t: number, d: FloatArray): { loss: number; grad: FloatArray } {
    flat.addScaled(t, d);
    try {
      const loss = this.evaluate(closure);
      return { loss, grad: flat.gatherGrad() };
    } finally {
      flat.assign(x);
    }
  }
}
