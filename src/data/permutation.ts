import type { Generator } from "../tensor/random.js";

/**
 * A uniformly random permutation of 0..n-1 by the Fisher–Yates shuffle
 * (Durstenfeld's in-place form), drawing n - 1 integers from `generator`:
 * the same generator state gives the same permutation.
 */
export function randomPermutation(n: number, generator: Generator): Int32Array {
  const perm = new Int32Array(n);
  for (let i = 0; i < n; i++) perm[i] = i;
  shuffleInPlace(perm, generator);
  return perm;
}

/** Shuffles `values` in place (Fisher–Yates), drawing from `generator`. */
export function shuffleInPlace(values: Int32Array, generator: Generator): void {
  for (let i = values.length - 1; i > 0; i--) {
    const j = generator.randint(0, i + 1);
    const t = values[i]!;
    values[i] = values[j]!;
    values[j] = t;
  }
}
