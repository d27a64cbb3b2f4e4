// nb.nn.utils: gradient clipping and gradient diagnostics.
export { clipGradNorm, pNorm, type ClipGradNormOptions } from "./clipGradNorm.js";
export { clipGradValue } from "./clipGradValue.js";
export {
  gradStats,
  snapshotWeights,
  type GradStats,
  type ParamGradStats,
  type NamedParams,
  type WeightSnapshot,
} from "./gradStats.js";
export { type ParamsLike } from "./params.js";
export * from "./maxNorm.js";
