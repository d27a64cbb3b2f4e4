import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const S = nb.schedules;

describe("piecewiseInterpolate", () => {
  it("matches optax's documented linear example", () => {
    const s = S.piecewiseInterpolate({ interpolateType: "linear", initValue: 1, boundariesAndScales: { 4: 0.1, 8: 0.01 } });
    const got = [0, 2, 4, 6, 8, 10].map(s);
    const want = [1, 0.55, 0.1, 0.0505, 0.001, 0.001];
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 15));
  });

  it("cosine interpolation passes the midpoint and starts flat", () => {
    const s = S.piecewiseInterpolate({ interpolateType: "cosine", initValue: 1, boundariesAndScales: { 10: 0 } });
    expect(s(0)).toBe(1);
    expect(s(5)).toBeCloseTo(0.5, 15);
    expect(s(1)).toBeGreaterThan(0.97);
    expect(s(10)).toBe(0);
  });
});

describe("oneCycle", () => {
  it("two cosine phases: peak/div -> peak at pctStart*T -> peak/(div*finalDiv) at T", () => {
    const s = S.oneCycle({ transitionSteps: 100, peakValue: 1 });
    expect(s(0)).toBeCloseTo(0.04, 15);
    expect(s(15)).toBeCloseTo(0.52, 14);
    expect(s(10)).toBeCloseTo(1 - 0.48 * 1.5, 14);
    expect(s(30)).toBe(1);
    expect(s(65)).toBeCloseTo(4e-6 + (1 - 4e-6) / 2, 14);
    expect(s(100)).toBeCloseTo(4e-6, 18);
    expect(s(200)).toBeCloseTo(4e-6, 18);
  });

  it("linearOnecycle: three linear phases, back to peak/div at pctFinal*T", () => {
    const s = S.linearOnecycle({ transitionSteps: 100, peakValue: 1 });
    expect(s(10)).toBeCloseTo(0.04 + 0.96 / 3, 14);
    expect(s(30)).toBe(1);
    expect(s(85)).toBeCloseTo(0.04, 15);
    expect(s(100)).toBeCloseTo(4e-6, 18);
  });

  it("cosineOnecycle is oneCycle's default", () => {
    const a = S.cosineOnecycle({ transitionSteps: 50, peakValue: 0.3, divFactor: 10 });
    const b = S.oneCycle({ transitionSteps: 50, peakValue: 0.3, divFactor: 10 });
    for (let t = 0; t < 60; t++) expect(a(t)).toBe(b(t));
  });
});

describe("cyclic", () => {
  it("triangular goes base -> max -> base", () => {
    const s = S.cyclic({ baseValue: 0.1, maxValue: 1, stepSizeUp: 10 });
    expect(s(0)).toBeCloseTo(0.1, 15);
    expect(s(5)).toBeCloseTo(0.55, 15);
    expect(s(10)).toBeCloseTo(1, 15);
    expect(s(15)).toBeCloseTo(0.55, 15);
    expect(s(20)).toBeCloseTo(0.1, 15);
  });

  it("triangular2 halves the amplitude each cycle; exp_range scales by gamma^t", () => {
    expect(S.cyclic({ baseValue: 0.1, maxValue: 1, stepSizeUp: 10, mode: "triangular2" })(30)).toBeCloseTo(0.55, 15);
    expect(S.cyclic({ baseValue: 0.1, maxValue: 1, stepSizeUp: 10, mode: "exp_range", gamma: 0.9 })(10)).toBeCloseTo(0.1 + 0.9 * 0.9 ** 10, 15);
  });

  it("an uneven cycle rises over stepSizeUp and falls over stepSizeDown", () => {
    const s = S.cyclic({ baseValue: 0, maxValue: 1, stepSizeUp: 2, stepSizeDown: 4 });
    expect([0, 1, 2, 3, 4, 5, 6].map((t) => Number(s(t).toFixed(12)))).toEqual([0, 0.5, 1, 0.75, 0.5, 0.25, 0]);
  });

  it("equals CyclicLR's lrs", () => {
    const opt = { paramGroups: [{ lr: 0, momentum: 0.9 }] };
    const sched = new nb.optim.lrScheduler.CyclicLR(opt, { baseLr: 0.01, maxLr: 0.1, stepSizeUp: 4, stepSizeDown: 6, mode: "triangular2" });
    const s = S.cyclic({ baseValue: 0.01, maxValue: 0.1, stepSizeUp: 4, stepSizeDown: 6, mode: "triangular2" });
    for (let e = 0; e < 60; e++) {
      if (e > 0) sched.step();
      expect(s(e)).toBe(opt.paramGroups[0]!.lr);
    }
  });
});

describe("inverseSqrt", () => {
  it("warms up linearly, then decays as 1/sqrt(t)", () => {
    const s = S.inverseSqrt({ peakValue: 1, warmupSteps: 100 });
    expect(s(0)).toBe(0);
    expect(s(50)).toBe(0.5);
    expect(s(100)).toBe(1);
    expect(s(400)).toBe(0.5);
  });

  it("is the Transformer paper's dModel^-0.5 * min(t^-0.5, t * warmup^-1.5)", () => {
    const dModel = 512;
    const warmup = 4000;
    const s = S.inverseSqrt({ peakValue: dModel ** -0.5 * warmup ** -0.5, warmupSteps: warmup });
    for (const t of [1, 10, 1000, 3999, 4000, 4001, 10_000, 100_000]) {
      expect(s(t)).toBeCloseTo(dModel ** -0.5 * Math.min(t ** -0.5, t * warmup ** -1.5), 15);
    }
  });
});

describe("linearWarmup", () => {
  it("warms up to peakValue and holds it", () => {
    const s = S.linearWarmup({ warmupSteps: 10, peakValue: 1 });
    expect([s(0), s(5), s(10), s(100)]).toEqual([0, 0.5, 1, 1]);
  });

  it("hands over to `after`, evaluated from 0 at the end of the warmup", () => {
    const s = S.linearWarmup({ warmupSteps: 10, initValue: 0.5, after: S.cosineDecay({ initValue: 1, decaySteps: 10 }) });
    expect(s(0)).toBe(0.5);
    expect(s(5)).toBe(0.75);
    expect(s(10)).toBe(1);
    expect(s(15)).toBeCloseTo(0.5, 15);
  });
});

describe("consistency with the stateful schedulers", () => {
  it("stepDecay equals StepLR and piecewiseConstant equals MultiStepLR", () => {
    const o1 = { paramGroups: [{ lr: 0.3 }] };
    const o2 = { paramGroups: [{ lr: 0.3 }] };
    const step = new nb.optim.lrScheduler.StepLR(o1, { stepSize: 7, gamma: 0.5 });
    const multi = new nb.optim.lrScheduler.MultiStepLR(o2, { milestones: [5, 12, 12], gamma: 0.5 });
    const s1 = S.stepDecay({ initValue: 0.3, stepSize: 7, gamma: 0.5 });
    const s2 = S.piecewiseConstant({ initValue: 0.3, boundariesAndScales: { 5: 0.5, 12: 0.25 } });
    for (let e = 0; e < 40; e++) {
      if (e > 0) {
        step.step();
        multi.step();
      }
      expect(s1(e)).toBeCloseTo(o1.paramGroups[0]!.lr, 16);
      expect(s2(e)).toBeCloseTo(o2.paramGroups[0]!.lr, 16);
    }
  });
});
