import { describe, expect, it } from "vitest";
import {
  gaussianBlobs,
  linearRegression,
  polynomialRegression,
  type SplitDataset,
  spirals,
  twoMoons,
} from "../../src/data/index.js";
import { Generator, manualSeed } from "../../src/tensor/random.js";

/** Features (as [x, y, ...] rows) and targets of train and test together. */
function rows(d: SplitDataset): { x: number[][]; y: number[] } {
  const x: number[][] = [];
  const y: number[] = [];
  for (const part of [d.train, d.test]) {
    const [fx, fy] = part.tensors;
    const w = fx!.size / part.length;
    for (let i = 0; i < part.length; i++) {
      x.push(Array.from(fx!.data.subarray(i * w, (i + 1) * w)));
      y.push(fy!.data[i]!);
    }
  }
  return { x, y };
}

const countsOf = (labels: number[], k: number): number[] => {
  const c = new Array<number>(k).fill(0);
  for (const l of labels) c[l]!++;
  return c;
};

describe("synthetic datasets", () => {
  it("twoMoons: 2-D points on two half circles, split 80/20, labels 0 and 1", () => {
    const d = twoMoons({ n: 201, noise: 0, seed: 1 });
    expect(d.train.tensors[0]!.shape).toEqual([161, 2]);
    expect(d.test.tensors[0]!.shape).toEqual([40, 2]);
    expect(d.train.tensors[1]!.dtype).toBe("int32");
    expect([d.numClasses, d.outputSize, d.task]).toEqual([2, 2, "classification"]);
    const { x, y } = rows(d);
    expect(countsOf(y, 2)).toEqual([100, 101]);
    x.forEach(([a, b], i) => {
      // Outer moon: the unit circle; inner moon: the unit circle about (1, 0.5).
      const r = y[i] === 0 ? Math.hypot(a!, b!) : Math.hypot(a! - 1, b! - 0.5);
      expect(r).toBeCloseTo(1, 5);
      expect(y[i] === 0 ? b! >= -1e-6 : b! <= 0.5 + 1e-6).toBe(true);
    });
    // Noise moves points off the circles.
    const noisy = rows(twoMoons({ n: 200, noise: 0.1, seed: 1 }));
    expect(noisy.x.some(([a, b], i) => Math.abs((noisy.y[i] === 0 ? Math.hypot(a!, b!) : Math.hypot(a! - 1, b! - 0.5)) - 1) > 0.05)).toBe(true);
  });

  it("spirals: arm k at angle 4k + 4ρ for radius ρ, n/classes points each", () => {
    const d = spirals({ n: 301, classes: 3, noise: 0, seed: 2 });
    expect(d.inputShape).toEqual([2]);
    expect(d.numClasses).toBe(3);
    const { x, y } = rows(d);
    expect(countsOf(y, 3)).toEqual([101, 100, 100]);
    x.forEach(([a, b], i) => {
      const rho = Math.hypot(a!, b!);
      expect(rho).toBeLessThanOrEqual(1 + 1e-6);
      if (rho > 0.05) {
        // x = ρ sin θ, y = ρ cos θ, so atan2(x, y) = θ mod 2π.
        const diff = Math.atan2(a!, b!) - (4 * y[i]! + 4 * rho);
        const wrapped = diff - 2 * Math.PI * Math.round(diff / (2 * Math.PI));
        expect(Math.abs(wrapped)).toBeLessThan(1e-4);
      }
    });
  });

  it("gaussianBlobs: each class centred on its centre with the given spread", () => {
    const d = gaussianBlobs({ n: 4000, centers: [[0, 0], [10, -5]], std: [0.5, 2], seed: 3 });
    const { x, y } = rows(d);
    expect(countsOf(y, 2)).toEqual([2000, 2000]);
    for (const c of [0, 1]) {
      const pts = x.filter((_, i) => y[i] === c);
      const mean = [0, 1].map((f) => pts.reduce((s, p) => s + p[f]!, 0) / pts.length);
      const sd = Math.sqrt(pts.reduce((s, p) => s + (p[0]! - mean[0]!) ** 2, 0) / pts.length);
      // Standard errors: std/√2000 for the mean, std/√4000 for the sd; bounds are 5 of them.
      expect(mean[0]).toBeCloseTo(d.centers[c]![0]!, 0);
      expect(Math.abs(mean[1]! - d.centers[c]![1]!)).toBeLessThan((5 * d.std[c]!) / Math.sqrt(2000));
      expect(Math.abs(sd - d.std[c]!)).toBeLessThan((5 * d.std[c]!) / Math.sqrt(4000));
    }
    const drawn = gaussianBlobs({ n: 90, centers: 4, features: 3, seed: 4 });
    expect(drawn.inputShape).toEqual([3]);
    expect(drawn.numClasses).toBe(4);
    expect(drawn.centers.flat().every((v) => v >= -10 && v < 10)).toBe(true);
    expect(countsOf(rows(drawn).y, 4)).toEqual([23, 23, 22, 22]);
  });

  it("linearRegression: targets [N, 1] = w·x + b exactly when noise is 0", () => {
    const d = linearRegression({ n: 50, features: 4, noise: 0, seed: 5 });
    expect([d.task, d.numClasses, d.outputSize]).toEqual(["regression", 0, 1]);
    expect(d.train.tensors[1]!.shape).toEqual([40, 1]);
    expect(d.train.tensors[1]!.dtype).toBe("float32");
    expect(d.weights.length).toBe(4);
    const { x, y } = rows(d);
    x.forEach((row, i) => {
      const expected = row.reduce((s, v, f) => s + v * d.weights[f]!, d.bias);
      expect(Math.abs(y[i]! - expected)).toBeLessThan(1e-5 * (1 + Math.abs(expected)));
    });
  });

  it("polynomialRegression: x in [-1, 1], targets Σ c_k x^k when noise is 0", () => {
    const d = polynomialRegression({ n: 60, degree: 2, noise: 0, seed: 6 });
    expect(d.coefficients.length).toBe(3);
    expect(d.inputShape).toEqual([1]);
    const { x, y } = rows(d);
    x.forEach(([v], i) => {
      expect(Math.abs(v!)).toBeLessThanOrEqual(1);
      const [c0, c1, c2] = d.coefficients as [number, number, number];
      expect(y[i]).toBeCloseTo(c0 + c1 * v! + c2 * v! * v!, 5);
    });
    const noisy = rows(polynomialRegression({ n: 60, degree: 2, noise: 0.5, seed: 6 }));
    expect(noisy.y).not.toEqual(y);
  });

  it("are deterministic by seed, through seed, generator or the global generator", () => {
    const makers = [
      (o: { seed?: number; generator?: Generator }) => twoMoons({ n: 40, ...o }),
      (o: { seed?: number; generator?: Generator }) => spirals({ n: 40, ...o }),
      (o: { seed?: number; generator?: Generator }) => gaussianBlobs({ n: 40, ...o }),
      (o: { seed?: number; generator?: Generator }) => linearRegression({ n: 40, features: 2, ...o }),
      (o: { seed?: number; generator?: Generator }) => polynomialRegression({ n: 40, ...o }),
    ];
    for (const make of makers) {
      const a = rows(make({ seed: 7 }));
      expect(rows(make({ seed: 7 }))).toEqual(a);
      expect(rows(make({ generator: new Generator(7) }))).toEqual(a);
      expect(rows(make({ seed: 8 })).x).not.toEqual(a.x);
      manualSeed(7);
      expect(rows(make({}))).toEqual(a);
    }
  });

  it("validates options", () => {
    expect(() => twoMoons({ n: 1 })).toThrow("twoMoons: n must be an integer >= 2, got 1");
    expect(() => twoMoons({ testFraction: 1 })).toThrow("twoMoons: testFraction must be in [0, 1), got 1");
    expect(() => twoMoons({ noise: -1 })).toThrow("twoMoons: noise must be a finite number >= 0, got -1");
    expect(() => spirals({ classes: 1 })).toThrow("spirals: classes must be an integer >= 2, got 1");
    expect(() => linearRegression({ seed: 1, generator: new Generator(1) })).toThrow("pass either generator or seed, not both");
    expect(() => gaussianBlobs({ centers: [[0, 0], [1]] })).toThrow("centers[1] must be 2 finite numbers like centers[0], got [1]");
    expect(() => gaussianBlobs({ centers: 2, std: [1, 2, 3] })).toThrow("std has 3 entries, expected one per centre (2)");
    expect(() => polynomialRegression({ degree: -1 })).toThrow("degree must be a non-negative integer, got -1");
  });
});
