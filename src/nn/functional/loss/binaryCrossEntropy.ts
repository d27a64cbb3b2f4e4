import { logSigmoid } from "../../../tensor/index.js";
import { Tensor } from "../../../tensor/tensor.js";
import { checkFloating, checkReduction, checkSameShape, reduce, type Reduction } from "./reduction.js";

export interface BceWithLogitsOptions {
  /** Rescales each element's loss; broadcasts against the input. */
  weight?: Tensor | null;
  /** Weight of the positive term per class, along the last dimension. */
  posWeight?: Tensor | null;
  reduction?: Reduction;
}

/**
 * Binary cross-entropy on logits (torch.nn.functional.binary_cross_entropy_with_logits):
 * loss = w ((1 - y) x + (1 + (pw - 1) y) log(1 + exp(-x))), that is
 * -w (pw y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))). log(1 + exp(-x)) is
 * -logSigmoid(x), stable for logits of +-1e4; its derivative is exact at
 * every x, giving the input gradient w ((pw y + 1 - y) sigmoid(x) - pw y).
 */
export function binaryCrossEntropyWithLogits(input: Tensor, target: Tensor, options: BceWithLogitsOptions = {}): Tensor {
  const op = "binaryCrossEntropyWithLogits";
  checkFloating(input, "input", op);
  checkFloating(target, "target", op);
  checkSameShape(input, target, op);
  const reduction = options.reduction ?? "mean";
  checkReduction(reduction, ["mean", "sum", "none"], op);
  const { weight = null, posWeight = null } = options;
  if (weight !== null) checkFloating(weight, "weight", op);
  if (posWeight !== null) checkFloating(posWeight, "posWeight", op);
  const negative = target.neg().add(1).mul(input); // (1 - y) x
  const coefficient = posWeight === null ? null : target.mul(posWeight.sub(1)).add(1); // 1 + (pw - 1) y
  const softplusNeg = logSigmoid(input).neg(); // log(1 + exp(-x))
  let loss = negative.add(coefficient === null ? softplusNeg : coefficient.mul(softplusNeg));
  if (weight !== null) loss = loss.mul(weight);
  return reduce(loss, reduction);
}
