import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { buildModule, casesFor, expectWithin, runModuleCase } from "./helpers.js";

const { nn } = nb;

function table(options: nb.nn.EmbeddingLayerOptions = {}): nb.nn.Embedding {
  const e = new nn.Embedding(4, 2, { dtype: "float64", ...options });
  e.weight.data.set([0, 1, 10, 11, 20, 21, 30, 31]);
  return e;
}

const idx = (values: number[][] | number[]): nb.Tensor => nb.tensor(values, { dtype: "int32" });

describe("Embedding", () => {
  it("looks up rows for indices of any shape", () => {
    const out = table().forward(idx([[3, 0], [1, 1]]));
    expect(out.toArray()).toEqual([[[30, 31], [0, 1]], [[10, 11], [10, 11]]]);
    expect(table().forward(nb.tensor(2, { dtype: "int32" })).toArray()).toEqual([20, 21]);
  });

  it("adds the gradients of repeated indices", () => {
    const e = table();
    e.forward(idx([1, 1, 3])).sum().backward();
    expect(e.weight.grad!.toArray()).toEqual([[0, 0], [2, 2], [0, 0], [1, 1]]);
  });

  it("reads the padding row as it is but gives it no gradient; a negative paddingIdx counts from the end", () => {
    const e = table({ paddingIdx: -1 });
    expect(e.paddingIdx).toBe(3);
    e.weight.data.set([0, 1, 10, 11, 20, 21, 30, 31]);
    const out = e.forward(idx([3, 2, 3]));
    expect(out.toArray()).toEqual([[30, 31], [20, 21], [30, 31]]);
    out.sum().backward();
    expect(e.weight.grad!.toArray()).toEqual([[0, 0], [0, 0], [1, 1], [0, 0]]);
    expect(Array.from(new nn.Embedding(3, 2, { paddingIdx: 1 }).weight.data.slice(2, 4))).toEqual([0, 0]);
  });

  it("divides each row's gradient by its count with scaleGradByFreq", () => {
    const e = table({ scaleGradByFreq: true });
    e.forward(idx([1, 1, 1, 2])).mul(nb.tensor([[1, 1], [2, 2], [3, 3], [5, 5]], { dtype: "float64" })).sum().backward();
    expect(e.weight.grad!.toArray()).toEqual([[0, 0], [2, 2], [5, 5], [0, 0]]);
  });

  it("renormalises looked-up rows to maxNorm", () => {
    const e = table({ maxNorm: 5 });
    e.forward(idx([3]));
    const n = Math.hypot(e.weight.data[6]!, e.weight.data[7]!);
    expect(n).toBeCloseTo(5, 5);
    expect(e.weight.data[2]).toBe(10); // rows not looked up stay
  });

  it("passes gradcheck", () => {
    const w = nb.randn([4, 3], { dtype: "float64", generator: new nb.Generator(1) }).requiresGrad_();
    const i = idx([[0, 1], [1, 3]]);
    nb.gradcheck((weight) => nb.nn.functional.embedding(i, weight).mul(weight.sum()), [w]);
  });

  it("differentiates its gradient again", () => {
    // f(w) = sum(emb(w)^2): the gradient of row r is 2 w[r] times its count (0 for the padding row),
    // so the Hessian-vector product is 2 v[r] count[r].
    const options = { paddingIdx: 0 };
    const i = idx([[0, 1], [1, 3]]);
    const f = (w: nb.Tensor): nb.Tensor => {
      const e = nb.nn.functional.embedding(i, w, options);
      return e.mul(e).sum();
    };
    const w = nb.randn([4, 2], { dtype: "float64", generator: new nb.Generator(3) });
    const v = nb.tensor([[1, 2], [3, 4], [5, 6], [7, 8]], { dtype: "float64" });
    const hvp = nb.grad((x: nb.Tensor) => nb.grad(f, { createGraph: true })(x).mul(v).sum())(w);
    expect(hvp.toArray()).toEqual([[0, 0], [12, 16], [0, 0], [14, 16]]);
  });

  it("validates indices and options", () => {
    expect(() => table().forward(idx([4]))).toThrow(/index 4 is out of range for 4 embeddings/);
    expect(() => table().forward(nb.tensor([1]))).toThrow(/int32/);
    expect(() => new nn.Embedding(4, 2, { paddingIdx: 4 })).toThrow(/paddingIdx/);
    expect(() => new nn.Embedding(4, 2, { sparse: true })).toThrow(/sparse/);
  });

  it("fromPretrained copies the weights and freezes them by default", () => {
    const w = nb.tensor([[1, 2], [3, 4]]);
    const e = nn.Embedding.fromPretrained(w);
    expect(e.forward(idx([1])).toArray()).toEqual([[3, 4]]);
    expect(e.weight.requiresGrad).toBe(false);
    expect(e.parameters()).toHaveLength(1);
    expect(nn.Embedding.fromPretrained(w, { freeze: false }).weight.requiresGrad).toBe(true);
  });

  it.each(casesFor("module", "Embedding").map((c) => [c.id, c] as const))("matches torch: %s", (_id, c) => {
    for (const dtype of ["float64", "float32"] as const) expectWithin(c, runModuleCase(c, buildModule(c, dtype), dtype), dtype);
  });
});
