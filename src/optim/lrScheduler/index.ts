// nb.optim.lrScheduler: PyTorch-style schedulers that drive an optimizer's param-group lrs.
export { type OptimizerLike, type ParamGroupLike } from "./optimizerLike.js";
export { LRScheduler, type LRSchedulerState } from "./lrScheduler.js";
export { StepLR, type StepLROptions } from "./stepLR.js";
export { MultiStepLR, type MultiStepLROptions } from "./multiStepLR.js";
export { ExponentialLR, type ExponentialLROptions } from "./exponentialLR.js";
export { ConstantLR, type ConstantLROptions } from "./constantLR.js";
export { LinearLR, type LinearLROptions } from "./linearLR.js";
export { PolynomialLR, type PolynomialLROptions } from "./polynomialLR.js";
export { CosineAnnealingLR, type CosineAnnealingLROptions } from "./cosineAnnealingLR.js";
export { CosineAnnealingWarmRestarts, type CosineAnnealingWarmRestartsOptions } from "./cosineAnnealingWarmRestarts.js";
export { LambdaLR, type LambdaLROptions, type LrLambda } from "./lambdaLR.js";
export { MultiplicativeLR, type MultiplicativeLROptions } from "./multiplicativeLR.js";
export { CyclicLR, type CyclicLROptions } from "./cyclicLR.js";
export { OneCycleLR, type OneCycleLROptions } from "./oneCycleLR.js";
export { SequentialLR, type SequentialLROptions, type SequentialLRState } from "./sequentialLR.js";
export { ChainedScheduler, type ChainedSchedulerState } from "./chainedScheduler.js";
export { ReduceLROnPlateau, type ReduceLROnPlateauOptions, type ReduceLROnPlateauState } from "./reduceLROnPlateau.js";
