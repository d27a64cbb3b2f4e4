import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";
import { Tensor } from "../../tensor/tensor.js";
import { parseIdx } from "../idx.js";
import type { SplitDataset } from "../splits.js";
import { TensorDataset } from "../tensorDataset.js";

export interface MnistIdxOptions {
  /** Which dataset the files hold: it sets the name and the class names; "mnist" by default. */
  kind?: "mnist" | "fashion-mnist";
  /** Images as [N, H·W] instead of [N, 1, H, W]. */
  flatten?: boolean;
}

const FASHION_CLASSES = ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];
const IMAGES_MAGIC = 0x00000803;
const LABELS_MAGIC = 0x00000801;

/**
 * The full MNIST (60,000 train, 10,000 test) or Fashion-MNIST from the
 * standard IDX files in `dir`: train-images-idx3-ubyte,
 * train-labels-idx1-ubyte, t10k-images-idx3-ubyte, t10k-labels-idx1-ubyte,
 * each raw or gzipped (".gz", detected by its header; names with
 * ".idx3-ubyte" are found too). Pixels become float32 in [0, 1] (byte / 255),
 * shaped [N, 1, H, W] or [N, H·W]; labels int32 in 0..9. Errors name the
 * file and give the expected and actual magic number or size.
 */
export function loadMnistIdx(dir: string, options: MnistIdxOptions = {}): SplitDataset {
  const { kind = "mnist", flatten = false } = options;
  if (kind !== "mnist" && kind !== "fashion-mnist") {
    throw new Error(`loadMnistIdx: kind must be "mnist" or "fashion-mnist", got ${String(kind)}`);
  }
  const train = readSplit(dir, "train", flatten);
  const test = readSplit(dir, "t10k", flatten);
  if (train.sampleShape.join() !== test.sampleShape.join()) {
    throw new Error(`loadMnistIdx: train images are ${train.sampleShape.join("x")} but test images are ${test.sampleShape.join("x")}`);
  }
  return {
    name: kind,
    task: "classification",
    train: train.dataset,
    test: test.dataset,
    inputShape: train.sampleShape,
    numClasses: 10,
    outputSize: 10,
    classNames: kind === "fashion-mnist" ? FASHION_CLASSES : ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
  };
}

function readSplit(dir: string, prefix: string, flatten: boolean): { dataset: TensorDataset; sampleShape: number[] } {
  const imagesFile = findFile(dir, `${prefix}-images-idx3-ubyte`);
  const labelsFile = findFile(dir, `${prefix}-labels-idx1-ubyte`);
  const images = parseIdx(readBytes(imagesFile), imagesFile, IMAGES_MAGIC, "loadMnistIdx");
  const labels = parseIdx(readBytes(labelsFile), labelsFile, LABELS_MAGIC, "loadMnistIdx");
  const [n, h, w] = images.dims as [number, number, number];
  if (labels.dims[0] !== n) {
    throw new Error(`loadMnistIdx: ${imagesFile} holds ${n} images but ${labelsFile} holds ${labels.dims[0]} labels`);
  }
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = labels.data[i]!;
    if (label > 9) throw new Error(`loadMnistIdx: ${labelsFile}: label ${i} is ${label}, expected 0..9`);
    y[i] = label;
  }
  const x = new Float32Array(images.data.length);
  for (let i = 0; i < x.length; i++) x[i] = images.data[i]! / 255;
  const sampleShape = flatten ? [h * w] : [1, h, w];
  return { dataset: new TensorDataset(new Tensor(x, [n, ...sampleShape]), new Tensor(y, [n])), sampleShape };
}

function findFile(dir: string, base: string): string {
  const dotted = base.replace("-idx", ".idx");
  const candidates = [base, `${base}.gz`, dotted, `${dotted}.gz`].map((name) => join(dir, name));
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) throw new Error(`loadMnistIdx: none of ${candidates.join(", ")} exists`);
  return found;
}

function readBytes(path: string): Uint8Array {
  const bytes = readFileSync(path);
  if (bytes.length < 2 || bytes[0] !== 0x1f || bytes[1] !== 0x8b) return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length);
  try {
    const raw = gunzipSync(bytes);
    return new Uint8Array(raw.buffer, raw.byteOffset, raw.length);
  } catch (e) {
    throw new Error(`loadMnistIdx: ${path}: could not decompress gzip data (${(e as Error).message})`);
  }
}
