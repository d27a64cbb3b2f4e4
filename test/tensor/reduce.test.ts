import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { axisSubsets, expectClose, expectedShape, gradcheckSecondOrder, naiveReduce, randomTensor } from "./reduce-naive.js";

const total = (s: number[]) => s.reduce((a, b) => a + b, 0);

/** A random shape of 1-3 dimensions (sizes 1-4) and values for it. */
const shapeAndValues = fc
  .array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 })
  .chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.array(fc.double({ min: -100, max: 100, noNaN: true }), { minLength: nb.sizeOf(shape), maxLength: nb.sizeOf(shape) }),
    ),
  );

describe("sum and mean", () => {
  const x = nb.tensor([[1, 2, 3], [4, 5, 6]], { dtype: "float64" });

  it("reduce hand-computed cases, with keepdim and negative axes", () => {
    expect(x.sum().item()).toBe(21);
    expect(x.sum(0).toArray()).toEqual([5, 7, 9]);
    expect(x.sum(-1).toArray()).toEqual([6, 15]);
    expect(x.sum(1, true).toArray()).toEqual([[6], [15]]);
    expect(x.sum([0, 1], true).toArray()).toEqual([[21]]);
    expect(x.mean().item()).toBe(3.5);
    expect(x.mean(0).toArray()).toEqual([2.5, 3.5, 4.5]);
    expect(x.mean(-1, true).toArray()).toEqual([[2], [5]]);
  });

  it("keep int32 sums int32 and give float32 means", () => {
    const i = nb.tensor([[1, 2], [3, 4]], { dtype: "int32" });
    expect(i.sum(0).dtype).toBe("int32");
    expect(i.sum(0).toArray()).toEqual([4, 6]);
    expect(i.mean().dtype).toBe("float32");
    expect(i.mean().item()).toBe(2.5);
  });

  it("accumulate float32 in double", () => {
    // 1 + 1e-8 * 1e4: a float32 running sum would lose every 1e-8 term.
    const values = new Float32Array(10_001).fill(1e-8);
    values[0] = 1;
    expect(nb.tensor(values).sum().item()).toBeCloseTo(Math.fround(1 + 1e4 * Math.fround(1e-8)), 7);
  });

  it("match a naive reduction over every combination of axes", () => {
    const t = randomTensor([2, 3, 4], 11, false);
    for (const axes of axisSubsets(3)) {
      for (const keepdim of [false, true]) {
        const s = t.sum(axes, keepdim);
        expect(s.shape).toEqual(expectedShape([2, 3, 4], axes, keepdim));
        expectClose(s.data, naiveReduce(t.data, t.shape, axes, total));
        const negative = axes.map((a) => a - 3);
        expectClose(t.mean(negative, keepdim).data, naiveReduce(t.data, t.shape, axes, (v) => total(v) / v.length));
      }
    }
  });

  it("have correct first and second derivatives over several axes", () => {
    const t = randomTensor([2, 3, 2], 3);
    nb.gradcheck((y) => y.sum([0, 2]), [t]);
    nb.gradcheck((y) => y.mean([-1, 0], true), [t]);
    gradcheckSecondOrder((y) => y.mul(y).mean(1).mul(y.sum(0).sum()).sum(), t);
  });

  it("reject bad axes with the op's name", () => {
    expect(() => x.sum(2)).toThrow(/sum: axis 2 is out of range for a tensor of 2 dimensions/);
    expect(() => x.mean([0, -2])).toThrow(/mean: axis 0 appears more than once/);
    expect(() => x.sum(0.5)).toThrow(RangeError);
  });

  it("property: the sum over all axes equals the sum of partial sums", () => {
    fc.assert(
      fc.property(shapeAndValues, fc.nat(), ([shape, values], pick) => {
        const t = nb.tensor(values, { dtype: "float64", shape });
        const axis = pick % shape.length;
        const whole = t.sum().item();
        const nested = t.sum(axis).sum().item();
        const scale = values.reduce((a, v) => a + Math.abs(v), 1);
        expect(Math.abs(whole - nested)).toBeLessThanOrEqual(1e-12 * scale);
        expect(t.mean().item()).toBeCloseTo(whole / t.size, 9);
      }),
      { numRuns: 100 },
    );
  });
});
