import { defaultGenerator, Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { randomPermutation } from "../permutation.js";
import { TensorDataset } from "../tensorDataset.js";

/** Options every synthetic dataset takes. */
export interface SyntheticOptions {
  /** Total number of samples, train and test together; 1000 by default. */
  n?: number;
  /** Share of the samples held out as the test set; 0.2 by default. */
  testFraction?: number;
  /** Generator to draw from; the global one (seeded by `manualSeed`) by default. */
  generator?: Generator;
  /** Shorthand for `generator: new Generator(seed)`. */
  seed?: number;
}

export interface Resolved {
  n: number;
  testFraction: number;
  generator: Generator;
}

/** Validates the shared options, naming `op` in errors. */
export function resolveSynthetic(options: SyntheticOptions, op: string, minN = 1): Resolved {
  const { n = 1000, testFraction = 0.2, generator, seed } = options;
  if (!Number.isInteger(n) || n < minN) throw new RangeError(`${op}: n must be an integer >= ${minN}, got ${n}`);
  if (!(testFraction >= 0 && testFraction < 1)) {
    throw new RangeError(`${op}: testFraction must be in [0, 1), got ${testFraction}`);
  }
  if (generator !== undefined && seed !== undefined) throw new Error(`${op}: pass either generator or seed, not both`);
  return { n, testFraction, generator: generator ?? (seed === undefined ? defaultGenerator : new Generator(seed)) };
}

/** Throws unless `value` is a finite number >= 0. */
export function checkNonNegative(value: number, name: string, op: string): void {
  if (!(Number.isFinite(value) && value >= 0)) throw new RangeError(`${op}: ${name} must be a finite number >= 0, got ${value}`);
}

/** Sizes of `parts` near-equal groups of n, the first n mod parts one larger. */
export function evenCounts(n: number, parts: number): number[] {
  return Array.from({ length: parts }, (_, k) => Math.floor(n / parts) + (k < n % parts ? 1 : 0));
}

/**
 * Shuffles the generated samples (they are produced class by class) with
 * the same generator, then puts the last round(n · testFraction) in test.
 */
export function shuffleAndSplit(
  features: Float32Array,
  featureShape: readonly number[],
  targets: Float32Array | Int32Array,
  targetShape: readonly number[],
  r: Resolved,
): { train: TensorDataset; test: TensorDataset } {
  const perm = randomPermutation(r.n, r.generator);
  const nTest = Math.round(r.n * r.testFraction);
  const take = (from: number, to: number): TensorDataset => {
    const fw = featureShape.reduce((a, b) => a * b, 1);
    const tw = targetShape.reduce((a, b) => a * b, 1);
    const x = new Float32Array((to - from) * fw);
    const y = targets instanceof Int32Array ? new Int32Array((to - from) * tw) : new Float32Array((to - from) * tw);
    for (let k = from; k < to; k++) {
      const i = perm[k]!;
      x.set(features.subarray(i * fw, (i + 1) * fw), (k - from) * fw);
      y.set(targets.subarray(i * tw, (i + 1) * tw), (k - from) * tw);
    }
    return new TensorDataset(new Tensor(x, [to - from, ...featureShape]), new Tensor(y, [to - from, ...targetShape]));
  };
  return { train: take(0, r.n - nTest), test: take(r.n - nTest, r.n) };
}
