// The autograd layer: backward, functional grad, grad mode and gradient checking.
export { backward, propagate, type BackwardOptions } from "./backward.js";
export { grad, valueAndGrad, type GradOptions } from "./grad.js";
export { noGrad, enableGrad, isGradEnabled } from "./noGrad.js";
export { gradcheck, gradcheckResult, type GradcheckOptions, type GradcheckResult } from "./gradcheck.js";
