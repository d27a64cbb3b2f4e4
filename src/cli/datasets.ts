import { loadCsv } from "../data/node/csvFile.js";
import { mnist } from "../data/node/mnist.js";
import { randomSplit } from "../data/randomSplit.js";
import type { Dataset } from "../data/dataset.js";
import type { Tensor } from "../tensor/tensor.js";
import { gaussianBlobs } from "../data/synthetic/gaussianBlobs.js";
import { spirals } from "../data/synthetic/spirals.js";
import { twoMoons } from "../data/synthetic/twoMoons.js";
import { Generator } from "../tensor/random.js";

/** What the commands need of a task: train/test samples of [input, int32 label] and their sizes. */
export interface TaskData {
  readonly name: string;
  readonly train: Dataset<Tensor[]>;
  readonly test: Dataset<Tensor[]>;
  readonly inputShape: readonly number[];
  readonly numClasses: number;
}

export const DATASET_NAMES = ["mnist", "moons", "spirals", "blobs", "csv:PATH"] as const;

/** Resolves a --dataset spec (mnist, moons, spirals, blobs, csv:PATH) to train/test splits. */
export function loadDataset(spec: string, seed: number): TaskData {
  switch (spec) {
    case "mnist":
      return mnist();
    case "moons":
      return twoMoons({ n: 2000, noise: 0.1, seed });
    case "spirals":
      return spirals({ n: 3000, classes: 3, noise: 0.2, seed });
    case "blobs":
      return gaussianBlobs({ n: 2000, centers: 4, seed });
  }
  if (spec.startsWith("csv:")) {
    const path = spec.slice(4);
    const csv = loadCsv(path, { task: "classification" });
    const [train, test] = randomSplit(csv.dataset, [0.8, 0.2], { generator: new Generator(seed) });
    return { name: `csv:${path}`, train: train!, test: test!, inputShape: [csv.featureNames.length], numClasses: csv.numClasses };
  }
  throw new Error(`unknown dataset "${spec}" (expected one of ${DATASET_NAMES.join(", ")})`);
}
