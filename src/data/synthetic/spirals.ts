import type { SplitDataset } from "../splits.js";
import { checkNonNegative, evenCounts, resolveSynthetic, shuffleAndSplit, type SyntheticOptions } from "./common.js";

export interface SpiralsOptions extends SyntheticOptions {
  /** Number of spiral arms, one class each; 3 by default. */
  classes?: number;
  /** Standard deviation of the Gaussian noise added to each point's angle; 0.2 by default. */
  noise?: number;
}

/**
 * Interleaved spiral arms in 2-D, the classic from Stanford's CS231n notes:
 * arm k gets n/classes points (the first n mod classes arms one more), the
 * j-th of m at radius ρ = j/(m-1) and angle θ = 4k + 4ρ + N(0, noise²),
 * placed at (ρ sin θ, ρ cos θ). Classification, `classes` classes.
 */
export function spirals(options: SpiralsOptions = {}): SplitDataset {
  const classes = options.classes ?? 3;
  if (!Number.isInteger(classes) || classes < 2) throw new RangeError(`spirals: classes must be an integer >= 2, got ${classes}`);
  const r = resolveSynthetic(options, "spirals", classes);
  const noise = options.noise ?? 0.2;
  checkNonNegative(noise, "noise", "spirals");
  const x = new Float32Array(r.n * 2);
  const y = new Int32Array(r.n);
  let i = 0;
  evenCounts(r.n, classes).forEach((m, k) => {
    for (let j = 0; j < m; j++, i++) {
      const rho = m > 1 ? j / (m - 1) : 0;
      const theta = 4 * k + 4 * rho + noise * r.generator.normal();
      x[2 * i] = rho * Math.sin(theta);
      x[2 * i + 1] = rho * Math.cos(theta);
      y[i] = k;
    }
  });
  return {
    name: "spirals",
    task: "classification",
    ...shuffleAndSplit(x, [2], y, [], r),
    inputShape: [2],
    numClasses: classes,
    outputSize: classes,
  };
}
