import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DataLoader, type Dataset, randomSplit, Subset } from "../../src/data/index.js";
import { Generator, manualSeed } from "../../src/tensor/random.js";
import type { Tensor } from "../../src/tensor/tensor.js";
import { indexed, labelsOf } from "./helpers.js";

const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

describe("DataLoader", () => {
  it("visits samples in order without shuffle, with a partial last batch", () => {
    const loader = new DataLoader(indexed(10), { batchSize: 4 });
    expect(loader.length).toBe(3);
    const batches = [...loader];
    expect(batches.map((b) => b[0]!.shape)).toEqual([[4, 3], [4, 3], [2, 3]]);
    expect(batches.map((b) => b[1]!.shape)).toEqual([[4], [4], [2]]);
    expect(batches[0]![0]!.dtype).toBe("float32");
    expect(batches[0]![1]!.dtype).toBe("int32");
    expect(labelsOf(batches)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7], [8, 9]]);
    expect(Array.from(batches[2]![0]!.data)).toEqual([8, 1008, 2008, 9, 1009, 2009]);
  });

  it("drops the last partial batch with dropLast", () => {
    const loader = new DataLoader(indexed(10), { batchSize: 4, dropLast: true });
    expect(loader.length).toBe(2);
    expect(labelsOf(loader)).toEqual([[0, 1, 2, 3], [4, 5, 6, 7]]);
    // An exact multiple loses nothing.
    expect(new DataLoader(indexed(8), { batchSize: 4, dropLast: true }).length).toBe(2);
    expect(new DataLoader(indexed(3), { batchSize: 4, dropLast: true }).length).toBe(0);
    expect([...new DataLoader(indexed(3), { batchSize: 4, dropLast: true })]).toEqual([]);
  });

  it("covers every sample exactly once per epoch, for any size, batch size, shuffle and dropLast", () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 40 }),
        fc.integer({ min: 1, max: 12 }),
        fc.boolean(),
        fc.boolean(),
        fc.integer(),
        (n, batchSize, shuffle, dropLast, seed) => {
          const loader = new DataLoader(indexed(n), { batchSize, shuffle, dropLast, generator: new Generator(seed) });
          for (let epoch = 0; epoch < 2; epoch++) {
            const batches = labelsOf(loader);
            expect(batches.length).toBe(loader.length);
            const full = Math.floor(n / batchSize);
            batches.forEach((b, i) => expect(b.length).toBe(i < full ? batchSize : n - full * batchSize));
            const seen = batches.flat();
            expect(new Set(seen).size).toBe(seen.length);
            if (dropLast) expect(seen.length).toBe(full * batchSize);
            else expect([...seen].sort((a, b) => a - b)).toEqual(range(n));
            if (!shuffle) expect(seen).toEqual(range(seen.length));
          }
        },
      ),
      { numRuns: 150 },
    );
  });

  it("keeps features and labels of a sample together when shuffling", () => {
    for (const batch of new DataLoader(indexed(50), { batchSize: 7, shuffle: true, generator: new Generator(1) })) {
      const [x, y] = batch as [Tensor, Tensor];
      y.data.forEach((label, k) => expect(Array.from(x.data.subarray(3 * k, 3 * k + 3))).toEqual([label, 1000 + label, 2000 + label]));
    }
  });

  it("gives the same order for the same seed, another for another seed, a new one each epoch", () => {
    const order = (seed: number, epochs = 1): number[][] => {
      const loader = new DataLoader(indexed(100), { batchSize: 100, shuffle: true, generator: new Generator(seed) });
      return range(epochs).map(() => labelsOf(loader)[0]!);
    };
    const [first, second] = order(42, 2) as [number[], number[]];
    expect(order(42)[0]).toEqual(first);
    expect(order(43)[0]).not.toEqual(first);
    expect(second).not.toEqual(first);
    expect(first).not.toEqual(range(100));
  });

  it("shuffles with the global generator by default, reseeded by manualSeed", () => {
    const loader = new DataLoader(indexed(30), { batchSize: 30, shuffle: true });
    manualSeed(5);
    const a = labelsOf(loader);
    manualSeed(5);
    expect(labelsOf(loader)).toEqual(a);
    manualSeed(6);
    expect(labelsOf(loader)).not.toEqual(a);
  });

  it("draws the order when iteration starts, so the fast path and a plain dataset agree", () => {
    const data = indexed(23);
    const plain: Dataset<Tensor[]> = { length: data.length, get: (i) => data.get(i) };
    const fast = [...new DataLoader(data, { batchSize: 5, shuffle: true, generator: new Generator(9) })];
    const slow = [...new DataLoader(plain, { batchSize: 5, shuffle: true, generator: new Generator(9) })];
    expect(slow.map((b) => b.map((t) => t.shape))).toEqual(fast.map((b) => b.map((t) => t.shape)));
    expect(slow.map((b) => b.map((t) => Array.from(t.data)))).toEqual(fast.map((b) => b.map((t) => Array.from(t.data))));
    expect(slow[0]![1]!.dtype).toBe("int32");
  });

  it("gathers from Subsets of a TensorDataset (as randomSplit makes) the rows they name", () => {
    const data = indexed(40);
    const [part] = randomSplit(data, [30, 10], { generator: new Generator(2) });
    const inner = new Subset(part!, [29, 0, 5, 5, 12]);
    const expected = Array.from(inner.indices, (i) => part!.indices[i]!);
    expect(labelsOf(new DataLoader(inner, { batchSize: 2 })).flat()).toEqual(expected);
    const [x] = [...new DataLoader(inner, { batchSize: 5 })][0]!;
    expect(Array.from(x!.data.subarray(0, 3))).toEqual([expected[0], 1000 + expected[0]!, 2000 + expected[0]!]);
    const shuffled = labelsOf(new DataLoader(part!, { batchSize: 8, shuffle: true, generator: new Generator(3) })).flat();
    expect([...shuffled].sort((a, b) => a - b)).toEqual([...part!.indices].sort((a, b) => a - b));
  });

  it("returns fresh batch tensors that do not alias the dataset", () => {
    const data = indexed(6);
    const [x] = [...new DataLoader(data, { batchSize: 3 })][0]!;
    x!.data[0] = -1;
    expect(data.tensors[0]!.data[0]).toBe(0);
  });

  it("uses a custom collate, and iterates with for await", async () => {
    const loader = new DataLoader(indexed(5), {
      batchSize: 2,
      collate: (samples: Tensor[][]) => samples.map((s) => s[1]!.item()),
    });
    expect([...loader]).toEqual([[0, 1], [2, 3], [4]]);
    const seen: number[][] = [];
    for await (const batch of loader) seen.push(batch);
    expect(seen).toEqual([[0, 1], [2, 3], [4]]);
  });

  it("gives the same shuffled batches to for await as to for of", async () => {
    const sync = labelsOf(new DataLoader(indexed(17), { batchSize: 4, shuffle: true, generator: new Generator(11) }));
    const seen: number[][] = [];
    for await (const batch of new DataLoader(indexed(17), { batchSize: 4, shuffle: true, generator: new Generator(11) })) {
      seen.push(Array.from(batch[1]!.data));
    }
    expect(seen).toEqual(sync);
  });

  it("rejects bad options, naming them", () => {
    const data = indexed(4);
    expect(() => new DataLoader(data, { batchSize: 0 })).toThrow("DataLoader: batchSize must be a positive integer, got 0");
    expect(() => new DataLoader(data, { batchSize: 2.5 })).toThrow("got 2.5");
    expect(() => new DataLoader(data, { batch_size: 4 } as never)).toThrow('DataLoader: unknown option "batch_size"');
    expect(() => new DataLoader(data, { shuffle: "yes" } as never)).toThrow("shuffle must be a boolean");
    expect(() => new DataLoader(data, { generator: 42 } as never)).toThrow("generator must be a nabla Generator");
  });
});
