import { describe, expect, it } from "vitest";
import { DataLoader, mnist } from "../../src/data/index.js";

const counts = (labels: Int32Array): number[] => {
  const c = new Array<number>(10).fill(0);
  for (const l of labels) c[l]!++;
  return c;
};

/** Element-wise equality of two typed arrays (toEqual is slow on millions of elements). */
const same = (a: ArrayLike<number>, b: ArrayLike<number>): boolean => {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
};

describe("mnist", () => {
  const data = mnist();
  const [trainX, trainY] = data.train.tensors;
  const [testX, testY] = data.test.tensors;

  it("loads all 10,000 digits of the npm package, 8,000 train and 2,000 test", () => {
    expect(data.name).toBe("mnist");
    expect(data.numClasses).toBe(10);
    expect(data.inputShape).toEqual([1, 28, 28]);
    expect(trainX!.shape).toEqual([8000, 1, 28, 28]);
    expect(testX!.shape).toEqual([2000, 1, 28, 28]);
    expect(trainX!.dtype).toBe("float32");
    expect(trainY!.dtype).toBe("int32");
    expect(trainY!.shape).toEqual([8000]);
  });

  it("splits each digit's images 80/20 (the last round(n/5) of each file are test)", () => {
    // The package's per-digit counts are 1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978.
    const test = [200, 225, 198, 206, 196, 173, 203, 214, 189, 196];
    const total = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
    expect(counts(testY!.data as Int32Array)).toEqual(test);
    expect(counts(trainY!.data as Int32Array)).toEqual(total.map((n, d) => n - test[d]!));
  });

  it("has pixels in [0, 1] with MNIST's usual statistics and interleaved classes", () => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    for (const v of trainX!.data) {
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
    }
    expect(min).toBe(0);
    expect(max).toBeCloseTo(1, 2);
    // The mean pixel of MNIST is 0.1307 (the constant used to normalise it).
    expect(sum / trainX!.size).toBeGreaterThan(0.12);
    expect(sum / trainX!.size).toBeLessThan(0.14);
    // Every image has ink, and classes are mixed from the start of each split.
    for (let i = 0; i < 8000; i++) expect(trainX!.data.subarray(i * 784, (i + 1) * 784).some((v) => v > 0.5)).toBe(true);
    expect(new Set(trainY!.data.subarray(0, 100)).size).toBe(10);
    expect(new Set(testY!.data.subarray(0, 100)).size).toBe(10);
  });

  it("gives the same split on every call, as fresh copies", () => {
    const again = mnist();
    expect(same(again.train.tensors[1]!.data, trainY!.data)).toBe(true);
    expect(same(again.train.tensors[0]!.data, trainX!.data)).toBe(true);
    expect(same(again.test.tensors[0]!.data, testX!.data)).toBe(true);
    expect(same(again.test.tensors[0]!.data, trainX!.data.subarray(0, 2000 * 784))).toBe(false);
    again.train.tensors[0]!.data[100] = 42;
    expect(mnist().train.tensors[0]!.data[100]).toBe(trainX!.data[100]);
  });

  it("flattens and takes prefixes of the fixed split", () => {
    const small = mnist({ flatten: true, trainSize: 500, testSize: 100 });
    expect(small.inputShape).toEqual([784]);
    expect(small.train.tensors[0]!.shape).toEqual([500, 784]);
    expect(small.test.tensors[1]!.shape).toEqual([100]);
    expect(same(small.train.tensors[1]!.data, trainY!.data.subarray(0, 500))).toBe(true);
    expect(same(small.test.tensors[0]!.data, testX!.data.subarray(0, 100 * 784))).toBe(true);
    expect(() => mnist({ trainSize: 8001 })).toThrow("mnist: trainSize must be an integer in [0, 8000], got 8001");
  });

  it("batches through the DataLoader", () => {
    const loader = new DataLoader(data.train, { batchSize: 64, shuffle: true });
    expect(loader.length).toBe(125);
    const [x, y] = [...loader][0]!;
    expect(x!.shape).toEqual([64, 1, 28, 28]);
    expect(y!.shape).toEqual([64]);
  });
});
