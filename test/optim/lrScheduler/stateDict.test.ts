import { describe, expect, it } from "vitest";
import * as nb from "../../../src/index.js";

const L = nb.optim.lrScheduler;
type Opt = nb.optim.lrScheduler.OptimizerLike;
type Group = nb.optim.lrScheduler.ParamGroupLike;

interface Stateful {
  step(): void;
  stateDict(): object;
  loadStateDict(state: never): void;
}

const sgd = (): Opt => ({ paramGroups: [{ lr: 0.1, momentum: 0.9 }, { lr: 0.03, momentum: 0.5 }] });
const adam = (): Opt => ({ paramGroups: [{ lr: 0.001, betas: [0.9, 0.999] }, { lr: 0.002, betas: [0.8, 0.99] }] });

/** Everything a scheduler writes into the groups, for exact comparison. */
const snapshot = (opt: Opt) => opt.paramGroups.map((g) => ({ lr: g.lr, momentum: g.momentum, beta1: g.betas?.[0] }));

const cases: { name: string; opt: () => Opt; make: (o: Opt) => Stateful; steps: number; cut: number }[] = [
  { name: "StepLR", opt: sgd, make: (o) => new L.StepLR(o, { stepSize: 4, gamma: 0.5 }), steps: 20, cut: 6 },
  { name: "MultiStepLR", opt: sgd, make: (o) => new L.MultiStepLR(o, { milestones: [3, 9, 9], gamma: 0.3 }), steps: 20, cut: 5 },
  { name: "ExponentialLR", opt: sgd, make: (o) => new L.ExponentialLR(o, { gamma: 0.9 }), steps: 20, cut: 7 },
  { name: "ConstantLR", opt: sgd, make: (o) => new L.ConstantLR(o, { factor: 0.2, totalIters: 8 }), steps: 20, cut: 4 },
  { name: "LinearLR", opt: sgd, make: (o) => new L.LinearLR(o, { startFactor: 0.1, totalIters: 10 }), steps: 20, cut: 4 },
  { name: "PolynomialLR", opt: sgd, make: (o) => new L.PolynomialLR(o, { totalIters: 15, power: 1.5 }), steps: 20, cut: 9 },
  { name: "CosineAnnealingLR", opt: sgd, make: (o) => new L.CosineAnnealingLR(o, { tMax: 6, etaMin: 0.001 }), steps: 30, cut: 8 },
  { name: "CosineAnnealingWarmRestarts", opt: sgd, make: (o) => new L.CosineAnnealingWarmRestarts(o, { t0: 3, tMult: 2 }), steps: 30, cut: 7 },
  { name: "LambdaLR", opt: sgd, make: (o) => new L.LambdaLR(o, { lrLambda: (e) => 1 / Math.sqrt(e + 1) }), steps: 20, cut: 5 },
  { name: "MultiplicativeLR", opt: sgd, make: (o) => new L.MultiplicativeLR(o, { lrLambda: [(e) => 0.9 + 0.001 * e, () => 0.95] }), steps: 20, cut: 5 },
  { name: "CyclicLR (SGD)", opt: sgd, make: (o) => new L.CyclicLR(o, { baseLr: [0.01, 0.001], maxLr: 0.1, stepSizeUp: 3, stepSizeDown: 5, mode: "triangular2" }), steps: 30, cut: 11 },
  { name: "CyclicLR (Adam)", opt: adam, make: (o) => new L.CyclicLR(o, { baseLr: 0.001, maxLr: 0.01, stepSizeUp: 4, mode: "exp_range", gamma: 0.97 }), steps: 30, cut: 6 },
  { name: "OneCycleLR", opt: adam, make: (o) => new L.OneCycleLR(o, { maxLr: [0.01, 0.02], totalSteps: 25, threePhase: true }), steps: 25, cut: 9 },
  {
    name: "SequentialLR",
    opt: sgd,
    make: (o) =>
      new L.SequentialLR(o, {
        schedulers: [new L.LinearLR(o, { startFactor: 0.2, totalIters: 4 }), new L.StepLR(o, { stepSize: 3, gamma: 0.5 }), new L.CosineAnnealingLR(o, { tMax: 10 })],
        milestones: [4, 12],
      }),
    steps: 25,
    cut: 7,
  },
  {
    name: "ChainedScheduler",
    opt: sgd,
    make: (o) => new L.ChainedScheduler([new L.ConstantLR(o, { factor: 0.5, totalIters: 5 }), new L.ExponentialLR(o, { gamma: 0.9 })]),
    steps: 20,
    cut: 8,
  },
];

describe("stateDict / loadStateDict", () => {
  for (const c of cases) {
    it(`${c.name}: saving, loading into a fresh scheduler and continuing equals running straight through`, () => {
      const refOpt = c.opt();
      const ref = c.make(refOpt);
      const expected = [snapshot(refOpt)];
      for (let i = 0; i < c.steps; i++) {
        ref.step();
        expected.push(snapshot(refOpt));
      }

      const firstOpt = c.opt();
      const first = c.make(firstOpt);
      const got = [snapshot(firstOpt)];
      for (let i = 0; i < c.cut; i++) {
        first.step();
        got.push(snapshot(firstOpt));
      }
      // What a checkpoint holds: the scheduler's state (through JSON) and the optimizer's groups.
      const state = JSON.parse(JSON.stringify(first.stateDict())) as never;
      const groups = JSON.parse(JSON.stringify(firstOpt.paramGroups)) as Group[];

      const secondOpt = c.opt();
      const second = c.make(secondOpt);
      second.loadStateDict(state);
      secondOpt.paramGroups.forEach((g, i) => Object.assign(g, groups[i]));
      for (let i = c.cut; i < c.steps; i++) {
        second.step();
        got.push(snapshot(secondOpt));
      }
      expect(got).toEqual(expected);
      expect(second.stateDict()).toEqual(ref.stateDict());
    });
  }

  it("a state from another class, or with wrong lengths or types, is refused and changes nothing", () => {
    const opt = sgd();
    const s = new L.StepLR(opt, { stepSize: 2 });
    s.step();
    const before = s.stateDict();
    const other = new L.ExponentialLR(sgd(), { gamma: 0.5 }).stateDict();
    expect(() => s.loadStateDict(other)).toThrow(/StepLR.loadStateDict: the state was saved by "ExponentialLR", not StepLR/);
    expect(() => s.loadStateDict({ ...before, baseLrs: [0.1] })).toThrow(/baseLrs must be an array of 2 numbers, got an array of length 1/);
    expect(() => s.loadStateDict({ ...before, lastEpoch: "3" as never })).toThrow(/lastEpoch must be a number >= -1, got "3"/);
    expect(() => s.loadStateDict(null as never)).toThrow(/expected a state object, got null/);
    expect(s.stateDict()).toEqual(before);
  });

  it("CosineAnnealingWarmRestarts checks its extra counters", () => {
    const s = new L.CosineAnnealingWarmRestarts(sgd(), { t0: 3 });
    const state = s.stateDict();
    expect(state.extra).toEqual({ tI: 3, tCur: 0 });
    expect(() => s.loadStateDict({ ...state, extra: { tI: 3 } })).toThrow(/extra.tCur must be a number, got undefined/);
  });

  it("SequentialLR loads all sub-schedulers or none", () => {
    const opt = sgd();
    const a = new L.LinearLR(opt, { totalIters: 3 });
    const b = new L.ExponentialLR(opt, { gamma: 0.5 });
    const seq = new L.SequentialLR(opt, { schedulers: [a, b], milestones: [3] });
    for (let i = 0; i < 5; i++) seq.step();
    const before = seq.stateDict();
    const broken = { ...before, schedulers: [before.schedulers[0]!, { ...before.schedulers[1]!, type: "StepLR" }] };
    expect(() => seq.loadStateDict(broken)).toThrow(/ExponentialLR.loadStateDict: the state was saved by "StepLR"/);
    expect(seq.stateDict()).toEqual(before);
  });
});
