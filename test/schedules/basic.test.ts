import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as nb from "../../src/index.js";

const S = nb.schedules;

describe("constant", () => {
  it("returns the value at every step, given as a number or { value }", () => {
    expect(S.constant(3)(0)).toBe(3);
    expect(S.constant(3)(1e6)).toBe(3);
    expect(S.constant({ value: 0.5 })(7)).toBe(0.5);
  });
});

describe("linear", () => {
  it("interpolates from initValue to endValue and holds the ends", () => {
    const s = S.linear({ initValue: 1, endValue: 0, transitionSteps: 10 });
    expect(s(-3)).toBe(1);
    expect(s(0)).toBe(1);
    expect(s(5)).toBeCloseTo(0.5, 15);
    expect(s(10)).toBe(0);
    expect(s(20)).toBe(0);
  });

  it("holds initValue for transitionBegin steps", () => {
    const s = S.linear({ initValue: 1, endValue: 0, transitionSteps: 10, transitionBegin: 5 });
    expect(s(5)).toBe(1);
    expect(s(10)).toBeCloseTo(0.5, 15);
    expect(s(15)).toBe(0);
  });

  it("with transitionSteps 0 holds initValue (optax)", () => {
    const s = S.linear({ initValue: 2, endValue: 0, transitionSteps: 0 });
    expect([s(0), s(10)]).toEqual([2, 2]);
  });
});

describe("polynomial", () => {
  it("matches optax's documented values", () => {
    // optax docstring: init 1, end 0.01, 100 steps, power 2, begin 5.
    const s = S.polynomial({ initValue: 1, endValue: 0.01, power: 2, transitionSteps: 100, transitionBegin: 5 });
    expect(s(0)).toBe(1);
    expect(s(5)).toBe(1);
    expect(s(6)).toBeCloseTo(0.99 * 0.99 ** 2 + 0.01, 14);
    expect(s(104)).toBeCloseTo(0.99 * 0.01 ** 2 + 0.01, 14);
    expect(s(105)).toBeCloseTo(0.01, 15);
    expect(s(110)).toBeCloseTo(0.01, 15);
  });

  it("is monotone between initValue and endValue (property)", () => {
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: 0.1, max: 5, noNaN: true }),
        fc.integer({ min: 1, max: 200 }),
        (init, end, power, steps) => {
          const s = S.polynomial({ initValue: init, endValue: end, power, transitionSteps: steps });
          const lo = Math.min(init, end) - 1e-9;
          const hi = Math.max(init, end) + 1e-9;
          let prev = s(0);
          for (let t = 1; t <= steps + 2; t++) {
            const v = s(t);
            expect(v).toBeGreaterThanOrEqual(lo);
            expect(v).toBeLessThanOrEqual(hi);
            // moves toward end: never back toward init
            if (end <= init) expect(v).toBeLessThanOrEqual(prev + 1e-12);
            else expect(v).toBeGreaterThanOrEqual(prev - 1e-12);
            prev = v;
          }
        },
      ),
      { numRuns: 50 },
    );
  });
});

describe("exponentialDecay", () => {
  it("decays continuously by decayRate per transitionSteps", () => {
    const s = S.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0.5 });
    expect(s(0)).toBe(1);
    expect(s(5)).toBeCloseTo(Math.SQRT1_2, 15);
    expect(s(10)).toBe(0.5);
    expect(s(20)).toBe(0.25);
  });

  it("staircase decays in whole steps; transitionBegin delays", () => {
    const s = S.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0.5, staircase: true, transitionBegin: 5 });
    expect(s(5)).toBe(1);
    expect(s(14)).toBe(1);
    expect(s(15)).toBe(0.5);
    expect(s(34)).toBe(0.5 ** 2);
  });

  it("endValue is a floor when decaying and a ceiling when growing", () => {
    expect(S.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 0.5, endValue: 0.3 })(20)).toBe(0.3);
    expect(S.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 2, endValue: 3 })(20)).toBe(3);
    expect(S.exponentialDecay({ initValue: 1, transitionSteps: 10, decayRate: 2, endValue: 3 })(10)).toBe(2);
  });

  it("is non-increasing for decayRate < 1 (property)", () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.999, noNaN: true }), fc.integer({ min: 1, max: 50 }), fc.boolean(), (rate, steps, staircase) => {
        const s = S.exponentialDecay({ initValue: 1, transitionSteps: steps, decayRate: rate, staircase });
        for (let t = 1; t < 200; t++) expect(s(t)).toBeLessThanOrEqual(s(t - 1));
      }),
      { numRuns: 50 },
    );
  });
});

describe("stepDecay and piecewiseConstant", () => {
  it("stepDecay multiplies by gamma every stepSize steps", () => {
    const s = S.stepDecay({ initValue: 1, stepSize: 3, gamma: 0.1 });
    expect([s(0), s(2), s(3), s(5)]).toEqual([1, 1, 0.1, 0.1]);
    expect(s(6)).toBeCloseTo(0.01, 17);
  });

  it("piecewiseConstant matches optax's documented values", () => {
    const s = S.piecewiseConstant({ initValue: 1, boundariesAndScales: { 100: 0.1, 200: 0.01 } });
    expect(s(50)).toBe(1);
    expect(s(100)).toBe(0.1);
    expect(s(150)).toBe(0.1);
    expect(s(250)).toBeCloseTo(0.001, 17);
  });

  it("piecewiseConstant accepts unsorted [step, scale] pairs", () => {
    const s = S.piecewiseConstant({ initValue: 2, boundariesAndScales: [[20, 0.5], [10, 0.5]] });
    expect([s(9), s(10), s(20)]).toEqual([2, 1, 0.5]);
  });
});

describe("join", () => {
  it("switches at each boundary and restarts the next schedule's count there", () => {
    const s = S.join([S.constant(1), S.linear({ initValue: 1, endValue: 0, transitionSteps: 10 }), S.constant(7)], [10, 30]);
    expect(s(9)).toBe(1);
    expect(s(10)).toBe(1);
    expect(s(15)).toBeCloseTo(0.5, 15);
    expect(s(29)).toBe(0);
    expect(s(30)).toBe(7);
  });

  it("with equal boundaries the later schedule wins, as optax", () => {
    const s = S.join([S.constant(1), S.constant(2), S.constant(3)], [5, 5]);
    expect([s(4), s(5)]).toEqual([1, 3]);
  });
});

describe("asSchedule", () => {
  it("wraps numbers and passes functions through", () => {
    const f = (t: number) => t * 2;
    expect(S.asSchedule(f)).toBe(f);
    expect(S.asSchedule(0.1)(99)).toBe(0.1);
    expect(() => S.asSchedule(NaN)).toThrow(/asSchedule/);
  });
});
