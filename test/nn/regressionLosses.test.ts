import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { expectWithin, nnCases, runLossCase } from "./helpers.js";

const F = nb.nn.functional;
const { nn } = nb;
const t64 = (v: number[]): nb.Tensor => nb.tensor(v, { dtype: "float64" });

describe("regression losses", () => {
  it("mseLoss: (x - t)^2 with mean, sum or none", () => {
    const x = t64([1, 2, 3]);
    const t = t64([1, 0, 0]);
    expect(F.mseLoss(x, t).item()).toBeCloseTo(13 / 3, 14);
    expect(F.mseLoss(x, t, { reduction: "sum" }).item()).toBe(13);
    expect(Array.from(F.mseLoss(x, t, { reduction: "none" }).data)).toEqual([0, 4, 9]);
    expect(new nn.MSELoss({ reduction: "sum" }).forward(x, t).item()).toBe(13);
  });

  it("l1Loss: |x - t|, gradient 0 where x == t", () => {
    const x = t64([1, 2, -3]).requiresGrad_();
    const t = t64([1, 0, 0]);
    const loss = F.l1Loss(x, t);
    expect(loss.item()).toBeCloseTo(5 / 3, 14);
    loss.backward();
    expect(Array.from(x.grad!.data)).toEqual([0, 1 / 3, -1 / 3]);
    expect(new nn.L1Loss({ reduction: "sum" }).forward(x, t).item()).toBe(5);
  });

  it("huberLoss: quadratic inside delta, linear from |d| == delta on", () => {
    const x = t64([0.5, 2, -1]).requiresGrad_();
    const loss = F.huberLoss(x, t64([0, 0, 0]), { reduction: "none" });
    expect(Array.from(loss.data)).toEqual([0.125, 1.5, 0.5]);
    loss.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([0.5, 1, -1]);
    expect(new nn.HuberLoss({ delta: 2 }).forward(t64([3]), t64([0])).item()).toBe(4);
  });

  it("smoothL1Loss: huber(beta) / beta, and beta 0 gives L1 with torch's -1 gradient at ties", () => {
    expect(Array.from(F.smoothL1Loss(t64([1, 3]), t64([0, 0]), { beta: 2, reduction: "none" }).data)).toEqual([0.25, 2]);
    const x = t64([1, 2, -1]).requiresGrad_();
    const t = t64([1, 0, 0]).requiresGrad_();
    const loss = F.smoothL1Loss(x, t, { beta: 0, reduction: "sum" });
    expect(loss.item()).toBe(3);
    loss.backward();
    expect(Array.from(x.grad!.data)).toEqual([-1, 1, -1]);
    expect(Array.from(t.grad!.data)).toEqual([-1, -1, 1]);
    expect(new nn.SmoothL1Loss({ beta: 2 }).forward(t64([3]), t64([0])).item()).toBe(2);
  });

  it("pass gradcheck for input and target", () => {
    const g = new nb.Generator(3);
    const x = nb.randn([3, 4], { dtype: "float64", generator: g }).requiresGrad_();
    const t = nb.randn([3, 4], { dtype: "float64", generator: g }).requiresGrad_();
    nb.gradcheck((a, b) => F.mseLoss(a, b), [x, t]);
    nb.gradcheck((a, b) => F.l1Loss(a, b, { reduction: "sum" }), [x, t]);
    nb.gradcheck((a, b) => F.huberLoss(a, b, { delta: 0.7, reduction: "none" }), [x, t]);
    nb.gradcheck((a, b) => F.smoothL1Loss(a, b, { beta: 0.5 }), [x, t]);
  });

  it("validate shapes and options", () => {
    expect(() => F.mseLoss(t64([1, 2]), t64([1]))).toThrow(/input shape \[2\] and target shape \[1\] differ/);
    expect(() => F.mseLoss(t64([1]), t64([1]), { reduction: "avg" as "mean" })).toThrow(/reduction must be one of/);
    expect(() => F.huberLoss(t64([1]), t64([1]), { delta: 0 })).toThrow(/delta must be positive/);
  });

  const cases = nnCases().filter((c) => c.kind === "loss" && /mse|l1_loss|huber/.test(c.torch_function!));
  it.each(cases.map((c) => [c.id, c] as const))("matches torch: %s", (_id, c) => {
    for (const dtype of ["float64", "float32"] as const) expectWithin(c, runLossCase(c, dtype), dtype);
  });
});
