// nn.functional: layers as functions (torch.nn.functional), under torch's names in camelCase.
export {
  relu,
  relu6,
  leakyRelu,
  elu,
  selu,
  gelu,
  silu,
  sigmoid,
  logSigmoid,
  tanh,
  softplus,
  mish,
  hardtanh,
  softmax,
  logSoftmax,
  linear,
  conv2d,
  maxPool2d,
  maxPool2dWithIndices,
  avgPool2d,
  adaptiveAvgPool2d,
  pad,
  oneHot,
  type Conv2dOptions,
  type MaxPool2dOptions,
  type AvgPool2dOptions,
  type PadOptions,
  type PadMode,
  type IntPair,
} from "../../tensor/index.js";
export { dropout } from "./dropout.js";
export { embedding, type EmbeddingOptions } from "./embedding.js";
export { batchNorm, layerNorm, groupNorm, type BatchNormOptions, type LayerNormOptions } from "./normalization.js";
export * from "./loss/index.js";
