// nb.nn: Module, layers, initializers, losses, functional, utils.
export * as utils from "./utils/index.js";
export * as init from "./init/index.js";
export * as functional from "./functional/index.js";
export { Module, type StateDict, type LoadStateDictOptions, type LoadStateDictResult } from "./module.js";
export { Sequential, ModuleList } from "./containers.js";
export { Linear, type LinearOptions } from "./layers/linear.js";
export { Conv2d, type Conv2dLayerOptions, type PaddingMode } from "./layers/conv.js";
export {
  MaxPool2d,
  AvgPool2d,
  AdaptiveAvgPool2d,
  type MaxPool2dLayerOptions,
  type MaxPool2dResult,
  type AvgPool2dLayerOptions,
} from "./layers/pooling.js";
export { Flatten, Unflatten } from "./layers/flatten.js";
export { BatchNorm1d, BatchNorm2d, type BatchNormLayerOptions } from "./layers/batchNorm.js";
export { LayerNorm, GroupNorm, type LayerNormLayerOptions, type GroupNormLayerOptions } from "./layers/layerNorm.js";
export { Dropout, type DropoutOptions } from "./layers/dropout.js";
export { Embedding, type EmbeddingLayerOptions } from "./layers/embedding.js";
export {
  ReLU,
  ReLU6,
  LeakyReLU,
  ELU,
  SELU,
  GELU,
  SiLU,
  Mish,
  Tanh,
  Sigmoid,
  LogSigmoid,
  Softplus,
  Hardtanh,
  Softmax,
  LogSoftmax,
  Identity,
} from "./layers/activation.js";
export { MSELoss, L1Loss, HuberLoss, SmoothL1Loss } from "./losses/regression.js";
export { CrossEntropyLoss, NLLLoss, BCEWithLogitsLoss, KLDivLoss } from "./losses/classification.js";
export { l1Penalty, l2Penalty } from "./regularization.js";
export { type Reduction } from "./functional/loss/reduction.js";
