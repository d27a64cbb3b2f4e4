import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as nb from "../../src/index.js";
import { matmulT } from "../../src/tensor/ops/linalg.js";
import { checkCase, nnCases } from "./linalg-conformance.js";

const f64 = (data: nb.NestedArray) => nb.tensor(data, { dtype: "float64" });
const randn = (shape: number[], seed: number) => nb.randn(shape, { dtype: "float64", generator: new nb.Generator(seed) });

/** matmul by its definition: broadcast batch indices, then sum_p a[.., i, p] b[.., p, j]. */
function naiveBatchedMatmul(a: nb.Tensor, b: nb.Tensor): { shape: number[]; values: number[] } {
  const aB = a.shape.slice(0, -2);
  const bB = b.shape.slice(0, -2);
  const batch = nb.broadcastShapes(aB, bB, "test");
  const [m, k] = a.shape.slice(-2) as [number, number];
  const n = b.shape[b.ndim - 1]!;
  const values: number[] = [];
  const count = batch.reduce((x, y) => x * y, 1);
  const index = (shape: number[], idx: number[]) => {
    let flat = 0;
    const off = idx.length - shape.length;
    shape.forEach((d, i) => (flat = flat * d + (d === 1 ? 0 : idx[i + off]!)));
    return flat;
  };
  for (let t = 0; t < count; t++) {
    const idx: number[] = [];
    let r = t;
    for (let d = batch.length - 1; d >= 0; d--) {
      idx.unshift(r % batch[d]!);
      r = Math.floor(r / batch[d]!);
    }
    const ai = index(aB, idx) * m * k;
    const bi = index(bB, idx) * k * n;
    for (let i = 0; i < m; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let p = 0; p < k; p++) s += a.data[ai + i * k + p]! * b.data[bi + p * n + j]!;
        values.push(s);
      }
    }
  }
  return { shape: [...batch, m, n], values };
}

describe("matmul forward", () => {
  it("multiplies matrices, vectors and mixtures by torch.matmul's rules", () => {
    const a = f64([[1, 2, 3], [4, 5, 6]]);
    const b = f64([[7, 8], [9, 10], [11, 12]]);
    expect(nb.matmul(a, b).toArray()).toEqual([[58, 64], [139, 154]]);
    const v3 = f64([1, 0, -1]);
    const dotted = nb.matmul(f64([1, 2, 3]), f64([4, 5, 6]));
    expect(dotted.shape).toEqual([]);
    expect(dotted.item()).toBe(32);
    // 1-D first operand: a row vector whose dimension is removed.
    expect(nb.matmul(v3, b).toArray()).toEqual([7 - 11, 8 - 12]);
    // 1-D second operand: a column vector whose dimension is removed.
    expect(nb.matmul(a, v3).toArray()).toEqual([1 - 3, 4 - 6]);
    // A batch of matrices times a vector, and a vector times a batch.
    const batch = f64([[[1, 2, 3]], [[4, 5, 6]]]); // [2, 1, 3]
    expect(nb.matmul(batch, v3).toArray()).toEqual([[-2], [-2]]);
    expect(nb.matmul(f64([1, 1]), f64([[[1, 2], [3, 4]], [[5, 6], [7, 8]]])).toArray()).toEqual([[4, 6], [12, 14]]);
  });

  it("broadcasts batch dimensions ([2,1,3,4] @ [5,4,2] -> [2,5,3,2])", () => {
    const a = randn([2, 1, 3, 4], 1);
    const b = randn([5, 4, 2], 2);
    const out = nb.matmul(a, b);
    const want = naiveBatchedMatmul(a, b);
    expect(out.shape).toEqual(want.shape);
    Array.from(out.data).forEach((v, i) => expect(v).toBeCloseTo(want.values[i]!, 12));
  });

  it("agrees with the definition on random broadcastable shapes, including size 0 and 1", () => {
    const dim = fc.integer({ min: 0, max: 4 });
    const batchDims = fc.array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 });
    fc.assert(
      fc.property(batchDims, fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), dim, dim, dim, fc.integer(), (batch, ones, m, k, n, seed) => {
        const aBatch = batch.map((d, i) => (ones[i] ? 1 : d));
        const bBatch = batch.slice(1).map((d, i) => (ones[i + 1] ? d : 1));
        const a = randn([...aBatch, m, k], seed);
        const b = randn([...bBatch, k, n], seed + 1);
        const out = nb.matmul(a, b);
        const want = naiveBatchedMatmul(a, b);
        expect(out.shape).toEqual(want.shape);
        Array.from(out.data).forEach((v, i) => expect(v).toBeCloseTo(want.values[i]!, 12));
      }),
      { numRuns: 60 },
    );
  });

  it("handles empty dimensions: k = 0 gives zeros", () => {
    expect(nb.matmul(nb.zeros([2, 0]), nb.zeros([0, 3])).toArray()).toEqual([[0, 0, 0], [0, 0, 0]]);
    expect(nb.matmul(nb.zeros([0, 4]), nb.zeros([4, 3])).shape).toEqual([0, 3]);
  });

  it("keeps int32 products exact and promotes mixed dtypes", () => {
    const a = nb.tensor([[1, 2], [3, 4]], { dtype: "int32" });
    const out = nb.matmul(a, a);
    expect(out.dtype).toBe("int32");
    expect(out.toArray()).toEqual([[7, 10], [15, 22]]);
    const mixed = nb.matmul(a, f64([[0.5], [0.25]]));
    expect(mixed.dtype).toBe("float64");
    expect(mixed.toArray()).toEqual([[1], [2.5]]);
  });

  it("names the op and the shapes in its errors", () => {
    expect(() => nb.matmul(nb.zeros([2, 3]), nb.zeros([4, 5]))).toThrow("matmul: shapes [2,3] and [4,5] do not align (3 != 4)");
    expect(() => nb.matmul(nb.zeros([3]), nb.zeros([4]))).toThrow("matmul: shapes [3] and [4] do not align (3 != 4)");
    expect(() => nb.matmul(nb.zeros([]), nb.zeros([4]))).toThrow(/matmul: both arguments need at least 1 dimension/);
    expect(() => nb.matmul(nb.zeros([2, 2, 3]), nb.zeros([3, 3, 1]))).toThrow(/matmul: batch dimensions \[2\] and \[3\] .* cannot be broadcast/);
    expect(() => nb.mm(nb.zeros([2, 3]), nb.zeros([3]))).toThrow(/mm: expected 2-D tensors, got shapes \[2,3\] and \[3\]/);
    expect(() => nb.bmm(nb.zeros([2, 2, 3]), nb.zeros([1, 3, 2]))).toThrow(/bmm: batch sizes .* differ \(2 != 1\)/);
    expect(() => nb.dot(nb.zeros([2]), nb.zeros([3]))).toThrow(/dot: lengths .* differ \(2 != 3\)/);
    expect(() => nb.outer(nb.zeros([2, 1]), nb.zeros([3]))).toThrow(/outer: expected 1-D tensors/);
  });
});

describe("mm, bmm, dot, outer and Tensor methods", () => {
  it("compute hand-checked values", () => {
    const a = f64([[1, 2], [3, 4]]);
    expect(nb.mm(a, f64([[1], [1]])).toArray()).toEqual([[3], [7]]);
    expect(a.mm(a).toArray()).toEqual([[7, 10], [15, 22]]);
    expect(nb.bmm(f64([[[1, 2]], [[3, 4]]]), f64([[[1], [1]], [[2], [0]]])).toArray()).toEqual([[[3]], [[6]]]);
    expect(nb.dot(f64([1, 2, 3]), f64([1, 1, 1])).item()).toBe(6);
    expect(f64([1, 2]).outer(f64([3, 4, 5])).toArray()).toEqual([[3, 4, 5], [6, 8, 10]]);
    expect(a.matmul(f64([1, -1])).toArray()).toEqual([-1, -1]);
  });
});

describe("matmul backward", () => {
  it("gives hand-computed gradients: d sum(AB) = (1 B^T, A^T 1)", () => {
    const a = f64([[1, 2, 3], [4, 5, 6]]).requiresGrad_();
    const b = f64([[1, 0], [0, 1], [1, 1]]).requiresGrad_();
    nb.matmul(a, b).sum().backward();
    expect(a.grad!.toArray()).toEqual([[1, 1, 2], [1, 1, 2]]);
    expect(b.grad!.toArray()).toEqual([[5, 5], [7, 7], [9, 9]]);
  });

  const cases: [string, number[], number[]][] = [
    ["2-D @ 2-D", [3, 4], [4, 2]],
    ["1-D @ 1-D", [4], [4]],
    ["1-D @ 2-D", [3], [3, 4]],
    ["2-D @ 1-D", [2, 3], [3]],
    ["3-D @ 2-D (folded)", [2, 3, 4], [4, 2]],
    ["3-D @ 1-D", [2, 3, 4], [4]],
    ["1-D @ 3-D", [3], [2, 3, 4]],
    ["2-D @ 3-D (broadcast)", [2, 3], [4, 3, 2]],
    ["batched broadcast [2,1,3,4] @ [5,4,2]", [2, 1, 3, 4], [5, 4, 2]],
    ["both broadcast [3,1,2,2] @ [1,2,2,3]", [3, 1, 2, 2], [1, 2, 2, 3]],
  ];
  for (const [name, as, bs] of cases) {
    it(`passes gradcheck: ${name}`, () => {
      expect(nb.gradcheck((a, b) => nb.matmul(a, b), [randn(as, 3).requiresGrad_(), randn(bs, 4).requiresGrad_()]).ok).toBe(true);
    });
  }

  it("passes gradcheck for every transpose flag of matmulT, batched with broadcasting", () => {
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const a = randn(ta ? [2, 1, 4, 3] : [2, 1, 3, 4], 5).requiresGrad_();
      const b = randn(tb ? [3, 2, 4] : [3, 4, 2], 6).requiresGrad_();
      expect(matmulT(a, b, ta, tb).shape).toEqual([2, 3, 3, 2]);
      expect(nb.gradcheck((x, y) => matmulT(x, y, ta, tb), [a, b]).ok).toBe(true);
    }
  });

  it("passes gradcheck for mm, bmm, dot and outer", () => {
    expect(nb.gradcheck((a, b) => nb.mm(a, b), [randn([2, 3], 7).requiresGrad_(), randn([3, 2], 8).requiresGrad_()]).ok).toBe(true);
    expect(nb.gradcheck((a, b) => nb.bmm(a, b), [randn([2, 2, 3], 9).requiresGrad_(), randn([2, 3, 2], 10).requiresGrad_()]).ok).toBe(true);
    expect(nb.gradcheck((a, b) => nb.dot(a, b), [randn([5], 11).requiresGrad_(), randn([5], 12).requiresGrad_()]).ok).toBe(true);
    expect(nb.gradcheck((a, b) => nb.outer(a, b), [randn([3], 13).requiresGrad_(), randn([4], 14).requiresGrad_()]).ok).toBe(true);
  });

  it("differentiates twice (createGraph): the gradient of sum((AB)^2) passes gradcheck", () => {
    const f = (a: nb.Tensor, b: nb.Tensor) => {
      const y = nb.matmul(a, b);
      return y.mul(y).sum();
    };
    const gradA = (a: nb.Tensor, b: nb.Tensor) => nb.grad(f, { createGraph: true })(a, b);
    const gradB = (a: nb.Tensor, b: nb.Tensor) => nb.grad(f, { argnums: 1, createGraph: true })(a, b);
    const a = randn([2, 2, 3], 15).requiresGrad_();
    const b = randn([3, 2], 16).requiresGrad_();
    expect(nb.gradcheck(gradA, [a, b]).ok).toBe(true);
    expect(nb.gradcheck(gradB, [a, b]).ok).toBe(true);
  });

  it("sums the gradient of a broadcast operand over its broadcast dimensions", () => {
    const a = nb.ones([4, 2, 3], { dtype: "float64" }).requiresGrad_();
    const b = f64([[1, 2], [3, 4], [5, 6]]).requiresGrad_();
    nb.matmul(a, b).sum().backward();
    // Each of the 4*2 rows of ones contributes 1 to every entry of b's gradient.
    expect(b.grad!.toArray()).toEqual([[8, 8], [8, 8], [8, 8]]);
    expect(a.grad!.shape).toEqual([4, 2, 3]);
    expect(Array.from(a.grad!.data.slice(0, 3))).toEqual([3, 7, 11]);
  });
});

describe("linear", () => {
  const x = f64([[1, 2], [3, 4], [5, 6]]);
  const w = f64([[1, 0], [0, 1], [1, -1]]);
  const b = f64([10, 20, 30]);

  it("computes x W^T + b for any number of leading dimensions", () => {
    expect(nb.linear(x, w, b).toArray()).toEqual([[11, 22, 29], [13, 24, 29], [15, 26, 29]]);
    expect(nb.linear(x, w).toArray()).toEqual([[1, 2, -1], [3, 4, -1], [5, 6, -1]]);
    expect(nb.linear(f64([1, 2]), w, b).toArray()).toEqual([11, 22, 29]);
    const x3 = nb.reshape(x, [3, 1, 2]);
    expect(nb.linear(x3, w, b).shape).toEqual([3, 1, 3]);
    expect(nb.linear(x3, w, b).reshape([3, 3]).toArray()).toEqual([[11, 22, 29], [13, 24, 29], [15, 26, 29]]);
    expect(x.linear(w, null).toArray()).toEqual([[1, 2, -1], [3, 4, -1], [5, 6, -1]]);
  });

  it("gives hand-computed gradients: dx = g W, dW = g^T x, db = sum of g over leading dims", () => {
    const xs = f64([[[1, 2]], [[3, 4]]]).requiresGrad_(); // [2, 1, 2]
    const ws = w.detach().requiresGrad_();
    const bs = b.detach().requiresGrad_();
    nb.linear(xs, ws, bs).sum().backward();
    expect(xs.grad!.toArray()).toEqual([[[2, 0]], [[2, 0]]]);
    expect(ws.grad!.toArray()).toEqual([[4, 6], [4, 6], [4, 6]]);
    expect(bs.grad!.toArray()).toEqual([2, 2, 2]);
  });

  it("passes gradcheck with and without bias, for 1-D, 2-D and 3-D inputs", () => {
    const weight = randn([3, 4], 17).requiresGrad_();
    const bias = randn([3], 18).requiresGrad_();
    for (const shape of [[4], [5, 4], [2, 3, 4]]) {
      const input = randn(shape, 19).requiresGrad_();
      expect(nb.gradcheck((i, wt, bt) => nb.linear(i, wt, bt), [input, weight, bias]).ok).toBe(true);
      expect(nb.gradcheck((i, wt) => nb.linear(i, wt), [input, weight]).ok).toBe(true);
    }
  });

  it("differentiates twice (createGraph)", () => {
    const f = (i: nb.Tensor, wt: nb.Tensor, bt: nb.Tensor) => {
      const y = nb.linear(i, wt, bt);
      return y.mul(y).sum();
    };
    const inputs = [randn([2, 3], 20).requiresGrad_(), randn([2, 3], 21).requiresGrad_(), randn([2], 22).requiresGrad_()];
    for (const argnums of [0, 1, 2]) {
      expect(nb.gradcheck((i, wt, bt) => nb.grad(f, { argnums, createGraph: true })(i, wt, bt), inputs).ok).toBe(true);
    }
  });

  it("rejects mismatched shapes before doing any work", () => {
    expect(() => nb.linear(nb.zeros([2, 5]), nb.zeros([3, 4]))).toThrow("linear: input shape [2,5] does not match weight shape [3,4] (last input dimension 5 != 4)");
    expect(() => nb.linear(nb.zeros([2, 4]), nb.zeros([3, 4]), nb.zeros([4]))).toThrow("linear: bias must have shape [3], got [4]");
    expect(() => nb.linear(nb.zeros([2, 4]), nb.zeros([4]))).toThrow(/linear: weight must be 2-D/);
  });
});

describe("torch references (conformance/nn/nn.json)", () => {
  const matmulCases = nnCases((c) => c.torch_function === "torch.matmul");
  const linearCases = nnCases((c) => c.kind === "module" && c.torch_class === "Linear");
  it("has the cases", () => {
    expect(matmulCases.length).toBeGreaterThanOrEqual(10);
    expect(linearCases.length).toBeGreaterThanOrEqual(5);
  });
  for (const c of matmulCases) {
    it(`${c.id} (float64 and float32)`, () => {
      for (const dtype of ["float64", "float32"] as const) {
        expect(checkCase(c, dtype, (t) => ({ output: nb.matmul(t.input!, t.other!) }))).toEqual([]);
      }
    });
  }
  for (const c of linearCases) {
    it(`${c.id} (float64 and float32)`, () => {
      for (const dtype of ["float64", "float32"] as const) {
        expect(checkCase(c, dtype, (t) => ({ output: nb.linear(t.input!, t.weight!, t.bias ?? null) }))).toEqual([]);
      }
    });
  }
});
