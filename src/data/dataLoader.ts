import { defaultGenerator, type Generator as RandomGenerator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { type Collated, defaultCollate } from "./collate.js";
import type { Dataset } from "./dataset.js";
import { gatherRows, rowSource } from "./gather.js";
import { randomPermutation } from "./permutation.js";

export interface DataLoaderOptions<S, B> {
  /** Samples per batch; 1 by default, as in PyTorch. */
  batchSize?: number;
  /** Visit the samples in a fresh random order each epoch. */
  shuffle?: boolean;
  /** Skip the last batch when it would be smaller than batchSize. */
  dropLast?: boolean;
  /** Generator for shuffling; the global one (seeded by `manualSeed`) by default. */
  generator?: RandomGenerator;
  /** Turns a list of samples into a batch; `defaultCollate` by default. */
  collate?: (samples: S[]) => B;
}

const OPTION_KEYS = new Set(["batchSize", "shuffle", "dropLast", "generator", "collate"]);

/**
 * Iterates over a dataset in batches, as torch.utils.data.DataLoader (one
 * process): each pass (`for ... of` or `for await ... of`) is an epoch that
 * visits every sample once, in index order or, with `shuffle`, in a
 * Fisher–Yates permutation drawn from the generator when the pass starts,
 * so the same seed gives the same order and each later epoch a new one.
 * `length` is the number of batches: ceil(n / batchSize), or
 * floor(n / batchSize) with `dropLast`.
 *
 * When the dataset is a TensorDataset (or a Subset of one, as randomSplit
 * returns) and no collate is given, batches are gathered straight from the
 * dataset's typed arrays, with no per-sample tensors.
 */
export class DataLoader<S, B = Collated<S>> implements Iterable<B>, AsyncIterable<B> {
  readonly dataset: Dataset<S>;
  readonly batchSize: number;
  readonly shuffle: boolean;
  readonly dropLast: boolean;
  readonly generator: RandomGenerator;
  private readonly collate: ((samples: S[]) => B) | null;

  constructor(dataset: Dataset<S>, options: DataLoaderOptions<S, B> = {}) {
    if (dataset === null || typeof dataset !== "object" || typeof dataset.get !== "function") {
      throw new TypeError("DataLoader: dataset must have a length and a get(index) method");
    }
    if (!Number.isInteger(dataset.length) || dataset.length < 0) {
      throw new RangeError(`DataLoader: dataset length must be a non-negative integer, got ${dataset.length}`);
    }
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key)) {
        throw new TypeError(`DataLoader: unknown option "${key}" (expected one of ${[...OPTION_KEYS].join(", ")})`);
      }
    }
    const { batchSize = 1, shuffle = false, dropLast = false, generator = defaultGenerator, collate } = options;
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new RangeError(`DataLoader: batchSize must be a positive integer, got ${batchSize}`);
    }
    if (typeof shuffle !== "boolean") throw new TypeError(`DataLoader: shuffle must be a boolean, got ${String(shuffle)}`);
    if (typeof dropLast !== "boolean") throw new TypeError(`DataLoader: dropLast must be a boolean, got ${String(dropLast)}`);
    if (generator === null || typeof generator !== "object" || typeof generator.randint !== "function") {
      throw new TypeError("DataLoader: generator must be a nabla Generator");
    }
    if (collate !== undefined && typeof collate !== "function") throw new TypeError("DataLoader: collate must be a function");
    this.dataset = dataset;
    this.batchSize = batchSize;
    this.shuffle = shuffle;
    this.dropLast = dropLast;
    this.generator = generator;
    this.collate = collate ?? null;
  }

  /** Number of batches per epoch. */
  get length(): number {
    const n = this.dataset.length;
    return this.dropLast ? Math.floor(n / this.batchSize) : Math.ceil(n / this.batchSize);
  }

  /** Starts an epoch: the sample order is fixed (and the generator advanced) now. */
  [Symbol.iterator](): Iterator<B> {
    const n = this.dataset.length;
    const order = this.shuffle ? randomPermutation(n, this.generator) : null;
    return this.batches(order);
  }

  /** The same epoch as `for ... of`, for code that consumes batches with `for await`. */
  async *[Symbol.asyncIterator](): AsyncGenerator<B, void, undefined> {
    const it = this[Symbol.iterator]();
    for (let r = it.next(); !r.done; r = it.next()) yield r.value;
  }

  private *batches(order: Int32Array | null): Generator<B, void, undefined> {
    const n = this.dataset.length;
    const count = this.length;
    const source = this.collate === null ? rowSource(this.dataset as Dataset<unknown>) : null;
    if (source !== null) {
      // Rows of the base tensors in visiting order, composed once per epoch.
      let rows: Int32Array;
      if (source.indices === null) {
        rows = order ?? identity(n);
      } else {
        const map = source.indices;
        rows = order === null ? map : order.map((i) => map[i]!);
      }
      const tensors = source.base.tensors;
      for (let b = 0; b < count; b++) {
        const slice = rows.subarray(b * this.batchSize, Math.min(n, (b + 1) * this.batchSize));
        yield tensors.map((t) => gatherRows(t, slice)) as Tensor[] as B;
      }
      return;
    }
    const collate = this.collate ?? ((samples: S[]) => defaultCollate(samples) as B);
    for (let b = 0; b < count; b++) {
      const end = Math.min(n, (b + 1) * this.batchSize);
      const samples: S[] = [];
      for (let k = b * this.batchSize; k < end; k++) samples.push(this.dataset.get(order === null ? k : order[k]!));
      yield collate(samples);
    }
  }
}

function identity(n: number): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = i;
  return out;
}
