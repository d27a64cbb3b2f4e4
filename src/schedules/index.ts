// nb.schedules: learning-rate schedules as pure functions of the step (optax style).
export { type Schedule, type ScheduleLike, asSchedule } from "./schedule.js";
export { constant } from "./constant.js";
export { linear, type LinearOptions } from "./linear.js";
export { polynomial, type PolynomialOptions } from "./polynomial.js";
export { exponentialDecay, type ExponentialDecayOptions } from "./exponentialDecay.js";
export { stepDecay, type StepDecayOptions } from "./stepDecay.js";
export { piecewiseConstant, type PiecewiseConstantOptions, type BoundariesAndScales } from "./piecewiseConstant.js";
export {
  piecewiseInterpolate,
  interpolateLinear,
  interpolateCosine,
  type PiecewiseInterpolateOptions,
} from "./piecewiseInterpolate.js";
export { cosineDecay, type CosineDecayOptions } from "./cosineDecay.js";
export { warmupCosineDecay, type WarmupCosineDecayOptions } from "./warmupCosineDecay.js";
export { warmupExponentialDecay, type WarmupExponentialDecayOptions } from "./warmupExponentialDecay.js";
export { sgdr } from "./sgdr.js";
export { cosineDecayRestarts, type CosineDecayRestartsOptions } from "./cosineDecayRestarts.js";
export { oneCycle, cosineOnecycle, linearOnecycle, type OneCycleOptions } from "./oneCycle.js";
export { cyclic, cyclicPosition, cyclicScale, type CyclicOptions, type CyclicMode } from "./cyclic.js";
export { inverseSqrt, type InverseSqrtOptions } from "./inverseSqrt.js";
export { linearWarmup, type LinearWarmupOptions } from "./linearWarmup.js";
export { join } from "./join.js";
