import { enableGrad } from "../../autograd/noGrad.js";
import { Tensor } from "../../tensor/tensor.js";
import type { Closure, GroupOptions, OptimizerStateDict, ParamGroup } from "../optimizer.js";
import type { FloatArray } from "../types.js";
import { checkBoolean, checkNonNegative } from "../validate.js";
import { allParams, checkInner, type InnerOptimizer } from "./SAM-inner.js";

/** SAM's options. */
export type SAMOptions = {
  /** Radius ρ of the neighbourhood whose worst case is minimised (default 0.05). */
  rho: number;
  /** ASAM (Kwon et al. 2021): scale the neighbourhood by |w| elementwise (default false; use a larger rho, e.g. 2). */
  adaptive: boolean;
};

/** SAM's state dict: the base optimizer's, plus SAM's options. */
export type SAMStateDict = OptimizerStateDict & { sam: SAMOptions };

/** Added to the gradient norm, as the reference implementation (davda54/sam). */
const NORM_EPS = 1e-12;

/**
 * Sharpness-aware minimization (Foret et al. 2021, "Sharpness-Aware
 * Minimization for Efficiently Improving Generalization"; the PyTorch
 * reference davda54/sam): wraps a base optimizer and minimises
 * max_{‖e‖≤ρ} f(w + e). `step(closure)` evaluates the closure at w (loss
 * and gradient g), moves to the worst-case neighbour
 * `w + e`, `e = ρ·T²g/‖Tg‖₂` (T = 1, or |w| elementwise with `adaptive`:
 * ASAM, Kwon et al. 2021), re-evaluates the closure there, restores w and
 * steps the base optimizer with that second gradient. The closure must
 * zero the gradients, run the model and backward, and return the loss
 * (nb.fit builds it: `requiresClosure`). `paramGroups` are the base
 * optimizer's, so schedulers drive it. Returns the loss at w.
 * Defaults: rho 0.05, adaptive false.
 */
export class SAM {
  readonly name = "SAM";
  /** nb.fit passes a closure to step(). */
  readonly requiresClosure = true;
  readonly baseOptimizer: InnerOptimizer;
  rho: number;
  adaptive: boolean;
  /** Completed step() calls. */
  stepCount = 0;
  /** w, saved during a step (buffers reused from step to step). */
  private readonly saved = new Map<Tensor, FloatArray>();
  /** The parameters the last firstStep moved, which secondStep moves back. */
  private perturbed: Tensor[] = [];

  constructor(baseOptimizer: InnerOptimizer, options: Partial<SAMOptions> = {}) {
    this.baseOptimizer = checkInner("SAM", baseOptimizer);
    this.rho = checkNonNegative("SAM", "rho", options.rho ?? 0.05);
    this.adaptive = checkBoolean("SAM", "adaptive", options.adaptive ?? false);
  }

  /** The base optimizer's groups. */
  get paramGroups(): ParamGroup<GroupOptions>[] {
    return this.baseOptimizer.paramGroups;
  }

  zeroGrad(options?: { setToNone?: boolean }): void {
    this.baseOptimizer.zeroGrad(options);
  }

  /** Passes train() to the base optimizer (schedule-free ones switch their point). */
  train(): void {
    this.baseOptimizer.train?.();
  }

  /** Passes eval() to the base optimizer. */
  eval(): void {
    this.baseOptimizer.eval?.();
  }

  /** Parameters with a gradient, checked to be shaped like them. */
  private withGradients(): Tensor[] {
    const out = allParams(this.paramGroups).filter((p) => p.grad !== null);
    for (const p of out) {
      if (p.grad!.data.length !== p.data.length) {
        throw new Error(`SAM: a parameter has ${p.data.length} elements but its gradient has ${p.grad!.data.length}`);
      }
    }
    return out;
  }

  /**
   * The ascent step (davda54's first_step): saves w and sets
   * `w ← w + ρ·T²g/(‖Tg‖₂ + 1e-12)` for every parameter with a gradient.
   */
  firstStep(): void {
    const params = this.withGradients();
    let sq = 0;
    for (const p of params) {
      const g = p.grad!.data;
      const w = p.data;
      for (let i = 0; i < w.length; i++) {
        const tg = this.adaptive ? Math.abs(w[i]) * g[i] : g[i];
        sq += tg * tg;
      }
    }
    const scale = this.rho / (Math.sqrt(sq) + NORM_EPS);
    this.perturbed = params;
    for (const p of params) {
      const w = p.data as FloatArray;
      let old = this.saved.get(p);
      if (old === undefined || old.length !== w.length) {
        old = w.slice();
        this.saved.set(p, old);
      } else old.set(w);
      const g = p.grad!.data;
      for (let i = 0; i < w.length; i++) w[i] += (this.adaptive ? w[i] * w[i] : 1) * g[i] * scale;
    }
  }

  /** Restores the w saved by firstStep and steps the base optimizer with the current gradients (davda54's second_step). */
  secondStep(): void {
    this.restore();
    this.baseOptimizer.step();
  }

  /** Moves the parameters perturbed by firstStep back to w. */
  private restore(): void {
    for (const p of this.perturbed) (p.data as FloatArray).set(this.saved.get(p)!);
    this.perturbed = [];
  }

  /** Calls the closure with recording on and returns its loss as a number. */
  private evaluate(closure: Closure): number {
    const loss = enableGrad(closure);
    return loss instanceof Tensor ? loss.item() : loss;
  }

  /** One SAM step: closure at w, ascent, closure at w + e, restore, base step. Returns the loss at w. */
  step(closure?: Closure): number {
    if (typeof closure !== "function") {
      throw new TypeError("SAM.step: a closure is required (it zeroes the gradients, runs the model and backward, and returns the loss); SAM evaluates it twice");
    }
    const loss = this.evaluate(closure);
    this.firstStep();
    try {
      this.evaluate(closure);
    } catch (e) {
      // Leave the weights at w, not at the perturbed point.
      this.restore();
      throw e;
    }
    this.secondStep();
    this.stepCount += 1;
    return loss;
  }

  /** The base optimizer's state dict, plus `sam: { rho, adaptive }`. */
  stateDict(): SAMStateDict {
    return { ...this.baseOptimizer.stateDict(), sam: { rho: this.rho, adaptive: this.adaptive } };
  }

  /** Restores a `stateDict()`: SAM's options (checked first) and the base optimizer's state. */
  loadStateDict(sd: SAMStateDict): void {
    const sam = (sd as Partial<SAMStateDict>).sam;
    if (typeof sam !== "object" || sam === null) throw new TypeError("SAM.loadStateDict: expected { state, paramGroups, sam: { rho, adaptive } }");
    const rho = checkNonNegative("SAM.loadStateDict", "sam.rho", sam.rho);
    const adaptive = checkBoolean("SAM.loadStateDict", "sam.adaptive", sam.adaptive);
    const { sam: _omit, ...base } = sd;
    this.baseOptimizer.loadStateDict(base);
    this.rho = rho;
    this.adaptive = adaptive;
  }
}
