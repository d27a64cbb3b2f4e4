import { hyperAt } from "../base.js";
import { chain } from "../chain.js";
import type { GradientTransformation, Hyper, Schedule, State } from "../types.js";
import { addDecayedWeights } from "../transforms/addDecayedWeights.js";
import { scaleByAdafactor, type ScaleByAdafactorOptions } from "../transforms/scaleByAdafactor.js";
import { scaleByLearningRate } from "../transforms/scaleByLearningRate.js";
import { checkHyper } from "../validate.js";

/** Options of the adafactor alias. */
export interface AdafactorAliasOptions extends ScaleByAdafactorOptions {
  /** Decoupled weight decay: the parameter shrinks by `lr·wd·p` each step (default 0). */
  weightDecay?: number;
}

/**
 * torch's relative step size `ρₜ = min(lr, 1/√t)` divided by lr, as a
 * schedule of the step count (t = count + 1), so that the learning rate
 * applied after it (which also scales the weight decay) restores ρₜ.
 */
export function relativeStepOverLr(learningRate: Hyper): Schedule {
  return (count) => {
    const lr = hyperAt(learningRate, count);
    return lr > 0 ? Math.min(1, 1 / (lr * Math.sqrt(count + 1))) : 1;
  };
}

/**
 * Adafactor (Shazeer & Stern 2018) as torch.optim.Adafactor:
 * `ρₜ = min(lr, 1/√t)`, `αₜ = max(ε₂, RMS(θ))·ρₜ`, `θ ← θ − lr·wd·θ − αₜ·Û`
 * with Û the clipped, factored-RMS-scaled gradient (scaleByAdafactor).
 * `learningRate` caps the relative step and scales the weight decay
 * (default 1e-2, the paper's constant).
 *
 * `chain(scaleByAdafactor({ beta2Decay, eps, d }), scaleByLearningRate(ρₜ/lr, { flipSign: false }),
 *  addDecayedWeights(wd), scaleByLearningRate(lr))`
 */
export function adafactor(learningRate: Hyper = 1e-2, options: AdafactorAliasOptions = {}): GradientTransformation<State[]> {
  checkHyper("adafactor", "learningRate", learningRate);
  const links: GradientTransformation[] = [
    scaleByAdafactor(options),
    scaleByLearningRate(relativeStepOverLr(learningRate), { flipSign: false }),
  ];
  const wd = options.weightDecay ?? 0;
  if (wd !== 0) links.push(addDecayedWeights(wd));
  links.push(scaleByLearningRate(learningRate));
  return chain(...links);
}
