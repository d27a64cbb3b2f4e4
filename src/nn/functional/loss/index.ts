// Loss functions (torch.nn.functional's), each reducing with "mean" by default.
export { type Reduction } from "./reduction.js";
export {
  mseLoss,
  l1Loss,
  huberLoss,
  smoothL1Loss,
  type ReductionOptions,
  type HuberLossOptions,
  type SmoothL1LossOptions,
} from "./regression.js";
export { crossEntropy, nllLoss, type CrossEntropyOptions, type NllLossOptions } from "./crossEntropy.js";
export { binaryCrossEntropyWithLogits, type BceWithLogitsOptions } from "./binaryCrossEntropy.js";
export { klDiv, type KlDivOptions } from "./klDiv.js";
