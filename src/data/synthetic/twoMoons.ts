import type { SplitDataset } from "../splits.js";
import { checkNonNegative, resolveSynthetic, shuffleAndSplit, type SyntheticOptions } from "./common.js";

export interface TwoMoonsOptions extends SyntheticOptions {
  /** Standard deviation of the Gaussian noise added to each coordinate; 0.1 by default. */
  noise?: number;
}

/**
 * Two interleaving half circles in 2-D, as sklearn.datasets.make_moons:
 * floor(n/2) points of class 0 at (cos t, sin t) and the rest, class 1, at
 * (1 - cos t, 0.5 - sin t), with t evenly spaced over [0, π] in each moon,
 * plus N(0, noise²) on every coordinate. Classification, 2 classes.
 */
export function twoMoons(options: TwoMoonsOptions = {}): SplitDataset {
  const r = resolveSynthetic(options, "twoMoons", 2);
  const noise = options.noise ?? 0.1;
  checkNonNegative(noise, "noise", "twoMoons");
  const nOuter = Math.floor(r.n / 2);
  const x = new Float32Array(r.n * 2);
  const y = new Int32Array(r.n);
  for (let i = 0; i < r.n; i++) {
    const outer = i < nOuter;
    const m = outer ? nOuter : r.n - nOuter;
    const j = outer ? i : i - nOuter;
    const t = m > 1 ? (Math.PI * j) / (m - 1) : 0;
    x[2 * i] = (outer ? Math.cos(t) : 1 - Math.cos(t)) + noise * r.generator.normal();
    x[2 * i + 1] = (outer ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * r.generator.normal();
    y[i] = outer ? 0 : 1;
  }
  return {
    name: "twoMoons",
    task: "classification",
    ...shuffleAndSplit(x, [2], y, [], r),
    inputShape: [2],
    numClasses: 2,
    outputSize: 2,
  };
}
