import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { axisSubsets, expectClose, expectedShape, gradcheckSecondOrder, naiveReduce, randomTensor } from "./reduce-naive.js";

const f64 = (data: nb.NestedArray) => nb.tensor(data, { dtype: "float64" });
const total = (v: number[]) => v.reduce((a, b) => a + b, 0);

function gradOf(f: (x: nb.Tensor) => nb.Tensor, data: nb.NestedArray, upstream?: nb.NestedArray): nb.NestedArray {
  const x = nb.tensor(data, { dtype: "float64", requiresGrad: true });
  const y = f(x);
  y.backward(upstream === undefined ? nb.onesLike(y) : f64(upstream));
  return x.grad!.toArray();
}

const sampleVariance = (v: number[], correction: number) => {
  const m = total(v) / v.length;
  return total(v.map((a) => (a - m) ** 2)) / Math.max(0, v.length - correction);
};

describe("prod", () => {
  const data = [[1, 2, 3], [4, 0, 6], [0, 0, 2]];

  it("multiplies over axes, int32 staying int32 and wrapping like int32", () => {
    expect(f64(data).prod(1).toArray()).toEqual([6, 0, 0]);
    expect(f64(data).prod(0, true).toArray()).toEqual([[0, 0, 36]]);
    expect(f64([[1, 2], [3, 4]]).prod().item()).toBe(24);
    const i = nb.tensor([[2, 3], [4, 5]], { dtype: "int32" });
    expect(i.prod().dtype).toBe("int32");
    expect(i.prod().item()).toBe(120);
    const big = nb.tensor([65537, 65537, 3], { dtype: "int32" });
    expect(big.prod().item()).toBe(Math.imul(Math.imul(65537, 65537), 3));
  });

  it("gives each element the product of the others, zeros included", () => {
    // row 1 has one zero (only it gets a gradient), row 2 has two (all 0).
    expect(gradOf((x) => x.prod(1), data)).toEqual([[6, 3, 2], [0, 24, 0], [0, 0, 0]]);
    // column 0 has one zero, column 1 two, column 2 none.
    expect(gradOf((x) => x.prod(0), data)).toEqual([[0, 0, 12], [0, 0, 6], [4, 0, 18]]);
    expect(gradOf((x) => x.prod(), [2, 0, 5])).toEqual([0, 10, 0]);
  });

  it("passes gradcheck with and without zeros, first and second order", () => {
    nb.gradcheck((y) => y.prod([0, 2]), [randomTensor([2, 3, 2], 1)]);
    nb.gradcheck((y) => y.prod(1), [f64(data).requiresGrad_()]);
    nb.gradcheck((y) => y.prod(), [f64([[1.5, 0], [-2, 0.5]]).requiresGrad_()]);
    gradcheckSecondOrder((y) => y.prod(1).sum(), f64([[1.5, 0, -2], [0.5, 2, 3]]).requiresGrad_());
    gradcheckSecondOrder((y) => y.prod().mul(y.sum()), randomTensor([2, 2], 2));
  });
});

describe("var and std", () => {
  const data = [[1, 2, 3, 4], [2, 4, 6, 8]];
  const x = f64(data);

  it("match hand-computed values for every correction", () => {
    // mean 3.75, squared deviations sum to 37.5
    expect(x.var().item()).toBeCloseTo(37.5 / 7, 14);
    expect(nb.var(x, null, { unbiased: false }).item()).toBeCloseTo(37.5 / 8, 14);
    expectClose(x.var(1).data, [5 / 3, 20 / 3]);
    expectClose(x.var(-1, { correction: 2, keepdim: true }).data, [5 / 2, 10]);
    expect(x.var(-1, { correction: 2, keepdim: true }).shape).toEqual([2, 1]);
    expectClose(x.var(0).data, [0.5, 2, 4.5, 8]);
    expectClose(x.std(0).data, [0.5, 2, 4.5, 8].map(Math.sqrt));
    expectClose(nb.std(x, 1, { correction: 0 }).data, [Math.sqrt(5 / 4), Math.sqrt(20 / 4)]);
  });

  it("agree with a naive two-pass formula over every combination of axes", () => {
    const t = randomTensor([2, 3, 4], 4, false);
    for (const axes of axisSubsets(3).filter((a) => a.length > 0)) {
      for (const keepdim of [false, true]) {
        const v = t.var(axes, { keepdim });
        expect(v.shape).toEqual(expectedShape([2, 3, 4], axes, keepdim));
        expectClose(v.data, naiveReduce(t.data, t.shape, axes, (s) => sampleVariance(s, 1)));
        expectClose(t.std(axes, { correction: 0, keepdim }).data, naiveReduce(t.data, t.shape, axes, (s) => Math.sqrt(sampleVariance(s, 0))));
      }
    }
  });

  it("keep float32 data far from zero accurate (two passes in double)", () => {
    const near = Float32Array.from([1000.1, 1000.7, 999.4, 1000.2, 1001.3, 999.9]);
    const expected = sampleVariance(Array.from(near), 1);
    expect(Math.abs(nb.tensor(near).var().item() - expected) / expected).toBeLessThan(1e-6);
  });

  it("give float32 for int32 and NaN when n <= correction", () => {
    const v = nb.tensor([1, 2, 3, 4], { dtype: "int32" }).var();
    expect(v.dtype).toBe("float32");
    expect(v.item()).toBeCloseTo(5 / 3, 6);
    expect(f64([3]).var().item()).toBeNaN();
    expect(f64([3, 5]).var(0, { correction: 2 }).item()).toBe(Infinity);
  });

  it("pass gradcheck over one and several axes, first and second order", () => {
    const t = randomTensor([2, 3, 2], 6);
    nb.gradcheck((y) => y.var(), [t]);
    nb.gradcheck((y) => y.var([0, 2], { correction: 2 }), [t]);
    nb.gradcheck((y) => y.std(-1, { keepdim: true }), [t]);
    nb.gradcheck((y) => y.std([0, 1], { unbiased: false }), [t]);
    gradcheckSecondOrder((y) => y.var(1).sum(), t);
    gradcheckSecondOrder((y) => y.std([0, 2]).sum(), t);
  });

  it("validate their options", () => {
    expect(() => x.var(0, { correction: 1, unbiased: true })).toThrow(/var: give either correction or unbiased, not both/);
    expect(() => x.std(0, { correction: NaN })).toThrow(/std: correction must be a finite number, got NaN/);
    expect(() => x.var(3)).toThrow(/var: axis 3 is out of range/);
  });

  it("property: variance is never negative", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 2, maxLength: 20 }), (v) => {
        expect(f64(v).var().item()).toBeGreaterThanOrEqual(0);
        expect(nb.tensor(v).var(0, { correction: 0 }).item()).toBeGreaterThanOrEqual(0);
      }),
      { numRuns: 100 },
    );
  });
});

describe("logsumexp", () => {
  it("matches log(sum(exp)) and stays finite for extreme logits", () => {
    const x = f64([[0, Math.log(2), Math.log(3)], [1, 1, 1]]);
    expectClose(x.logsumexp(1).data, [Math.log(6), 1 + Math.log(3)]);
    expect(x.logsumexp(0, true).shape).toEqual([1, 3]);
    const big = nb.tensor([[1e4, 1e4], [-1e4, -1e4]]);
    expectClose(big.logsumexp(-1).data, [1e4 + Math.log(2), -1e4 + Math.log(2)], 1e-7);
    expect(nb.tensor([-Infinity, -Infinity]).logsumexp().item()).toBe(-Infinity);
    expect(nb.tensor([Infinity, 0]).logsumexp().item()).toBe(Infinity);
    expect(nb.tensor([1, 2], { dtype: "int32" }).logsumexp().dtype).toBe("float32");
  });

  it("agrees with a naive formula over every combination of axes", () => {
    const t = randomTensor([2, 3, 2], 8, false);
    for (const axes of axisSubsets(3)) {
      expectClose(t.logsumexp(axes, true).data, naiveReduce(t.data, t.shape, axes, (v) => Math.log(total(v.map(Math.exp)))));
    }
  });

  it("has gradient softmax(x), checked by finite differences", () => {
    expectClose(gradOf((x) => x.logsumexp(), [0, Math.log(3)]) as number[], [0.25, 0.75]);
    const t = randomTensor([2, 3, 2], 9);
    nb.gradcheck((y) => y.logsumexp([0, 2]), [t]);
    nb.gradcheck((y) => y.logsumexp(-2, true), [t]);
    gradcheckSecondOrder((y) => y.logsumexp(1).mul(y.logsumexp(1)).sum(), t);
  });

  it("property: lies between the max and the max + log(n)", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e4, max: 1e4, noNaN: true }), { minLength: 1, maxLength: 10 }), (v) => {
        const m = Math.max(...v);
        const l = f64(v).logsumexp().item();
        expect(l).toBeGreaterThanOrEqual(m);
        expect(l).toBeLessThanOrEqual(m + Math.log(v.length) + 1e-9);
      }),
      { numRuns: 100 },
    );
  });
});

describe("norm", () => {
  const x = f64([[3, -4], [0, 0]]);

  it("computes p-norms for p = 1, 2, Infinity and other p > 0", () => {
    expect(x.norm().item()).toBe(5);
    expect(x.norm(2, 1).toArray()).toEqual([5, 0]);
    expect(x.norm(1).item()).toBe(7);
    expect(x.norm(Infinity, -1, true).toArray()).toEqual([[4], [0]]);
    expect(x.norm(3).item()).toBeCloseTo(Math.cbrt(91), 14);
    expect(x.norm(0.5).item()).toBeCloseTo((Math.sqrt(3) + 2) ** 2, 13);
    expect(nb.tensor([3, 4], { dtype: "int32" }).norm().dtype).toBe("float32");
    const t = randomTensor([2, 3, 2], 10, false);
    for (const axes of axisSubsets(3)) {
      expectClose(t.norm(3, axes).data, naiveReduce(t.data, t.shape, axes, (v) => total(v.map((a) => Math.abs(a) ** 3)) ** (1 / 3)));
    }
  });

  it("gives gradient x/norm, sign(x) or a shared max, and 0 where the norm is 0", () => {
    expect(gradOf((t) => t.norm(2, 1), [[3, -4], [0, 0]])).toEqual([[0.6, -0.8], [0, 0]]);
    expect(gradOf((t) => t.norm(1), [[3, -4], [0, 0]])).toEqual([[1, -1], [0, 0]]);
    expect(gradOf((t) => t.norm(Infinity), [[3, -4], [0, 4]])).toEqual([[0, -0.5], [0, 0.5]]);
    expect(gradOf((t) => t.norm(3), [0, 0])).toEqual([0, 0]);
    expect(gradOf((t) => t.norm(0.5), [2, 0])).toEqual([1, 0]);
  });

  it("passes gradcheck for several p and axes, first and second order", () => {
    const t = randomTensor([2, 3, 2], 12);
    for (const p of [1, 2, 3, 0.5, 1.5, Infinity]) {
      nb.gradcheck((y) => y.norm(p), [t]);
      nb.gradcheck((y) => y.norm(p, [0, 2], true), [t]);
    }
    for (const p of [2, 3, 1.5]) gradcheckSecondOrder((y) => y.norm(p, 1).sum(), t);
  });

  it("rejects p <= 0", () => {
    expect(() => x.norm(0)).toThrow(/norm: p must be a positive number or Infinity, got 0/);
    expect(() => x.norm(-Infinity)).toThrow(RangeError);
    expect(() => x.norm(NaN)).toThrow(RangeError);
  });

  it("property: ||x||_p does not increase with p", () => {
    // Values on a 1e-3 grid: squares of subnormals would underflow, a limit of any unscaled 2-norm.
    const value = fc.integer({ min: -100_000, max: 100_000 }).map((i) => i / 1000);
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 10 }), (v) => {
        const t = f64(v);
        const norms = [0.5, 1, 2, 3, Infinity].map((p) => t.norm(p).item());
        for (let k = 1; k < norms.length; k++) expect(norms[k]!).toBeLessThanOrEqual(norms[k - 1]! * (1 + 1e-12));
      }),
      { numRuns: 100 },
    );
  });
});

describe("cumsum", () => {
  const x = f64([[1, 2, 3], [4, 5, 6]]);

  it("runs sums along any axis, int32 staying int32", () => {
    expect(x.cumsum(1).toArray()).toEqual([[1, 3, 6], [4, 9, 15]]);
    expect(x.cumsum(-1).toArray()).toEqual([[1, 3, 6], [4, 9, 15]]);
    expect(nb.cumsum(x, 0).toArray()).toEqual([[1, 2, 3], [5, 7, 9]]);
    const i = nb.tensor([1, 2, 3], { dtype: "int32" }).cumsum(0);
    expect(i.dtype).toBe("int32");
    expect(i.toArray()).toEqual([1, 3, 6]);
    expect(f64(5).cumsum(0).item()).toBe(5);
  });

  it("has the reversed cumulative sum as gradient", () => {
    expect(gradOf((t) => t.cumsum(1), [[1, 2, 3], [4, 5, 6]], [[1, 0, 2], [0, 1, 0]])).toEqual([[3, 2, 2], [1, 1, 0]]);
    expect(gradOf((t) => t.cumsum(0), [[1, 2], [3, 4], [5, 6]])).toEqual([[3, 3], [2, 2], [1, 1]]);
    const t = randomTensor([2, 3, 4], 13);
    nb.gradcheck((y) => y.cumsum(1), [t]);
    gradcheckSecondOrder((y) => y.mul(y).cumsum(-1).mul(y).sum(), t);
  });

  it("property: the last running sum is the sum along the axis", () => {
    const t = randomTensor([3, 4, 2], 14, false);
    for (const axis of [0, 1, 2]) {
      const c = t.cumsum(axis);
      const lastValues = naiveReduce(c.data, c.shape, [axis], (v) => v[v.length - 1]!);
      expectClose(lastValues, t.sum(axis).data);
    }
  });

  it("rejects bad axes", () => {
    expect(() => x.cumsum(2)).toThrow(/cumsum: axis 2 is out of range/);
    expect(() => nb.cumsum(x, undefined as unknown as number)).toThrow(/cumsum: axis must be a single number/);
  });
});
