import type { SplitDataset } from "../splits.js";
import { checkNonNegative, evenCounts, resolveSynthetic, shuffleAndSplit, type SyntheticOptions } from "./common.js";

export interface GaussianBlobsOptions extends SyntheticOptions {
  /** Number of blobs (centres drawn uniformly in `centerBox`), or the centres themselves; 3 by default. */
  centers?: number | readonly (readonly number[])[];
  /** Standard deviation of each blob, one for all or one per blob; 1 by default. */
  std?: number | readonly number[];
  /** Dimension of the points when `centers` is a count; 2 by default. */
  features?: number;
  /** Range [low, high] for drawn centres; [-10, 10] by default. */
  centerBox?: readonly [number, number];
}

/** The blob centres and their standard deviations, as generated. */
export interface GaussianBlobsDataset extends SplitDataset {
  readonly centers: readonly (readonly number[])[];
  readonly std: readonly number[];
}

/**
 * Isotropic Gaussian clusters, as sklearn.datasets.make_blobs: blob k gets
 * n/centers points (the first n mod centers one more), each centre_k +
 * std_k · N(0, I). Drawn centres are uniform in centerBox, per coordinate.
 * Classification, one class per blob.
 */
export function gaussianBlobs(options: GaussianBlobsOptions = {}): GaussianBlobsDataset {
  const op = "gaussianBlobs";
  const spec = options.centers ?? 3;
  const k = typeof spec === "number" ? spec : spec.length;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`${op}: centers must be a positive integer or a non-empty list, got ${String(spec)}`);
  const features = typeof spec === "number" ? (options.features ?? 2) : spec[0]!.length;
  if (!Number.isInteger(features) || features < 1) throw new RangeError(`${op}: features must be a positive integer, got ${features}`);
  if (typeof spec !== "number") {
    spec.forEach((c, i) => {
      if (c.length !== features || c.some((v) => !Number.isFinite(v))) {
        throw new Error(`${op}: centers[${i}] must be ${features} finite numbers like centers[0], got [${c.join(", ")}]`);
      }
    });
    if (options.features !== undefined && options.features !== features) {
      throw new Error(`${op}: features = ${options.features} disagrees with the centres' dimension ${features}`);
    }
  }
  const stds = typeof options.std === "object" ? [...options.std] : new Array<number>(k).fill(options.std ?? 1);
  if (stds.length !== k) throw new Error(`${op}: std has ${stds.length} entries, expected one per centre (${k})`);
  stds.forEach((s, i) => checkNonNegative(s, `std[${i}]`, op));
  const [low, high] = options.centerBox ?? [-10, 10];
  if (!(Number.isFinite(low) && Number.isFinite(high) && low <= high)) {
    throw new RangeError(`${op}: centerBox must be finite [low, high] with low <= high, got [${low}, ${high}]`);
  }
  const r = resolveSynthetic(options, op, k);
  const centers =
    typeof spec === "number"
      ? Array.from({ length: k }, () => Array.from({ length: features }, () => low + (high - low) * r.generator.random()))
      : spec.map((c) => [...c]);
  const x = new Float32Array(r.n * features);
  const y = new Int32Array(r.n);
  let i = 0;
  evenCounts(r.n, k).forEach((m, c) => {
    for (let j = 0; j < m; j++, i++) {
      for (let f = 0; f < features; f++) x[i * features + f] = centers[c]![f]! + stds[c]! * r.generator.normal();
      y[i] = c;
    }
  });
  return {
    name: "gaussianBlobs",
    task: "classification",
    ...shuffleAndSplit(x, [features], y, [], r),
    inputShape: [features],
    numClasses: k,
    outputSize: k,
    centers,
    std: stds,
  };
}
