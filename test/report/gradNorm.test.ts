import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { GradNormProbe, globalGradNorm } from "../../src/report/gradNorm.js";

describe("global gradient norm", () => {
  it("is the L2 norm of all gradients together", () => {
    const a = nb.tensor([1, 2], { requiresGrad: true });
    const b = nb.tensor([[0, 0]], { requiresGrad: true });
    const c = nb.tensor([5], { requiresGrad: true });
    a.grad = nb.tensor([3, 0]);
    b.grad = nb.tensor([[0, 4]]);
    // c has no gradient: it counts as zero.
    expect(globalGradNorm([a, b, c])).toBe(5);
  });

  it("is measured on the gradients the step uses, then the step runs", () => {
    const w = nb.tensor([1, -2, 3], { requiresGrad: true });
    const opt = new nb.optim.SGD([w], { lr: 0.5, weightDecay: 0.1 });
    const probe = new GradNormProbe(opt, [w]);
    expect(probe.paramGroups).toBe(opt.paramGroups);
    probe.zeroGrad();
    // loss = sum(w^2) / 2: the gradient is w itself, norm sqrt(14).
    w.mul(w).sum().mul(0.5).backward();
    probe.step();
    expect(probe.lastNorm).toBeCloseTo(Math.sqrt(14), 6);
    // The update ran: w - 0.5 * (g + 0.1 w) = w * (1 - 0.5 * 1.1).
    expect(Array.from(w.data)).toEqual([1, -2, 3].map((v) => Math.fround(v * 0.45)));
  });
});
