import { defaultGenerator, type Generator } from "../tensor/random.js";
import type { Dataset } from "./dataset.js";
import { randomPermutation } from "./permutation.js";
import { Subset } from "./subset.js";

export interface RandomSplitOptions {
  /** Generator for the permutation; the global one (seeded by `manualSeed`) by default. */
  generator?: Generator;
}

/**
 * Splits `dataset` into disjoint random subsets, as
 * torch.utils.data.random_split. `lengths` are either sample counts that sum
 * to `dataset.length`, or fractions that sum to 1: each part then gets
 * floor(fraction · n) samples and the remaining ones go one each to the
 * parts in order, round-robin. One random permutation of 0..n-1 is drawn
 * and cut into consecutive pieces, so the same generator state gives the
 * same split.
 */
export function randomSplit<S>(
  dataset: Dataset<S>,
  lengths: readonly number[],
  options: RandomSplitOptions = {},
): Subset<S>[] {
  const counts = resolveLengths(lengths, dataset.length);
  const perm = randomPermutation(dataset.length, options.generator ?? defaultGenerator);
  const parts: Subset<S>[] = [];
  let offset = 0;
  for (const count of counts) {
    parts.push(new Subset(dataset, perm.subarray(offset, offset + count)));
    offset += count;
  }
  return parts;
}

function resolveLengths(lengths: readonly number[], n: number): number[] {
  const shown = `[${lengths.join(", ")}]`;
  if (lengths.length === 0) throw new Error("randomSplit: expected at least one length, got []");
  if (lengths.some((v) => !Number.isFinite(v) || v < 0)) {
    throw new RangeError(`randomSplit: lengths must be non-negative finite numbers, got ${shown}`);
  }
  const total = lengths.reduce((a, b) => a + b, 0);
  if (lengths.every(Number.isInteger) && total === n) return [...lengths];
  if (lengths.every((v) => v <= 1) && Math.abs(total - 1) < 1e-6) {
    const counts = lengths.map((f) => Math.floor(f * n));
    let rest = n - counts.reduce((a, b) => a + b, 0);
    for (let i = 0; rest > 0; i = (i + 1) % counts.length, rest--) counts[i]!++;
    return counts;
  }
  throw new Error(
    `randomSplit: lengths ${shown} neither sum to the dataset length ${n} nor are fractions that sum to 1 (sum ${total})`,
  );
}
