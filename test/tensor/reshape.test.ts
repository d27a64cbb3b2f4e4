import { describe, expect, it } from "vitest";
import * as nb from "../../src/tensor/index.js";
import { gradcheck } from "../../src/autograd/index.js";

const f64 = (data: nb.NestedArray) => nb.tensor(data, { dtype: "float64" });
const randn = (shape: number[], seed: number) => nb.randn(shape, { dtype: "float64", generator: new nb.Generator(seed) });

describe("reshape and view", () => {
  it("keeps row-major order, infers one -1 and shares memory", () => {
    const x = nb.arange(6, undefined, 1, { dtype: "float64" });
    const m = x.reshape([2, -1]);
    expect(m.toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(m.data).toBe(x.data);
    expect(x.view([3, 2]).toArray()).toEqual([[0, 1], [2, 3], [4, 5]]);
    expect(nb.tensor([7]).reshape([]).shape).toEqual([]);
    expect(nb.zeros([0, 3]).reshape([3, 0]).shape).toEqual([3, 0]);
  });

  it("rejects sizes that do not fit", () => {
    const x = nb.zeros([2, 3]);
    expect(() => x.reshape([4, 2])).toThrow("reshape: cannot reshape [2,3] (6 elements) into [4,2]");
    expect(() => x.reshape([-1, 4])).toThrow("reshape: cannot reshape [2,3] (6 elements) into [-1,4]");
    expect(() => x.reshape([-1, -1])).toThrow("reshape: only one dimension can be -1, got [-1,-1]");
    expect(() => x.reshape([2, 1.5, 2])).toThrow("reshape: invalid dimension in [2,1.5,2]");
  });

  it("sends the gradient back in the input's shape", () => {
    gradcheck((x) => x.reshape([3, 2]).mul(f64([[1], [2], [3]])), [randn([2, 3], 1).requiresGrad_()]);
  });
});

describe("expand and sumToShape", () => {
  it("repeats size-1 axes and adds leading axes; -1 keeps a size", () => {
    const x = f64([[1], [2]]);
    expect(x.expand([2, 3]).toArray()).toEqual([[1, 1, 1], [2, 2, 2]]);
    expect(x.expand([2, -1, 2]).toArray()).toEqual([[[1, 1], [2, 2]], [[1, 1], [2, 2]]]);
    expect(x.expand([2, 1]).data).toBe(x.data);
  });

  it("rejects non-broadcastable targets and misplaced -1", () => {
    const x = f64([[1], [2]]);
    expect(() => x.expand([3, 3])).toThrow("expand: cannot expand [2,1] to [3,3] (dimension 0: 2 vs 3)");
    expect(() => x.expand([3])).toThrow("expand: cannot expand [2,1] to fewer dimensions [3]");
    expect(() => x.expand([-1, 2, 1])).toThrow("expand: invalid size -1 at dimension 0 of [-1,2,1] (-1 only keeps an existing dimension)");
    expect(() => x.expand([2, -2])).toThrow(/expand: invalid size -2/);
  });

  it("sums the gradient over the expanded axes", () => {
    const x = f64([[1], [2]]).requiresGrad_();
    x.expand([3, 2, 2]).mul(f64([[[1, 2], [3, 4]], [[5, 6], [7, 8]], [[9, 10], [11, 12]]])).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1 + 2 + 5 + 6 + 9 + 10], [3 + 4 + 7 + 8 + 11 + 12]]);
    gradcheck((t) => t.expand([2, 3, 4]), [randn([3, 1], 2).requiresGrad_()]);
  });

  it("sumToShape sums leading and broadcast axes away", () => {
    const g = nb.ones([2, 3, 4], { dtype: "float64" });
    expect(nb.sumToShape(g, [3, 1]).toArray()).toEqual([[8], [8], [8]]);
    expect(nb.sumToShape(g, [4]).toArray()).toEqual([6, 6, 6, 6]);
    expect(nb.sumToShape(g, [2, 3, 4])).toBe(g);
    expect(nb.sumToShape(g, []).item()).toBe(24);
  });
});
