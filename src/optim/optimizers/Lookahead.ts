import type { Tensor } from "../../tensor/tensor.js";
import type { Closure, GroupOptions, OptimizerStateDict, ParamGroup } from "../optimizer.js";
import { copyMatching } from "../stateTree.js";
import type { FloatArray } from "../types.js";
import { checkInRange, checkInteger } from "../validate.js";
import { allParams, checkInner, type InnerOptimizer } from "./SAM-inner.js";

/** Lookahead's options (the names of the paper and torch-optimizer). */
export type LookaheadOptions = {
  /** Fast steps between synchronisations (default 5). */
  k: number;
  /** How far the slow weights move toward the fast ones, in [0, 1] (default 0.5). */
  alpha: number;
};

/** Lookahead's own state: its options, the inner steps taken, and the slow weights by parameter position. */
export type LookaheadOwnState = LookaheadOptions & { step: number; slow: Record<number, FloatArray> };

/** Lookahead's state dict: the inner optimizer's, plus `lookahead`. */
export type LookaheadStateDict = OptimizerStateDict & { lookahead: LookaheadOwnState };

/**
 * Lookahead (Zhang et al. 2019, "Lookahead Optimizer: k steps forward, 1
 * step back"): wraps any optimizer (the fast one). The slow weights φ start
 * as the parameters at the first step; after every k steps of the inner
 * optimizer `φ ← φ + α(θ − φ)` and the parameters are reset to φ. The inner
 * optimizer keeps its own state across synchronisations. `paramGroups` are
 * the inner optimizer's (schedulers drive it); a closure, train() and
 * eval() are passed through. Defaults: k 5, alpha 0.5. Equals `lookahead`
 * through fromTransform.
 */
export class Lookahead {
  readonly name = "Lookahead";
  readonly optimizer: InnerOptimizer;
  k: number;
  alpha: number;
  /** Inner steps taken. */
  stepCount = 0;
  private slow = new Map<Tensor, FloatArray>();

  constructor(optimizer: InnerOptimizer, options: Partial<LookaheadOptions> = {}) {
    this.optimizer = checkInner("Lookahead", optimizer);
    this.k = checkInteger("Lookahead", "k", options.k ?? 5, 1);
    this.alpha = checkInRange("Lookahead", "alpha", options.alpha ?? 0.5, 0, 1, true);
  }

  /** The inner optimizer's groups. */
  get paramGroups(): ParamGroup<GroupOptions>[] {
    return this.optimizer.paramGroups;
  }

  /** True when the inner optimizer needs a closure (SAM, L-BFGS). */
  get requiresClosure(): boolean {
    return this.optimizer.requiresClosure === true;
  }

  zeroGrad(options?: { setToNone?: boolean }): void {
    this.optimizer.zeroGrad(options);
  }

  /** Passes train() to the inner optimizer (schedule-free ones switch their point). */
  train(): void {
    this.optimizer.train?.();
  }

  /** Passes eval() to the inner optimizer. */
  eval(): void {
    this.optimizer.eval?.();
  }

  /** One inner step; every k-th one is followed by the slow update and the reset of the fast weights. */
  step(closure?: Closure): number | undefined {
    for (const p of allParams(this.paramGroups)) if (!this.slow.has(p)) this.slow.set(p, (p.data as FloatArray).slice());
    const loss = this.optimizer.step(closure);
    this.stepCount += 1;
    if (this.stepCount % this.k === 0) this.synchronize();
    return loss;
  }

  /** `φ ← φ + α(θ − φ)`, `θ ← φ` for every parameter. */
  private synchronize(): void {
    const a = this.alpha;
    for (const p of allParams(this.paramGroups)) {
      const slow = this.slow.get(p)!;
      const x = p.data as FloatArray;
      for (let i = 0; i < x.length; i++) {
        const s = slow[i] + a * (x[i] - slow[i]);
        slow[i] = s;
        x[i] = s;
      }
    }
  }

  /** The inner optimizer's state dict, plus `lookahead: { k, alpha, step, slow }` (slow weights copied, by position). */
  stateDict(): LookaheadStateDict {
    const slow: Record<number, FloatArray> = {};
    allParams(this.paramGroups).forEach((p, i) => {
      const s = this.slow.get(p);
      if (s !== undefined) slow[i] = s.slice();
    });
    return { ...this.optimizer.stateDict(), lookahead: { k: this.k, alpha: this.alpha, step: this.stepCount, slow } };
  }

  /** Restores a `stateDict()`; everything of Lookahead's is checked before anything changes. */
  loadStateDict(sd: LookaheadStateDict): void {
    const owner = "Lookahead.loadStateDict";
    const own = (sd as Partial<LookaheadStateDict>).lookahead;
    if (typeof own !== "object" || own === null || typeof own.slow !== "object" || own.slow === null) {
      throw new TypeError(`${owner}: expected { state, paramGroups, lookahead: { k, alpha, step, slow } }`);
    }
    const k = checkInteger(owner, "lookahead.k", own.k, 1);
    const alpha = checkInRange(owner, "lookahead.alpha", own.alpha, 0, 1, true);
    const step = checkInteger(owner, "lookahead.step", own.step, 0);
    const params = allParams(this.paramGroups);
    const slow = new Map<Tensor, FloatArray>();
    for (const key of Object.keys(own.slow)) {
      const p = params[Number(key)];
      if (p === undefined) throw new Error(`${owner}: slow weights for parameter ${key}, but there are ${params.length} parameters`);
      const like = p.data as FloatArray;
      slow.set(p, copyMatching(like, own.slow[Number(key)], `${owner}: lookahead.slow[${key}]`, like) as FloatArray);
    }
    const { lookahead: _omit, ...inner } = sd;
    this.optimizer.loadStateDict(inner);
    this.k = k;
    this.alpha = alpha;
    this.stepCount = step;
    this.slow = slow;
  }
}
