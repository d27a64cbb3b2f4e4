// The data layer: datasets, splitting, batching, and built-in datasets.
// Everything but node/ is free of Node APIs (browser-friendly); node/
// holds the loaders that read files (node:fs, node:zlib).
export type { Dataset, SampleOf } from "./dataset.js";
export * from "./tensorDataset.js";
export * from "./subset.js";
export * from "./permutation.js";
export * from "./randomSplit.js";
export * from "./collate.js";
export * from "./dataLoader.js";
export * from "./splits.js";
export * from "./csv.js";
export * from "./idx.js";
export type { SyntheticOptions } from "./synthetic/common.js";
export * from "./synthetic/twoMoons.js";
export * from "./synthetic/spirals.js";
export * from "./synthetic/gaussianBlobs.js";
export * from "./synthetic/linearRegression.js";
export * from "./synthetic/polynomialRegression.js";
export * from "./node/mnist.js";
export * from "./node/mnistIdx.js";
export * from "./node/csvFile.js";
