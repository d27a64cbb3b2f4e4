import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as nb from "../../src/index.js";

const S = nb.schedules;

describe("cosineDecay", () => {
  it("follows the half cosine from initValue to alpha*initValue, then holds", () => {
    const s = S.cosineDecay({ initValue: 2, decaySteps: 10, alpha: 0.1 });
    expect(s(0)).toBe(2);
    expect(s(5)).toBeCloseTo(2 * (0.9 * 0.5 + 0.1), 15);
    expect(s(10)).toBeCloseTo(0.2, 15);
    expect(s(20)).toBeCloseTo(0.2, 15);
  });

  it("raises the cosine factor to exponent", () => {
    expect(S.cosineDecay({ initValue: 2, decaySteps: 10, alpha: 0.1, exponent: 2 })(5)).toBeCloseTo(2 * (0.9 * 0.25 + 0.1), 15);
  });

  it("is non-increasing for a positive init and alpha < 1 (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0, max: 0.99, noNaN: true }), fc.integer({ min: 1, max: 100 }), fc.double({ min: 0.5, max: 3, noNaN: true }), (alpha, steps, exponent) => {
        const s = S.cosineDecay({ initValue: 1, decaySteps: steps, alpha, exponent });
        for (let t = 1; t <= steps + 5; t++) expect(s(t)).toBeLessThanOrEqual(s(t - 1) + 1e-15);
        expect(s(steps)).toBeCloseTo(alpha, 12);
      }),
      { numRuns: 50 },
    );
  });
});

describe("warmupCosineDecay", () => {
  it("the DESIGN.md example: 100 warmup steps to 1e-3, cosine to 0 at 10000", () => {
    const s = S.warmupCosineDecay({ peakValue: 1e-3, warmupSteps: 100, decaySteps: 10_000 });
    expect(s(0)).toBe(0);
    expect(s(50)).toBeCloseTo(5e-4, 18);
    expect(s(100)).toBe(1e-3);
    // midway through the cosine part (9900 steps long)
    expect(s(100 + 4950)).toBeCloseTo(5e-4, 15);
    expect(s(10_000)).toBeCloseTo(0, 18);
    expect(s(20_000)).toBeCloseTo(0, 18);
  });

  it("rises during the warmup and falls after it, ending at endValue", () => {
    const s = S.warmupCosineDecay({ initValue: 1e-4, peakValue: 1, warmupSteps: 20, decaySteps: 120, endValue: 0.01 });
    for (let t = 1; t <= 20; t++) expect(s(t)).toBeGreaterThan(s(t - 1));
    for (let t = 21; t <= 120; t++) expect(s(t)).toBeLessThan(s(t - 1));
    expect(s(120)).toBeCloseTo(0.01, 14);
    expect(s(0)).toBeCloseTo(1e-4, 15); // optax's (I - E) * 1 + E, not exactly I
  });

  it("warmupSteps 0 starts at the peak", () => {
    expect(S.warmupCosineDecay({ peakValue: 2, warmupSteps: 0, decaySteps: 10 })(0)).toBe(2);
  });
});

describe("warmupExponentialDecay", () => {
  it("warms up linearly then decays from the peak with its count restarted", () => {
    const s = S.warmupExponentialDecay({ peakValue: 1, warmupSteps: 10, transitionSteps: 10, decayRate: 0.5 });
    expect(s(5)).toBe(0.5);
    expect(s(10)).toBe(1);
    expect(s(20)).toBe(0.5);
    expect(s(30)).toBe(0.25);
  });
});

describe("sgdr", () => {
  it("joins warmup-cosine cycles, each restarting at the previous cycle's end", () => {
    const s = S.sgdr([
      { initValue: 0, peakValue: 1, warmupSteps: 0, decaySteps: 10 },
      { initValue: 0, peakValue: 0.5, warmupSteps: 2, decaySteps: 10 },
    ]);
    expect(s(0)).toBe(1);
    expect(s(5)).toBeCloseTo(0.5, 15);
    expect(s(10)).toBe(0);
    expect(s(11)).toBeCloseTo(0.25, 15);
    expect(s(12)).toBe(0.5);
    expect(s(20)).toBeCloseTo(0, 15);
    expect(s(50)).toBeCloseTo(0, 15);
  });
});

describe("cosineDecayRestarts", () => {
  it("restarts at the end of each cycle, cycles growing by tMul", () => {
    const s = S.cosineDecayRestarts({ initValue: 1, firstDecaySteps: 10, tMul: 2 });
    expect(s(0)).toBe(1);
    expect(s(5)).toBeCloseTo(0.5, 15);
    expect(s(10)).toBe(1);
    expect(s(20)).toBeCloseTo(0.5, 15);
    expect(s(30)).toBe(1);
    expect(s(70)).toBe(1);
  });

  it("lowers each restart by mMul and floors at alpha*initValue", () => {
    const s = S.cosineDecayRestarts({ initValue: 1, firstDecaySteps: 10, tMul: 1, mMul: 0.5, alpha: 0.2 });
    expect(s(10)).toBeCloseTo(0.8 * 0.5 + 0.2, 15);
    expect(s(20)).toBeCloseTo(0.8 * 0.25 + 0.2, 15);
  });

  it("equals CosineAnnealingWarmRestarts for mMul = 1, alpha = etaMin/base", () => {
    for (const tMult of [1, 2, 3]) {
      const opt = { paramGroups: [{ lr: 0.2 }] };
      const sched = new nb.optim.lrScheduler.CosineAnnealingWarmRestarts(opt, { t0: 3, tMult, etaMin: 0.01 });
      const s = S.cosineDecayRestarts({ initValue: 0.2, firstDecaySteps: 3, tMul: tMult, alpha: 0.01 / 0.2 });
      for (let e = 0; e < 150; e++) {
        if (e > 0) sched.step();
        expect(s(e)).toBeCloseTo(opt.paramGroups[0]!.lr, 14);
      }
    }
  });
});
