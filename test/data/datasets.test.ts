import { describe, expect, it } from "vitest";
import { randomSplit, Subset, TensorDataset } from "../../src/data/index.js";
import { Generator, manualSeed } from "../../src/tensor/random.js";
import { Tensor } from "../../src/tensor/tensor.js";
import { indexed } from "./helpers.js";

describe("TensorDataset", () => {
  it("returns row i of every tensor as sample i", () => {
    const x = new Tensor(Float32Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]), [3, 2, 2]);
    const y = new Tensor(Int32Array.from([7, 8, 9]), [3]);
    const data = new TensorDataset(x, y);
    expect(data.length).toBe(3);
    const [xi, yi] = data.get(1) as [Tensor, Tensor];
    expect(xi.shape).toEqual([2, 2]);
    expect(xi.toArray()).toEqual([[5, 6], [7, 8]]);
    expect(yi.shape).toEqual([]);
    expect(yi.dtype).toBe("int32");
    expect(yi.item()).toBe(8);
    // A copy: writing to the sample leaves the dataset alone.
    xi.data[0] = -1;
    expect(x.data[4]).toBe(5);
  });

  it("rejects tensors of different lengths, 0-d tensors and bad indices", () => {
    const a = new Tensor(new Float32Array(6), [3, 2]);
    const b = new Tensor(new Int32Array(4), [4]);
    expect(() => new TensorDataset(a, b)).toThrow(
      "TensorDataset: tensors[1] has shape [4], expected 3 rows along the first dimension like tensors[0] (shape [3,2])",
    );
    expect(() => new TensorDataset()).toThrow("at least one tensor");
    expect(() => new TensorDataset(new Tensor(new Float32Array(1), []))).toThrow("tensors[0] is 0-d");
    expect(() => new TensorDataset(a).get(3)).toThrow("TensorDataset.get: index 3 is out of range for a dataset of length 3");
    expect(() => new TensorDataset(a).get(-1)).toThrow("index -1 is out of range");
  });
});

describe("Subset", () => {
  it("maps indices through, and checks them up front", () => {
    const sub = new Subset(indexed(10), [9, 2, 2]);
    expect(sub.length).toBe(3);
    expect(sub.get(0)[1]!.item()).toBe(9);
    expect(sub.get(2)[1]!.item()).toBe(2);
    expect(() => new Subset(indexed(10), [1, 10])).toThrow("Subset: indices[1] = 10 is out of range for a dataset of length 10");
    expect(() => sub.get(3)).toThrow("Subset.get: index 3 is out of range");
  });
});

describe("randomSplit", () => {
  const labels = (s: Subset<Tensor[]>): number[] => Array.from({ length: s.length }, (_, i) => s.get(i)[1]!.item());

  it("splits by counts into disjoint parts that cover the dataset", () => {
    const parts = randomSplit(indexed(100), [70, 20, 10], { generator: new Generator(0) });
    expect(parts.map((p) => p.length)).toEqual([70, 20, 10]);
    const all = parts.flatMap(labels);
    expect(new Set(all).size).toBe(100);
    expect([...all].sort((a, b) => a - b)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    // Random, not the first 70 in order.
    expect(labels(parts[0]!)).not.toEqual(Array.from({ length: 70 }, (_, i) => i));
  });

  it("splits by fractions as torch does: floor, then the rest one each from the first part", () => {
    expect(randomSplit(indexed(11), [0.5, 0.3, 0.2], { generator: new Generator(0) }).map((p) => p.length)).toEqual([6, 3, 2]);
    expect(randomSplit(indexed(10), [0.25, 0.25, 0.5], { generator: new Generator(0) }).map((p) => p.length)).toEqual([3, 2, 5]);
    expect(randomSplit(indexed(5), [0.8, 0.2], { generator: new Generator(0) }).map((p) => p.length)).toEqual([4, 1]);
  });

  it("is deterministic by seed and differs between seeds", () => {
    const split = (seed: number): number[] => labels(randomSplit(indexed(50), [0.8, 0.2], { generator: new Generator(seed) })[1]!);
    expect(split(3)).toEqual(split(3));
    expect(split(3)).not.toEqual(split(4));
    manualSeed(8);
    const a = labels(randomSplit(indexed(50), [40, 10])[1]!);
    manualSeed(8);
    expect(labels(randomSplit(indexed(50), [40, 10])[1]!)).toEqual(a);
  });

  it("rejects lengths that neither sum to n nor are fractions summing to 1", () => {
    expect(() => randomSplit(indexed(100), [50, 40])).toThrow(
      "randomSplit: lengths [50, 40] neither sum to the dataset length 100 nor are fractions that sum to 1 (sum 90)",
    );
    expect(() => randomSplit(indexed(100), [0.5, 0.4])).toThrow("sum 0.9");
    expect(() => randomSplit(indexed(10), [-1, 11])).toThrow("non-negative");
    expect(() => randomSplit(indexed(10), [])).toThrow("at least one length");
  });
});
