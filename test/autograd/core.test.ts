import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

describe("autograd core", () => {
  it("backpropagates through add, mul, div, sum with broadcasting", () => {
    const x = nb.tensor([[1, 2], [3, 4]], { dtype: "float64", requiresGrad: true });
    const b = nb.tensor([10, 20], { dtype: "float64", requiresGrad: true });
    const y = x.mul(x).add(b).div(2).sum();
    y.backward();
    expect(y.item()).toBe((1 + 4 + 9 + 16 + 20 + 40) / 2);
    expect(x.grad!.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(b.grad!.toArray()).toEqual([1, 1]);
  });

  it("accumulates into .grad across backward calls", () => {
    const x = nb.tensor([1, 2, 3], { dtype: "float64", requiresGrad: true });
    x.mul(3).sum().backward();
    x.mul(3).sum().backward();
    expect(x.grad!.toArray()).toEqual([6, 6, 6]);
  });

  it("computes a Hessian-vector product with createGraph", () => {
    // f(x) = sum(x0^2 x1 + x1^3): H = [[2 x1, 2 x0], [2 x0, 6 x1]]
    const f = (x: nb.Tensor) => {
      const x0 = x.mul(nb.tensor([1, 0], { dtype: "float64" })).sum();
      const x1 = x.mul(nb.tensor([0, 1], { dtype: "float64" })).sum();
      return x0.mul(x0).mul(x1).add(x1.mul(x1).mul(x1));
    };
    const x = nb.tensor([1.5, -2], { dtype: "float64" });
    const v = nb.tensor([0.3, 0.7], { dtype: "float64" });
    const hvp = nb.grad((y: nb.Tensor) => nb.grad(f, { createGraph: true })(y).mul(v).sum())(x);
    const [x0, x1] = [1.5, -2];
    expect(hvp.data[0]).toBeCloseTo(2 * x1 * 0.3 + 2 * x0 * 0.7, 12);
    expect(hvp.data[1]).toBeCloseTo(2 * x0 * 0.3 + 6 * x1 * 0.7, 12);
  });

  it("gradcheck passes for arithmetic and fails for a wrong rule", () => {
    const a = nb.randn([3, 4], { dtype: "float64", generator: new nb.Generator(1) }).requiresGrad_();
    const b = nb.randn([4], { dtype: "float64", generator: new nb.Generator(2) }).add(3).requiresGrad_();
    expect(nb.gradcheck((p, q) => p.mul(q).div(q.add(p)).sub(p).mean(0), [a, b]).ok).toBe(true);
    const wrong = (p: nb.Tensor) => nb.record(p.mul(2).detach(), "wrong", [p], (g) => [g]);
    expect(() => nb.gradcheck(wrong, [a])).toThrow(/gradcheck failed/);
  });

  it("records nothing under noGrad", () => {
    const x = nb.tensor([1, 2], { requiresGrad: true });
    const y = nb.noGrad(() => x.mul(2));
    expect(y.requiresGrad).toBe(false);
    expect(y.gradFn).toBeNull();
  });
});
