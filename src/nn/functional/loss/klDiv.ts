import { exp, log } from "../../../tensor/index.js";
import { allocate } from "../../../tensor/dtype.js";
import { Tensor } from "../../../tensor/tensor.js";
import { checkFloating, checkReduction, checkSameShape, type Reduction } from "./reduction.js";

export interface KlDivOptions {
  /** "batchmean" divides the sum by input.shape[0] (the true KL per sample); "mean" by the element count. */
  reduction?: Reduction | "batchmean";
  /** The target holds log-probabilities instead of probabilities. */
  logTarget?: boolean;
}

/**
 * Kullback–Leibler divergence KL(target || input) with `input` holding
 * log-probabilities (torch.nn.functional.kl_div): elementwise
 * target (log target - input), 0 where target is 0, or with `logTarget`
 * exp(target) (target - input); then reduced. The default "mean" divides
 * by the element count, as torch; "batchmean" is the KL divergence per sample.
 */
export function klDiv(input: Tensor, target: Tensor, options: KlDivOptions = {}): Tensor {
  const op = "klDiv";
  checkFloating(input, "input", op);
  checkFloating(target, "target", op);
  checkSameShape(input, target, op);
  const reduction = options.reduction ?? "mean";
  checkReduction(reduction, ["mean", "sum", "none", "batchmean"], op);
  let loss: Tensor;
  if (options.logTarget) {
    loss = exp(target).mul(target.sub(input));
  } else {
    // t log t with 0 log 0 = 0: take the log of t + [t == 0], which is log 1 = 0 where t is 0.
    const zeros = allocate(target.dtype, target.size);
    for (let i = 0; i < zeros.length; i++) zeros[i] = target.data[i] === 0 ? 1 : 0;
    loss = target.mul(log(target.add(new Tensor(zeros, target.shape))).sub(input));
  }
  if (reduction === "none") return loss;
  if (reduction === "sum") return loss.sum();
  if (reduction === "mean") return loss.mean();
  return loss.sum().div(input.ndim === 0 ? 1 : input.shape[0]!);
}
