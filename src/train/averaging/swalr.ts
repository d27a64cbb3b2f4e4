// The learning-rate schedule of stochastic weight averaging: anneal each
// group's lr to a constant SWA lr, after torch.optim.swa_utils.SWALR.
import { LRScheduler } from "../../optim/lrScheduler/lrScheduler.js";
import { type OptimizerLike, type ParamGroupLike, perGroup } from "../../optim/lrScheduler/optimizerLike.js";
import { checkInteger, checkOneOf, checkOptions } from "../../schedules/validate.js";

export type SWALRAnnealStrategy = "cos" | "linear";

export interface SWALROptions {
  /** The lr to anneal to: one for every group, or one per group (torch's swa_lr). */
  swaLr: number | readonly number[];
  /** Epochs (steps) of annealing, an integer >= 0 (default 10); 0 jumps to swaLr at once. */
  annealEpochs?: number;
  /** "cos" (default) or "linear". */
  annealStrategy?: SWALRAnnealStrategy;
  lastEpoch?: number;
}

/** A param group with the SWA lr the scheduler wrote into it (torch's group["swa_lr"]). */
type SwaGroup = ParamGroupLike & { swaLr?: number };

const OPTION_KEYS = ["swaLr", "annealEpochs", "annealStrategy", "lastEpoch"];

/**
 * Anneals every group's lr from its value when the scheduler starts to
 * `swaLr` over `annealEpochs` steps, then holds it there
 * (torch.optim.swa_utils.SWALR, Izmailov et al. 2018). After s steps
 * (s = 0 at construction), with t = min(1, s / max(1, annealEpochs)) and
 * alpha = (1 - cos(pi t)) / 2 ("cos") or t ("linear"):
 * `lr = swaLr * alpha + lr0 * (1 - alpha)`. As torch, each step recovers
 * lr0 from the group's current lr and the previous alpha, so the schedule
 * follows any lr another scheduler wrote in between. `swaLr` is written
 * into each group (and read from there at every step).
 */
export class SWALR extends LRScheduler {
  readonly annealEpochs: number;
  readonly annealStrategy: SWALRAnnealStrategy;
  /** The SWA lr each group started with, used if a group loses its `swaLr` (e.g. loading an older optimizer state). */
  readonly swaLrs: readonly number[];

  constructor(optimizer: OptimizerLike, options: SWALROptions) {
    super("SWALR", optimizer);
    checkOptions(this.name, options);
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.includes(key)) throw new TypeError(`${this.name}: unknown option "${key}" (expected one of ${OPTION_KEYS.join(", ")})`);
    }
    const groups = optimizer.paramGroups as SwaGroup[];
    this.swaLrs = perGroup(this.name, "swaLr", options.swaLr, groups.length);
    this.annealEpochs = checkInteger(this.name, "annealEpochs", options.annealEpochs ?? 10, 0);
    this.annealStrategy = checkOneOf<SWALRAnnealStrategy>(this.name, "annealStrategy", options.annealStrategy ?? "cos", ["cos", "linear"]);
    groups.forEach((g, i) => (g.swaLr = this.swaLrs[i]));
    this.start(options.lastEpoch ?? -1);
  }

  #anneal(t: number): number {
    return this.annealStrategy === "cos" ? (1 - Math.cos(Math.PI * t)) / 2 : t;
  }

  protected computeLr(): number[] {
    const groups = this.optimizer.paramGroups as SwaGroup[];
    let step = this.stepCount - 1;
    if (this.annealEpochs === 0) step = Math.max(1, step);
    const span = Math.max(1, this.annealEpochs);
    const prevAlpha = this.#anneal(Math.max(0, Math.min(1, (step - 1) / span)));
    const alpha = this.#anneal(Math.max(0, Math.min(1, step / span)));
    return groups.map((g, i) => {
      const swaLr = typeof g.swaLr === "number" ? g.swaLr : this.swaLrs[i]!;
      // The lr before annealing, recovered from the current one.
      const lr0 = prevAlpha === 1 ? swaLr : (g.lr - prevAlpha * swaLr) / (1 - prevAlpha);
      return swaLr * alpha + lr0 * (1 - alpha);
    });
  }
}
