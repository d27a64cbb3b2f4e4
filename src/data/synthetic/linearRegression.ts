import type { SplitDataset } from "../splits.js";
import { checkNonNegative, resolveSynthetic, shuffleAndSplit, type SyntheticOptions } from "./common.js";

export interface LinearRegressionOptions extends SyntheticOptions {
  /** Number of input features; 1 by default. */
  features?: number;
  /** Standard deviation of the Gaussian noise on the targets; 0.1 by default. */
  noise?: number;
}

/** The true weights and bias the targets were made from. */
export interface LinearRegressionDataset extends SplitDataset {
  readonly weights: readonly number[];
  readonly bias: number;
}

/**
 * A linear model with noise: inputs x ~ N(0, I) of `features` dimensions,
 * weights w ~ N(0, I) and bias b ~ N(0, 1) drawn once (returned, so a fit
 * can be checked against them), targets y = w·x + b + N(0, noise²) of shape
 * [N, 1]. Regression.
 */
export function linearRegression(options: LinearRegressionOptions = {}): LinearRegressionDataset {
  const op = "linearRegression";
  const features = options.features ?? 1;
  if (!Number.isInteger(features) || features < 1) throw new RangeError(`${op}: features must be a positive integer, got ${features}`);
  const noise = options.noise ?? 0.1;
  checkNonNegative(noise, "noise", op);
  const r = resolveSynthetic(options, op);
  const weights = Array.from({ length: features }, () => r.generator.normal());
  const bias = r.generator.normal();
  const x = new Float32Array(r.n * features);
  const y = new Float32Array(r.n);
  for (let i = 0; i < r.n; i++) {
    let sum = bias;
    for (let f = 0; f < features; f++) {
      x[i * features + f] = r.generator.normal();
      // The float32 value the model will see, so the targets fit it exactly.
      sum += weights[f]! * x[i * features + f]!;
    }
    y[i] = sum + noise * r.generator.normal();
  }
  return {
    name: "linearRegression",
    task: "regression",
    ...shuffleAndSplit(x, [features], y, [1], r),
    inputShape: [features],
    numClasses: 0,
    outputSize: 1,
    weights,
    bias,
  };
}
