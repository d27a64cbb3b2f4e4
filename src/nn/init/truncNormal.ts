import { Tensor } from "../../tensor/tensor.js";
import { checkFinite, checkTarget, fillWith, generatorOf, type InitOptions } from "./fill.js";
import { normalCdf, normalQuantile } from "./normalDistribution.js";

export interface TruncNormalOptions extends InitOptions {
  /** Mean of the underlying normal (default 0). */
  mean?: number;
  /** Standard deviation of the underlying normal (default 1). */
  std?: number;
  /** Lower bound, absolute (not in units of std), default -2. */
  a?: number;
  /** Upper bound, absolute, default 2. */
  b?: number;
}

/**
 * Fills `t` in place with N(mean, std^2) truncated to [a, b]
 * (torch.nn.init.trunc_normal_): draw p uniformly in [Phi(alpha), Phi(beta)]
 * with alpha = (a - mean)/std, beta = (b - mean)/std, take
 * mean + std * Phi^-1(p), and clamp to [a, b]. The bounds are absolute: with
 * std = 0.02 the defaults -2, 2 truncate nothing.
 */
export function truncNormal(t: Tensor, options: TruncNormalOptions = {}): Tensor {
  checkTarget(t, "truncNormal");
  const { mean = 0, std = 1, a = -2, b = 2 } = options;
  for (const [name, v] of [["mean", mean], ["std", std], ["a", a], ["b", b]] as const) checkFinite(v, name, "truncNormal");
  if (!(std > 0)) throw new RangeError(`truncNormal: std must be positive, got ${std}`);
  if (!(a < b)) throw new RangeError(`truncNormal: need a < b, got a=${a}, b=${b}`);
  const lo = normalCdf((a - mean) / std);
  const hi = normalCdf((b - mean) / std);
  const g = generatorOf(options);
  return fillWith(t, () => {
    const x = mean + std * normalQuantile(lo + (hi - lo) * g.random());
    return x < a ? a : x > b ? b : x;
  });
}
