import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { axisSubsets, expectClose, expectedShape, gradcheckSecondOrder, naiveReduce, randomTensor } from "./reduce-naive.js";

// Rows: ties at the max (row 0), ties at the max with a min at the end (row 1), all equal (row 2).
const values = [
  [1, 5, 5, 2],
  [7, 0, 7, -3],
  [4, 4, 4, 4],
];

function gradOf(f: (x: nb.Tensor) => nb.Tensor, data = values): nb.NestedArray {
  const x = nb.tensor(data, { dtype: "float64", requiresGrad: true });
  f(x).sum().backward();
  return x.grad!.toArray();
}

describe("max and min without an axis", () => {
  const x = nb.tensor(values, { dtype: "float64" });

  it("reduce everything to a 0-d tensor (all-ones shape with keepdim)", () => {
    expect(x.max().shape).toEqual([]);
    expect(x.max().item()).toBe(7);
    expect(x.min().item()).toBe(-3);
    expect(nb.max(x, null, true).toArray()).toEqual([[7]]);
  });

  it("split the gradient equally among tied extrema", () => {
    expect(gradOf((t) => t.max())).toEqual([[0, 0, 0, 0], [0.5, 0, 0.5, 0], [0, 0, 0, 0]]);
    expect(gradOf((t) => t.min())).toEqual([[0, 0, 0, 0], [0, 0, 0, 1], [0, 0, 0, 0]]);
    expect(gradOf((t) => t.max(), [[2, 2], [2, 2]])).toEqual([[0.25, 0.25], [0.25, 0.25]]);
  });
});

describe("max/min with an axis and maxDim/minDim", () => {
  const x = nb.tensor(values, { dtype: "float64" });

  it("return the values and the first index among ties", () => {
    const r = x.maxDim(1);
    expect(r.values.toArray()).toEqual([5, 7, 4]);
    expect(r.indices.toArray()).toEqual([1, 0, 0]);
    expect(r.indices.dtype).toBe("int32");
    const c = nb.maxDim(x, 0, true);
    expect(c.values.toArray()).toEqual([[7, 5, 7, 4]]);
    expect(c.indices.toArray()).toEqual([[1, 0, 1, 2]]);
    const m = x.minDim(-1);
    expect(m.values.toArray()).toEqual([1, -3, 4]);
    expect(m.indices.toArray()).toEqual([0, 3, 0]);
    expect(x.minDim(0).indices.toArray()).toEqual([0, 1, 2, 1]);
    expect(x.max(1).toArray()).toEqual([5, 7, 4]);
    expect(x.min(-2, true).toArray()).toEqual([[1, 0, 4, -3]]);
  });

  it("send the gradient to the first extremum only", () => {
    expect(gradOf((t) => t.max(1))).toEqual([[0, 1, 0, 0], [1, 0, 0, 0], [1, 0, 0, 0]]);
    expect(gradOf((t) => t.maxDim(0, true).values)).toEqual([[0, 1, 0, 0], [1, 0, 1, 0], [0, 0, 0, 1]]);
    expect(gradOf((t) => t.min(0))).toEqual([[1, 0, 0, 0], [0, 1, 0, 1], [0, 0, 1, 0]]);
  });

  it("treat a 0-d tensor as one element along axis 0 or -1", () => {
    const s = nb.tensor(3, { dtype: "float64" });
    expect(s.maxDim(0).values.item()).toBe(3);
    expect(s.maxDim(-1).indices.item()).toBe(0);
    expect(s.argmax(0).shape).toEqual([]);
  });

  it("work on 3-D tensors along every axis", () => {
    const t = randomTensor([2, 3, 4], 5, false);
    for (const axis of [0, 1, 2, -1]) {
      const a = axis < 0 ? axis + 3 : axis;
      const r = t.maxDim(axis);
      expect(r.values.shape).toEqual(expectedShape([2, 3, 4], [a], false));
      expectClose(r.values.data, naiveReduce(t.data, t.shape, [a], (v) => Math.max(...v)));
      expect(Array.from(r.indices.data)).toEqual(naiveReduce(t.data, t.shape, [a], (v) => v.indexOf(Math.max(...v))));
      expect(Array.from(t.argmin(axis).data)).toEqual(naiveReduce(t.data, t.shape, [a], (v) => v.indexOf(Math.min(...v))));
    }
  });
});

describe("amax and amin", () => {
  const x = nb.tensor(values, { dtype: "float64" });

  it("reduce any set of axes", () => {
    expect(x.amax(1).toArray()).toEqual([5, 7, 4]);
    expect(x.amax(0, true).toArray()).toEqual([[7, 5, 7, 4]]);
    expect(x.amax([0, 1]).item()).toBe(7);
    expect(nb.amin(x, [-1, -2], true).toArray()).toEqual([[-3]]);
    const t = randomTensor([2, 3, 2], 9, false);
    for (const axes of axisSubsets(3)) {
      for (const keepdim of [false, true]) {
        const r = t.amin(axes, keepdim);
        expect(r.shape).toEqual(expectedShape([2, 3, 2], axes, keepdim));
        expectClose(r.data, naiveReduce(t.data, t.shape, axes, (v) => Math.min(...v)));
      }
    }
  });

  it("share the gradient equally among ties", () => {
    expect(gradOf((t) => t.amax(1))).toEqual([[0, 0.5, 0.5, 0], [0.5, 0, 0.5, 0], [0.25, 0.25, 0.25, 0.25]]);
    expect(gradOf((t) => t.amin(0))).toEqual([[1, 0, 0, 0], [0, 1, 0, 1], [0, 0, 1, 0]]);
  });

  it("keep int32 as int32", () => {
    const i = nb.tensor(values, { dtype: "int32" });
    expect(i.amax(1).dtype).toBe("int32");
    expect(i.amax(1).toArray()).toEqual([5, 7, 4]);
    expect(i.max().dtype).toBe("int32");
    expect(i.maxDim(0).values.dtype).toBe("int32");
    expect(i.min(1).toArray()).toEqual([1, -3, 4]);
  });
});

describe("argmax and argmin", () => {
  const x = nb.tensor(values, { dtype: "float32" });

  it("index the flattened tensor without an axis, first among ties", () => {
    expect(x.argmax().item()).toBe(4);
    expect(x.argmax().shape).toEqual([]);
    expect(x.argmax().dtype).toBe("int32");
    expect(x.argmin().item()).toBe(7);
    expect(nb.argmax(x, null, true).toArray()).toEqual([[4]]);
  });

  it("index along an axis", () => {
    expect(x.argmax(1).toArray()).toEqual([1, 0, 0]);
    expect(x.argmax(0, true).toArray()).toEqual([[1, 0, 1, 2]]);
    expect(x.argmin(-1).toArray()).toEqual([0, 3, 0]);
    expect(nb.tensor(values, { dtype: "int32" }).argmax(1).toArray()).toEqual([1, 0, 0]);
  });

  it("treat NaN as the extremum, as torch does", () => {
    const n = nb.tensor([1, NaN, 3, NaN]);
    expect(n.argmax().item()).toBe(1);
    expect(n.argmin().item()).toBe(1);
    expect(n.max().item()).toBeNaN();
    expect(n.amin().item()).toBeNaN();
  });

  it("property: argmax points to the max and argmin to the min", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -5, max: 5 }), { minLength: 1, maxLength: 12 }), (data) => {
        const t = nb.tensor(data, { dtype: "float64" });
        const i = t.argmax().item();
        expect(data[i]).toBe(t.max().item());
        expect(data.indexOf(data[i]!)).toBe(i);
        expect(data[t.argmin().item()]).toBe(Math.min(...data));
      }),
      { numRuns: 100 },
    );
  });

  it("property: maxDim values are the elements at its indices, and no element exceeds them", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 4 }), fc.nat(1000), (rows, cols, seed) => {
        const t = nb.randint(-3, 3, [rows, cols], { generator: new nb.Generator(seed) }).to("float64");
        const { values: v, indices } = t.maxDim(1);
        for (let r = 0; r < rows; r++) {
          expect(t.data[r * cols + indices.data[r]!]).toBe(v.data[r]);
          for (let c = 0; c < cols; c++) expect(t.data[r * cols + c]!).toBeLessThanOrEqual(v.data[r]!);
        }
      }),
      { numRuns: 50 },
    );
  });
});

describe("extrema gradients by finite differences", () => {
  it("pass gradcheck (distinct values) over one and several axes", () => {
    const t = randomTensor([2, 3, 4], 21);
    nb.gradcheck((y) => y.max(), [t]);
    nb.gradcheck((y) => y.min(1), [t]);
    nb.gradcheck((y) => y.maxDim(-1, true).values, [t]);
    nb.gradcheck((y) => y.minDim(0).values, [t]);
    nb.gradcheck((y) => y.amax([0, 2]), [t]);
    nb.gradcheck((y) => y.amin([-1, -2], true), [t]);
  });

  it("support second derivatives", () => {
    const t = randomTensor([3, 4], 22);
    gradcheckSecondOrder((y) => y.amax(1).mul(y.amax(1)).sum(), t);
    gradcheckSecondOrder((y) => y.max(0).mul(y.min(0)).sum(), t);
  });
});

describe("extrema errors", () => {
  const x = nb.tensor(values);

  it("name the op and the bad axis", () => {
    expect(() => x.max(2)).toThrow(/max: axis 2 is out of range for a tensor of 2 dimensions/);
    expect(() => x.argmin(-3)).toThrow(/argmin: axis -3 is out of range/);
    expect(() => x.amax([1, -1])).toThrow(/amax: axis 1 appears more than once/);
    expect(() => x.maxDim(1.5)).toThrow(RangeError);
    expect(() => nb.max(x, [0, 1] as unknown as number)).toThrow(/max: axis must be a single number, got \[0,1\]/);
  });

  it("refuse to reduce an empty axis", () => {
    const e = nb.zeros([0, 3]);
    expect(() => e.max()).toThrow(/max: cannot reduce over axis 0 of size 0/);
    expect(() => e.argmax()).toThrow(/argmax: cannot take the argmax of an empty tensor/);
    expect(() => e.maxDim(0)).toThrow(/maxDim: cannot reduce over axis 0 of size 0/);
    expect(e.amax(1).shape).toEqual([0]);
  });
});
