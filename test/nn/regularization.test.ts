import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const { nn } = nb;

describe("l1Penalty and l2Penalty", () => {
  it("sum |p| and p^2 over every parameter, with gradients sign(p) and 2p", () => {
    const a = nb.tensor([1, -2], { dtype: "float64", requiresGrad: true });
    const b = nb.tensor([[3]], { dtype: "float64", requiresGrad: true });
    const l1 = nn.l1Penalty([a, b]);
    expect(l1.item()).toBe(6);
    l1.backward();
    expect(Array.from(a.grad!.data)).toEqual([1, -1]);
    a.grad = null;
    const l2 = nn.l2Penalty([a, b]);
    expect(l2.item()).toBe(14);
    l2.backward();
    expect(Array.from(a.grad!.data)).toEqual([2, -4]);
    expect(Array.from(b.grad!.data)).toEqual([7]); // 1 from l1, 6 from l2
  });

  it("take a module's parameters and add to a loss", () => {
    const model = new nn.Linear(2, 1, { dtype: "float64" });
    model.weight.data.set([0.5, -1]);
    model.bias!.data.set([2]);
    expect(nn.l2Penalty(model).item()).toBe(0.25 + 1 + 4);
    const loss = nn.functional.mseLoss(model.forward(nb.ones([1, 2], { dtype: "float64" })), nb.zeros([1, 1], { dtype: "float64" }));
    const total = loss.add(nn.l1Penalty(model).mul(0.1));
    expect(total.item()).toBeCloseTo(1.5 * 1.5 + 0.35, 14);
    nb.gradcheck((w) => nn.l2Penalty([w]).add(nn.l1Penalty([w])), [nb.tensor([0.3, -0.7], { dtype: "float64" }).requiresGrad_()]);
  });

  it("give 0 for no parameters", () => {
    expect(nn.l1Penalty([]).item()).toBe(0);
    expect(nn.l2Penalty(new nn.ReLU()).item()).toBe(0);
  });
});
