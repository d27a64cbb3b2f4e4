import { describe, expect, it } from "vitest";
import * as nb from "../../src/tensor/index.js";
import { grad, gradcheck } from "../../src/autograd/index.js";

const f64 = (data: nb.NestedArray) => nb.tensor(data, { dtype: "float64" });
const i32 = (data: nb.NestedArray) => nb.tensor(data, { dtype: "int32" });
const randn = (shape: number[], seed: number) => nb.randn(shape, { dtype: "float64", generator: new nb.Generator(seed) });

/** First- and second-order gradient checks (see shape.test.ts). */
function checkGradients(op: (x: nb.Tensor) => nb.Tensor, x: nb.Tensor): void {
  gradcheck(op, [x.requiresGrad_()]);
  const w = randn([...op(x.detach()).shape], 99);
  const h = (t: nb.Tensor) => {
    const y = op(t);
    return y.mul(y).mul(y).mul(w).sum();
  };
  const v = randn([...x.shape], 98);
  gradcheck((t) => grad(h, { createGraph: true })(t).mul(v).sum(), [x]);
}

describe("slice", () => {
  const x = nb.arange(6, undefined, 1, { dtype: "int32" });

  it("follows Python's slice semantics, clamping out-of-range bounds", () => {
    const s = (start: number | null, end?: number | null, step?: number) => Array.from(x.slice(0, start, end, step).data);
    expect(s(1, 4)).toEqual([1, 2, 3]); // x[1:4]
    expect(s(1, -1)).toEqual([1, 2, 3, 4]); // x[1:-1]
    expect(s(-2)).toEqual([4, 5]); // x[-2:]
    expect(s(null, null, 2)).toEqual([0, 2, 4]); // x[::2]
    expect(s(1, null, 3)).toEqual([1, 4]); // x[1::3]
    expect(s(-100, 100)).toEqual([0, 1, 2, 3, 4, 5]); // x[-100:100]
    expect(s(4, 2)).toEqual([]); // x[4:2]
    expect(s(10, 20)).toEqual([]); // x[10:20]
    expect(s(null, null, -1)).toEqual([5, 4, 3, 2, 1, 0]); // x[::-1]
    expect(s(4, 1, -1)).toEqual([4, 3, 2]); // x[4:1:-1]
    expect(s(-1, null, -2)).toEqual([5, 3, 1]); // x[-1::-2]
    expect(s(100, -100, -3)).toEqual([5, 2]); // x[100:-100:-3]
    expect(s(1, 4, -1)).toEqual([]); // x[1:4:-1]
    expect(s(0, Infinity)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it("slices any axis of a matrix and shares memory for the full range", () => {
    const m = f64([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
    expect(m.slice(1, 1).toArray()).toEqual([[2, 3], [5, 6], [8, 9]]);
    expect(m.slice(-2, 0, 3, 2).toArray()).toEqual([[1, 2, 3], [7, 8, 9]]);
    expect(nb.slice(m, 1, null, null, -2).toArray()).toEqual([[3, 1], [6, 4], [9, 7]]);
    expect(m.slice(0).data).toBe(m.data);
  });

  it("has correct gradients (zero outside the slice)", () => {
    const m = f64([[1, 2, 3], [4, 5, 6]]).requiresGrad_();
    m.slice(1, 0, 3, 2).sum().backward();
    expect(m.grad!.toArray()).toEqual([[1, 0, 1], [1, 0, 1]]);
    checkGradients((t) => t.slice(1, -1, 0, -2), randn([2, 5], 1));
    checkGradients((t) => t.slice(0, 1, 3), randn([4, 2], 2));
  });

  it("rejects bad arguments", () => {
    expect(() => x.slice(0, 0, 3, 0)).toThrow("slice: step must be a non-zero integer, got 0");
    expect(() => x.slice(0, 0.5)).toThrow("slice: start must be an integer, got 0.5");
    expect(() => x.slice(0, 0, NaN)).toThrow("slice: end must be an integer, got NaN");
    expect(() => x.slice(1, 0)).toThrow(/slice: axis 1 is out of range for a tensor of 1 dimensions/);
    expect(() => nb.tensor(1).slice(0, 0)).toThrow("slice: cannot slice a 0-d tensor");
  });
});

describe("narrow and select", () => {
  const m = f64([[1, 2, 3], [4, 5, 6]]);

  it("narrow takes length positions from start (negative start counts from the end)", () => {
    expect(m.narrow(1, 1, 2).toArray()).toEqual([[2, 3], [5, 6]]);
    expect(m.narrow(1, -2, 1).toArray()).toEqual([[2], [5]]);
    expect(m.narrow(0, 2, 0).shape).toEqual([0, 3]);
    expect(() => m.narrow(1, 2, 2)).toThrow("narrow: start 2 + length 2 does not fit in axis 1 of size 3");
    expect(() => m.narrow(1, -4, 1)).toThrow("narrow: start -4 is out of range for axis 1 of size 3 (expected -3..3)");
    expect(() => m.narrow(0, 0, -1)).toThrow(/narrow: start 0 \+ length -1/);
    checkGradients((t) => t.narrow(0, 1, 2), randn([4, 3], 3));
  });

  it("select takes one position and drops the axis", () => {
    expect(m.select(0, 1).toArray()).toEqual([4, 5, 6]);
    expect(m.select(1, -1).toArray()).toEqual([3, 6]);
    expect(f64([[7]]).select(0, 0).shape).toEqual([1]);
    expect(f64([5, 6]).select(0, 1).shape).toEqual([]);
    expect(() => m.select(1, 3)).toThrow("select: index 3 is out of range for axis 1 of size 3 (expected -3..2)");
    expect(() => m.select(2, 0)).toThrow(/select: axis 2 is out of range/);
    const x = f64([[1, 2], [3, 4]]).requiresGrad_();
    x.select(1, 0).mul(f64([10, 20])).sum().backward();
    expect(x.grad!.toArray()).toEqual([[10, 0], [20, 0]]);
    checkGradients((t) => t.select(1, 2), randn([2, 3, 2], 4));
  });
});

describe("indexSelect", () => {
  it("picks rows by an int32 vector, repeats allowed", () => {
    const m = f64([[1, 2], [3, 4], [5, 6]]);
    expect(m.indexSelect(0, i32([2, 0, 2])).toArray()).toEqual([[5, 6], [1, 2], [5, 6]]);
    expect(nb.indexSelect(m, -1, i32([1])).toArray()).toEqual([[2], [4], [6]]);
    expect(m.indexSelect(0, i32(1)).toArray()).toEqual([[3, 4]]);
    expect(m.indexSelect(0, i32([])).shape).toEqual([0, 2]);
  });

  it("adds the gradients of repeated rows", () => {
    const m = f64([[1, 2], [3, 4], [5, 6]]).requiresGrad_();
    m.indexSelect(0, i32([2, 0, 2])).mul(f64([[1, 2], [3, 4], [5, 6]])).sum().backward();
    expect(m.grad!.toArray()).toEqual([[3, 4], [0, 0], [6, 8]]);
    checkGradients((t) => t.indexSelect(1, i32([0, 2, 2, 1])), randn([2, 3], 5));
  });

  it("checks the index dtype, shape and range before any work", () => {
    const m = f64([[1, 2], [3, 4]]);
    expect(() => m.indexSelect(0, f64([0]))).toThrow("indexSelect: index must be an int32 tensor, got dtype float64");
    expect(() => m.indexSelect(0, i32([[0]]))).toThrow("indexSelect: index must be 1-D, got shape [1,1]");
    expect(() => m.indexSelect(1, i32([0, 2]))).toThrow("indexSelect: index 2 at position [1] is out of range for axis 1 of size 2 (expected 0..1)");
    expect(() => m.indexSelect(0, i32([-1]))).toThrow(/indexSelect: index -1 at position \[0\] is out of range/);
    expect(() => nb.tensor(1).indexSelect(0, i32([0]))).toThrow(/indexSelect: input must have at least one dimension/);
  });
});

describe("gather", () => {
  it("reads x[i][index[i][j]] along axis 1 and x[index[i][j]][j] along axis 0", () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expect(x.gather(1, i32([[2, 0], [1, 1]])).toArray()).toEqual([[3, 1], [5, 5]]);
    expect(x.gather(0, i32([[1, 0, 1]])).toArray()).toEqual([[4, 2, 6]]);
    expect(nb.gather(x, -1, i32([[0], [2]])).toArray()).toEqual([[1], [6]]);
    // index smaller than x on the other axis too: only index's positions are read.
    const y = nb.arange(24, undefined, 1, { dtype: "int32" }).reshape([2, 3, 4]);
    expect(y.gather(2, i32([[[3, 0]]])).toArray()).toEqual([[[3, 0]]]);
    expect(y.gather(1, i32([[[2], [0]], [[1], [1]]])).toArray()).toEqual([[[8], [0]], [[16], [16]]]);
    expect(nb.tensor(7).gather(0, i32(0)).item()).toBe(7);
  });

  it("scatter-adds the gradient back, repeated indices adding", () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]).requiresGrad_();
    x.gather(1, i32([[2, 2], [0, 1]])).mul(f64([[1, 10], [100, 1000]])).sum().backward();
    expect(x.grad!.toArray()).toEqual([[0, 0, 11], [100, 1000, 0]]);
    checkGradients((t) => t.gather(0, i32([[1, 0], [1, 1], [0, 0]])), randn([2, 3], 6));
    checkGradients((t) => t.gather(2, i32([[[3, 0, 3]], [[1, 1, 2]]])), randn([2, 2, 4], 7));
  });

  it("keeps its own copy of the index for backward, so reusing the index buffer is safe", () => {
    const x = f64([[1, 2, 3]]).requiresGrad_();
    const index = i32([[2, 2]]);
    const y = x.gather(1, index);
    const z = x.indexSelect(1, index.reshape([2]));
    index.data.fill(0);
    y.sum().backward();
    expect(x.grad!.toArray()).toEqual([[0, 0, 2]]);
    z.sum().backward();
    expect(x.grad!.toArray()).toEqual([[0, 0, 4]]);
  });

  it("checks dtype, dimensions, sizes and values with the offending value named", () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expect(() => x.gather(1, f64([[0]]))).toThrow("gather: index must be an int32 tensor, got dtype float64");
    expect(() => x.gather(1, i32([0]))).toThrow("gather: index of shape [1] must have as many dimensions as input of shape [2,3] (1 != 2)");
    expect(() => x.gather(1, i32([[0], [0], [0]]))).toThrow(
      "gather: index of shape [3,1] is larger than input of shape [2,3] at axis 0 (index sizes must be <= input's except along axis 1)",
    );
    expect(() => x.gather(1, i32([[0, 3]]))).toThrow("gather: index 3 at position [0,1] is out of range for axis 1 of size 3 (expected 0..2)");
    expect(() => x.gather(0, i32([[0, -1]]))).toThrow("gather: index -1 at position [0,1] is out of range for axis 0 of size 2 (expected 0..1)");
    expect(() => x.gather(2, i32([[0]]))).toThrow(/gather: axis 2 is out of range/);
  });
});

describe("scatterAdd", () => {
  it("adds src into x at index along the axis", () => {
    const x = f64([[1, 1, 1], [1, 1, 1]]);
    const src = f64([[1, 2, 3], [4, 5, 6]]);
    // axis 0: out[index[i][j]][j] += src[i][j]
    expect(x.scatterAdd(0, i32([[1, 0, 1], [1, 1, 0]]), src).toArray()).toEqual([[1, 3, 7], [6, 6, 4]]);
    // axis 1: out[i][index[i][j]] += src[i][j]
    expect(nb.scatterAdd(x, 1, i32([[2, 2, 0], [1, 1, 1]]), src).toArray()).toEqual([[4, 1, 4], [1, 16, 1]]);
    // index smaller than src: only src[0][0] and src[0][1] are used.
    expect(x.scatterAdd(1, i32([[0, 0]]), src).toArray()).toEqual([[4, 1, 1], [1, 1, 1]]);
    expect(x.toArray()).toEqual([[1, 1, 1], [1, 1, 1]]);
  });

  it("passes the gradient to x unchanged and gathers it for src (0 outside index)", () => {
    const x = f64([[0, 0, 0], [0, 0, 0]]).requiresGrad_();
    const src = f64([[1, 2, 3], [4, 5, 6]]).requiresGrad_();
    const g = f64([[1, 2, 3], [4, 5, 6]]);
    x.scatterAdd(1, i32([[2, 0]]), src).mul(g).sum().backward();
    expect(x.grad!.toArray()).toEqual([[1, 2, 3], [4, 5, 6]]);
    expect(src.grad!.toArray()).toEqual([[3, 1, 0], [0, 0, 0]]);
    const index = i32([[1, 0, 1], [1, 1, 0], [0, 0, 0]]);
    gradcheck((a, b) => a.scatterAdd(0, index, b), [randn([2, 3], 8).requiresGrad_(), randn([3, 4], 9).requiresGrad_()]);
    checkGradients((b) => nb.zeros([2, 3], { dtype: "float64" }).scatterAdd(0, index, b), randn([3, 3], 10));
    checkGradients((a) => a.scatterAdd(1, i32([[0], [2]]), randn([2, 2], 11)), randn([2, 3], 12));
  });

  it("checks shapes, dtypes and values before touching anything", () => {
    const x = f64([[1, 2], [3, 4]]);
    const src = f64([[1, 2], [3, 4]]);
    expect(() => x.scatterAdd(0, i32([[2, 0]]), src)).toThrow("scatterAdd: index 2 at position [0,0] is out of range for axis 0 of size 2 (expected 0..1)");
    expect(() => x.scatterAdd(0, i32([[0, 0, 0]]), src)).toThrow(
      "scatterAdd: index of shape [1,3] is larger than input of shape [2,2] at axis 1 (index sizes must be <= input's except along axis 0)",
    );
    expect(() => x.scatterAdd(0, i32([[0], [1], [0]]), f64([[1], [2]]))).toThrow(
      "scatterAdd: index of shape [3,1] is larger than src of shape [2,1] at axis 0 (index sizes must be <= src's)",
    );
    expect(() => x.scatterAdd(0, i32([[0]]), nb.tensor([[1]]))).toThrow("scatterAdd: src has dtype float32 but input has float64; they must match");
    expect(() => x.scatterAdd(0, i32([0]), src)).toThrow(/scatterAdd: index of shape \[1\] must have as many dimensions as input/);
    expect(x.toArray()).toEqual([[1, 2], [3, 4]]);
  });
});

describe("oneHot", () => {
  it("encodes int32 labels as float32 rows", () => {
    const h = nb.oneHot(i32([2, 0, 1]), 4);
    expect(h.dtype).toBe("float32");
    expect(h.toArray()).toEqual([[0, 0, 1, 0], [1, 0, 0, 0], [0, 1, 0, 0]]);
    expect(i32([[1], [3]]).oneHot().toArray()).toEqual([[[0, 1, 0, 0]], [[0, 0, 0, 1]]]);
    expect(nb.oneHot(i32(1), 2).toArray()).toEqual([0, 1]);
  });

  it("rejects bad labels and class counts", () => {
    expect(() => nb.oneHot(i32([0, 3]), 3)).toThrow("oneHot: label 3 at position [1] is out of range for 3 classes (expected 0..2)");
    expect(() => nb.oneHot(i32([-1]), 3)).toThrow(/oneHot: label -1 at position \[0\]/);
    expect(() => nb.oneHot(nb.tensor([1]), 3)).toThrow("oneHot: labels must be an int32 tensor, got dtype float32");
    expect(() => nb.oneHot(i32([]))).toThrow(/oneHot: cannot infer the number of classes from empty labels/);
    expect(() => nb.oneHot(i32([0]), 0)).toThrow("oneHot: numClasses must be a positive integer or -1, got 0");
  });
});
