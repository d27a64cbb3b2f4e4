import { describe, expect, it } from "vitest";
import * as nb from "../../../src/index.js";

const L = nb.optim.lrScheduler;
type Opt = nb.optim.lrScheduler.OptimizerLike;

const sgd = (...lrs: number[]): Opt => ({ paramGroups: lrs.map((lr) => ({ lr, momentum: 0.9 })) });
const adam = (...lrs: number[]): Opt => ({ paramGroups: lrs.map((lr) => ({ lr, betas: [0.9, 0.999] })) });

/** lr of group 0 after construction and after each of `steps` steps. */
function lrs(opt: Opt, sched: { step(): void }, steps: number, group = 0): number[] {
  const out = [opt.paramGroups[group]!.lr];
  for (let i = 0; i < steps; i++) {
    sched.step();
    out.push(opt.paramGroups[group]!.lr);
  }
  return out;
}

function expectClose(actual: number[], expected: number[], digits = 14): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a, `index ${i}`).toBeCloseTo(expected[i]!, digits));
}

describe("base behaviour", () => {
  it("records initialLr in each group, without overwriting one already there", () => {
    const opt = sgd(0.1, 0.2);
    new L.StepLR(opt, { stepSize: 2 });
    expect(opt.paramGroups.map((g) => g.initialLr)).toEqual([0.1, 0.2]);
    opt.paramGroups[0]!.lr = 0.5;
    const s = new L.ExponentialLR(opt, { gamma: 0.5 });
    expect(opt.paramGroups[0]!.initialLr).toBe(0.1);
    expect(s.baseLrs).toEqual([0.1, 0.2]);
  });

  it("lastEpoch is 0 after construction and counts steps; getLastLr returns a copy", () => {
    const opt = sgd(1);
    const s = new L.ExponentialLR(opt, { gamma: 0.5 });
    expect(s.lastEpoch).toBe(0);
    s.step();
    s.step();
    expect(s.lastEpoch).toBe(2);
    const last = s.getLastLr();
    expect(last).toEqual([0.25]);
    last[0] = 99;
    expect(s.getLastLr()).toEqual([0.25]);
  });

  it("step(epoch) jumps to the closed form", () => {
    const opt = sgd(1);
    const s = new L.StepLR(opt, { stepSize: 3, gamma: 0.1 });
    s.step(7);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo(0.01, 16);
    expect(s.lastEpoch).toBe(7);
  });

  it("resuming with lastEpoch continues from initialLr; without initialLr it refuses", () => {
    const opt = sgd(1);
    expect(() => new L.ExponentialLR(opt, { gamma: 0.5, lastEpoch: 3 })).toThrow(/paramGroups\[0\] has no initialLr/);
    expect(opt.paramGroups[0]).toEqual({ lr: 1, momentum: 0.9 });
    opt.paramGroups[0]!.initialLr = 1;
    opt.paramGroups[0]!.lr = 0.125;
    const s = new L.ExponentialLR(opt, { gamma: 0.5, lastEpoch: 3 });
    expect(s.lastEpoch).toBe(4);
    expect(opt.paramGroups[0]!.lr).toBe(0.0625);
  });

  it("a step that would write a non-finite lr throws and changes nothing", () => {
    const opt = sgd(1);
    const s = new L.LambdaLR(opt, { lrLambda: (e) => (e === 3 ? NaN : 1 / (e + 1)) });
    s.step();
    s.step();
    const before = { lr: opt.paramGroups[0]!.lr, last: s.getLastLr(), epoch: s.lastEpoch, state: s.stateDict() };
    expect(() => s.step()).toThrow(/LambdaLR: epoch 3 gives a non-finite lr \(NaN\) for paramGroups\[0\]; nothing was changed/);
    expect(opt.paramGroups[0]!.lr).toBe(before.lr);
    expect(s.getLastLr()).toEqual(before.last);
    expect(s.lastEpoch).toBe(before.epoch);
    expect(s.stateDict()).toEqual(before.state);
  });

  it("a constructor that fails leaves the optimizer untouched", () => {
    const opt = sgd(1);
    expect(() => new L.LambdaLR(opt, { lrLambda: () => Infinity })).toThrow(/non-finite lr/);
    expect(opt.paramGroups[0]).toEqual({ lr: 1, momentum: 0.9 });
  });

  it("refuses to step after the optimizer gained a param group", () => {
    const opt = sgd(1);
    const s = new L.ExponentialLR(opt, { gamma: 0.5 });
    opt.paramGroups.push({ lr: 1 });
    expect(() => s.step()).toThrow(/the optimizer now has 2 param groups, the scheduler was built for 1/);
  });
});

describe("hand-computed trajectories", () => {
  it("StepLR", () => {
    const opt = sgd(1);
    expectClose(lrs(opt, new L.StepLR(opt, { stepSize: 3, gamma: 0.1 }), 6), [1, 1, 1, 0.1, 0.1, 0.1, 0.01]);
  });

  it("MultiStepLR counts a repeated milestone twice and sorts milestones", () => {
    const opt = sgd(1);
    expectClose(lrs(opt, new L.MultiStepLR(opt, { milestones: [4, 2, 2], gamma: 0.5 }), 5), [1, 1, 0.25, 0.25, 0.125, 0.125]);
  });

  it("ExponentialLR", () => {
    const opt = sgd(1);
    expectClose(lrs(opt, new L.ExponentialLR(opt, { gamma: 0.5 }), 3), [1, 0.5, 0.25, 0.125]);
  });

  it("ConstantLR", () => {
    const opt = sgd(1);
    expectClose(lrs(opt, new L.ConstantLR(opt, { factor: 0.5, totalIters: 2 }), 3), [0.5, 0.5, 1, 1]);
  });

  it("LinearLR", () => {
    const opt = sgd(1);
    expectClose(lrs(opt, new L.LinearLR(opt, { startFactor: 0.25, endFactor: 1, totalIters: 3 }), 4), [0.25, 0.5, 0.75, 1, 1]);
  });

  it("PolynomialLR", () => {
    const opt = sgd(1);
    expectClose(lrs(opt, new L.PolynomialLR(opt, { totalIters: 4, power: 2 }), 5), [1, 0.5625, 0.25, 0.0625, 0, 0]);
  });

  it("CosineAnnealingLR keeps following the cosine past tMax", () => {
    const opt = sgd(1);
    expectClose(lrs(opt, new L.CosineAnnealingLR(opt, { tMax: 2 }), 6), [1, 0.5, 0, 0.5, 1, 0.5, 0]);
  });

  it("CosineAnnealingWarmRestarts restarts with cycles growing by tMult", () => {
    const opt = sgd(1);
    const s = new L.CosineAnnealingWarmRestarts(opt, { t0: 2, tMult: 2 });
    const c = (x: number) => (1 + Math.cos(Math.PI * x)) / 2;
    expectClose(lrs(opt, s, 6), [1, 0.5, 1, c(1 / 4), 0.5, c(3 / 4), 1]);
    expect([s.tI, s.tCur]).toEqual([8, 0]);
  });

  it("CosineAnnealingWarmRestarts.step(epoch) takes fractional epochs", () => {
    const opt = sgd(1);
    const s = new L.CosineAnnealingWarmRestarts(opt, { t0: 2, tMult: 2 });
    s.step(2.5);
    expect([s.tI, s.tCur, s.lastEpoch]).toEqual([4, 0.5, 2]);
    expect(opt.paramGroups[0]!.lr).toBeCloseTo((1 + Math.cos(Math.PI / 8)) / 2, 15);
    // cycles: [0, 2), [2, 6), [6, 14), [14, 30)
    s.step(14);
    expect([s.tI, s.tCur]).toEqual([16, 0]);
    s.step(22);
    expect([s.tI, s.tCur]).toEqual([16, 8]);
  });

  it("LambdaLR, one function per group", () => {
    const opt = sgd(1, 2);
    const s = new L.LambdaLR(opt, { lrLambda: [(e) => 1 / (e + 1), (e) => 0.5 ** e] });
    expectClose(lrs(opt, s, 2, 0), [1, 1 / 2, 1 / 3]);
    expectClose(s.getLastLr(), [1 / 3, 0.5]);
  });

  it("MultiplicativeLR never calls lrLambda(0)", () => {
    const opt = sgd(1);
    const seen: number[] = [];
    const s = new L.MultiplicativeLR(opt, { lrLambda: (e) => (seen.push(e), 0.5) });
    expectClose(lrs(opt, s, 3), [1, 0.5, 0.25, 0.125]);
    expect(seen).toEqual([1, 2, 3]);
  });

  it("CyclicLR cycles lr and, opposite to it, SGD's momentum", () => {
    const opt = sgd(5);
    const s = new L.CyclicLR(opt, { baseLr: 0.1, maxLr: 1, stepSizeUp: 2 });
    const m: number[] = [opt.paramGroups[0]!.momentum!];
    const l = [opt.paramGroups[0]!.lr];
    for (let i = 0; i < 4; i++) {
      s.step();
      m.push(opt.paramGroups[0]!.momentum!);
      l.push(opt.paramGroups[0]!.lr);
    }
    expectClose(l, [0.1, 0.55, 1, 0.55, 0.1]);
    expectClose(m, [0.9, 0.85, 0.8, 0.85, 0.9]);
    expect(opt.paramGroups[0]!.initialLr).toBe(0.1);
  });

  it("CyclicLR cycles Adam's betas[0] and leaves betas[1]", () => {
    const opt = adam(0.001);
    const s = new L.CyclicLR(opt, { baseLr: 0.1, maxLr: 1, stepSizeUp: 2, baseMomentum: 0.8, maxMomentum: 0.9 });
    s.step();
    expect(opt.paramGroups[0]!.betas![0]).toBeCloseTo(0.85, 15);
    expect(opt.paramGroups[0]!.betas![1]).toBe(0.999);
  });

  it("OneCycleLR: phases end at pctStart*total - 1 and total - 1; one extrapolated step, then it refuses", () => {
    const opt = sgd(123);
    const s = new L.OneCycleLR(opt, { maxLr: 1, totalSteps: 10, annealStrategy: "linear", divFactor: 10, finalDivFactor: 100 });
    expect(opt.paramGroups[0]!.initialLr).toBe(0.1);
    const l = lrs(opt, s, 10);
    expectClose(l.slice(0, 3), [0.1, 0.55, 1]);
    expect(l[3]).toBeCloseTo(1 + (0.001 - 1) / 7, 15);
    expect(l[9]).toBeCloseTo(0.001, 15);
    expect(l[10]).toBeCloseTo(1 + ((0.001 - 1) * 8) / 7, 14);
    expect(opt.paramGroups[0]!.momentum).toBeCloseTo(0.95 + (0.95 - 0.85) / 7, 14);
    const lr = opt.paramGroups[0]!.lr;
    expect(() => s.step()).toThrow(/OneCycleLR: tried to step 11 times; the specified number of total steps is 10/);
    expect(opt.paramGroups[0]!.lr).toBe(lr);
    expect(s.lastEpoch).toBe(10);
  });

  it("OneCycleLR with epochs * stepsPerEpoch and no momentum cycling leaves momentum alone", () => {
    const opt = sgd(1);
    const s = new L.OneCycleLR(opt, { maxLr: 1, epochs: 2, stepsPerEpoch: 5, cycleMomentum: false });
    expect(s.totalSteps).toBe(10);
    s.step();
    expect(opt.paramGroups[0]!.momentum).toBe(0.9);
  });

  it("SequentialLR: resets to initialLr, switches with step(0) at the milestone", () => {
    const opt = sgd(1);
    const a = new L.LinearLR(opt, { startFactor: 0.5, totalIters: 2 });
    const b = new L.ExponentialLR(opt, { gamma: 0.5 });
    const seq = new L.SequentialLR(opt, { schedulers: [a, b], milestones: [2] });
    expectClose(lrs(opt, seq, 4), [0.5, 0.75, 1, 0.5, 0.25]);
    expect([seq.lastEpoch, a.lastEpoch, b.lastEpoch]).toEqual([4, 1, 2]);
    expect(seq.getLastLr()).toEqual([0.25]);
  });

  it("ChainedScheduler multiplies the sub-schedulers' factors (torch's values, not its 1.13 docstring's)", () => {
    const opt = sgd(1);
    const chain = new L.ChainedScheduler([new L.ConstantLR(opt, { factor: 0.1, totalIters: 2 }), new L.ExponentialLR(opt, { gamma: 0.9 })]);
    expectClose(lrs(opt, chain, 3), [0.1, 0.09, 0.81, 0.729]);
    expectClose(chain.getLastLr(), [0.729]);
  });

  it("ChainedScheduler undoes a step in which a sub-scheduler fails", () => {
    const opt = sgd(1);
    const ok = new L.ExponentialLR(opt, { gamma: 0.5 });
    const bad = new L.MultiplicativeLR(opt, { lrLambda: (e) => (e >= 2 ? NaN : 1) });
    const chain = new L.ChainedScheduler([ok, bad]);
    chain.step();
    const before = { lr: opt.paramGroups[0]!.lr, ok: ok.stateDict(), bad: bad.stateDict(), chain: chain.stateDict() };
    expect(() => chain.step()).toThrow(/MultiplicativeLR: epoch 2 gives a non-finite lr/);
    expect(opt.paramGroups[0]!.lr).toBe(before.lr);
    expect(ok.stateDict()).toEqual(before.ok);
    expect(bad.stateDict()).toEqual(before.bad);
    expect(chain.stateDict()).toEqual(before.chain);
  });
});
