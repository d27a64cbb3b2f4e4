// Weight averaging: EMA of weights, stochastic weight averaging (AveragedModel,
// SWALR) and the BatchNorm statistics pass that follows it.
export { EMA, type EMAOptions, type EMAState, type EMAWarmup } from "./ema.js";
export { AveragedModel, type AveragedModelOptions } from "./averagedModel.js";
export { getSwaAvgFn, getEmaAvgFn, getSwaMultiAvgFn, getEmaMultiAvgFn, type AvgFn, type MultiAvgFn } from "./avgFns.js";
export { SWALR, type SWALROptions, type SWALRAnnealStrategy } from "./swalr.js";
export { updateBn } from "./updateBn.js";
