// The schedulers driving nb.optim's real optimizers (not plain param-group objects).
import { describe, expect, it } from "vitest";
import * as nb from "../../../src/index.js";

const L = nb.optim.lrScheduler;

describe("schedulers on nb.optim optimizers", () => {
  it("SGD takes the lr a scheduler writes: p -= lr * g each step", () => {
    const p = nb.tensor([1], { dtype: "float64" });
    const opt = new nb.optim.SGD([p], { lr: 0.5 });
    const sched = new L.ExponentialLR(opt, { gamma: 0.5 });
    const expected = [1];
    for (let k = 0; k < 3; k++) {
      p.grad = nb.tensor([1], { dtype: "float64" });
      opt.step();
      sched.step();
      expected.push(expected[k]! - 0.5 * 0.5 ** k);
    }
    expect(Array.from(p.data)).toEqual([expected[3]]);
    expect(opt.paramGroups[0]!.lr).toBe(0.0625);
    expect((opt.paramGroups[0] as nb.optim.lrScheduler.ParamGroupLike).initialLr).toBe(0.5);
  });

  it("OneCycleLR cycles Adam's betas[0] and Adam accepts the new betas", () => {
    const p = nb.tensor([1, 2], { dtype: "float64" });
    const opt = new nb.optim.Adam([p], { lr: 1e-3, betas: [0.9, 0.99] });
    const sched = new L.OneCycleLR(opt, { maxLr: 0.01, totalSteps: 10 });
    expect(opt.paramGroups[0]!.betas).toEqual([0.95, 0.99]);
    for (let k = 0; k < 5; k++) {
      p.grad = nb.tensor([0.1, -0.1], { dtype: "float64" });
      opt.step();
      sched.step();
    }
    expect(opt.paramGroups[0]!.betas[1]).toBe(0.99);
    expect(opt.paramGroups[0]!.betas[0]).toBeLessThan(0.95);
    expect(opt.paramGroups[0]!.lr).toBe(sched.getLastLr()[0]);
  });

  it("a checkpoint of optimizer + scheduler resumes exactly (initialLr travels with the optimizer's groups)", () => {
    const make = () => {
      const p = nb.tensor([1, -1], { dtype: "float64" });
      const opt = new nb.optim.SGD([p], { lr: 0.1, momentum: 0.9 });
      const sched = new L.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 3 });
      return { p, opt, sched };
    };
    const train = (r: ReturnType<typeof make>, steps: number) => {
      for (let k = 0; k < steps; k++) {
        r.p.grad = r.p.detach().clone();
        r.opt.step();
        r.sched.step();
      }
    };
    const ref = make();
    train(ref, 10);
    const a = make();
    train(a, 4);
    // The scheduler's state goes through JSON; the optimizer's is a copy already.
    const saved = { opt: a.opt.stateDict(), sched: JSON.parse(JSON.stringify(a.sched.stateDict())) as nb.optim.lrScheduler.LRSchedulerState };
    const b = make();
    b.opt.loadStateDict(saved.opt);
    b.sched.loadStateDict(saved.sched);
    b.p.data.set(a.p.data);
    train(b, 6);
    expect(Array.from(b.p.data)).toEqual(Array.from(ref.p.data));
    expect(b.opt.paramGroups[0]!.lr).toBe(ref.opt.paramGroups[0]!.lr);
    expect(b.opt.paramGroups[0]!.momentum).toBe(ref.opt.paramGroups[0]!.momentum);
  });

  it("ReduceLROnPlateau lowers a real optimizer's lr", () => {
    const opt = new nb.optim.SGD([nb.tensor([1])], { lr: 1 });
    const sched = new L.ReduceLROnPlateau(opt, { patience: 0, factor: 0.5 });
    sched.step(1);
    sched.step(1);
    expect(opt.paramGroups[0]!.lr).toBe(0.5);
  });
});
