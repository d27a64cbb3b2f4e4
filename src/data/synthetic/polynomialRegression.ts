import type { SplitDataset } from "../splits.js";
import { checkNonNegative, resolveSynthetic, shuffleAndSplit, type SyntheticOptions } from "./common.js";

export interface PolynomialRegressionOptions extends SyntheticOptions {
  /** Degree of the polynomial; 3 by default. */
  degree?: number;
  /** Standard deviation of the Gaussian noise on the targets; 0.1 by default. */
  noise?: number;
}

/** The true coefficients c_0 (constant) .. c_degree the targets were made from. */
export interface PolynomialRegressionDataset extends SplitDataset {
  readonly coefficients: readonly number[];
}

/**
 * A 1-D polynomial with noise: x ~ U(-1, 1) of shape [N, 1], coefficients
 * c_0..c_degree ~ N(0, 1) drawn once (returned), targets
 * y = Σ_k c_k x^k + N(0, noise²) of shape [N, 1]. The features are x
 * alone; expanding to powers of x is the model's job. Regression.
 */
export function polynomialRegression(options: PolynomialRegressionOptions = {}): PolynomialRegressionDataset {
  const op = "polynomialRegression";
  const degree = options.degree ?? 3;
  if (!Number.isInteger(degree) || degree < 0) throw new RangeError(`${op}: degree must be a non-negative integer, got ${degree}`);
  const noise = options.noise ?? 0.1;
  checkNonNegative(noise, "noise", op);
  const r = resolveSynthetic(options, op);
  const coefficients = Array.from({ length: degree + 1 }, () => r.generator.normal());
  const x = new Float32Array(r.n);
  const y = new Float32Array(r.n);
  for (let i = 0; i < r.n; i++) {
    x[i] = 2 * r.generator.random() - 1;
    // Horner's rule, on the float32 value the model will see.
    const xv = x[i]!;
    let sum = 0;
    for (let k = degree; k >= 0; k--) sum = sum * xv + coefficients[k]!;
    y[i] = sum + noise * r.generator.normal();
  }
  return {
    name: "polynomialRegression",
    task: "regression",
    ...shuffleAndSplit(x, [1], y, [1], r),
    inputShape: [1],
    numClasses: 0,
    outputSize: 1,
    coefficients,
  };
}
