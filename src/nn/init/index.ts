// nn.init: in-place initializers (torch.nn.init), seeded through an optional generator.
export { calculateGain, type Nonlinearity } from "./gain.js";
export { computeFans, type Fans, type FanMode } from "./fans.js";
export { type InitOptions } from "./fill.js";
export { uniform, normal, constant, zeros, ones, eye } from "./basic.js";
export { xavierUniform, xavierNormal, xavierStd, type XavierOptions } from "./xavier.js";
export { kaimingUniform, kaimingNormal, kaimingStd, type KaimingOptions } from "./kaiming.js";
export { truncNormal, type TruncNormalOptions } from "./truncNormal.js";
export { orthogonal, type OrthogonalOptions } from "./orthogonal.js";
export { normalCdf, normalQuantile } from "./normalDistribution.js";
