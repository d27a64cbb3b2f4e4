import { describe, expect, it } from "vitest";
import { parseScheduleSpec, SCHEDULE_NAMES, SCHEDULE_SPEC_HELP } from "../../src/cli/scheduleSpec.js";

const ctx = { peakLr: 1, totalSteps: 100 };
const at = (spec: string, steps: number[], c: { peakLr: number; totalSteps: number; stepsPerEpoch?: number } = ctx) => {
  const s = parseScheduleSpec(spec, c);
  return steps.map((t) => s(t));
};

describe("parseScheduleSpec", () => {
  it("constant, linear and polynomial decay over the run", () => {
    expect(at("constant", [0, 50, 1000], { peakLr: 0.1, totalSteps: 100 })).toEqual([0.1, 0.1, 0.1]);
    expect(at("linear", [0, 25, 100, 200])).toEqual([1, 0.75, 0, 0]);
    // END = 0.2: 1 -> 0.2 linearly, halfway 0.6.
    expect(at("linear:0.2", [50])[0]).toBeCloseTo(0.6, 12);
    // (1 - t/T)^2 at t = T/2 is 1/4.
    expect(at("poly:2", [50])[0]).toBeCloseTo(0.25, 12);
  });

  it("cosine decay: 0.5 (1 + cos(pi t / T)), floored at ALPHA", () => {
    const [a, b, c] = at("cosine", [0, 25, 100]);
    expect(a).toBeCloseTo(1, 12);
    expect(b).toBeCloseTo(0.5 * (1 + Math.cos(Math.PI / 4)), 12);
    expect(c).toBeCloseTo(0, 12);
    // alpha 0.1: 0.1 + 0.9 * 0.5 at the middle.
    expect(at("cosine:0.1", [50], { peakLr: 2, totalSteps: 100 })[0]).toBeCloseTo(2 * (0.1 + 0.9 * 0.5), 12);
  });

  it("warmup-cosine: linear 0 -> peak over W, then cosine to 0 at the end of the run", () => {
    const [s0, s2, s5, s10, s15] = at("warmup-cosine:5", [0, 2, 5, 10, 15], { peakLr: 0.4, totalSteps: 15 });
    expect(s0).toBe(0);
    expect(s2).toBeCloseTo(0.4 * (2 / 5), 12);
    expect(s5).toBeCloseTo(0.4, 12);
    // Halfway through the 10 cosine steps: cos(pi/2) = 0, so half the peak.
    expect(s10).toBeCloseTo(0.2, 12);
    expect(s15).toBeCloseTo(0, 12);
  });

  it("warmup then constant; inverse square root after a warmup", () => {
    expect(at("warmup:4", [0, 2, 4, 50])).toEqual([0, 0.5, 1, 1]);
    const [a, b, c] = at("inverse-sqrt:4", [2, 4, 16]);
    expect(a).toBeCloseTo(0.5, 12);
    expect(b).toBeCloseTo(1, 12);
    expect(c).toBeCloseTo(Math.sqrt(4 / 16), 12);
  });

  it("step and exponential decay (StepLR and a smooth exponential)", () => {
    expect(at("step:30:0.1", [0, 29, 30, 59, 60]).map((v) => Number(v.toPrecision(12)))).toEqual([1, 1, 0.1, 0.1, 0.01]);
    expect(at("exponential:0.5", [0, 1, 2, 3])).toEqual([1, 0.5, 0.25, 0.125]);
    // Every 10 steps: halfway through the first period is 0.5^0.5.
    expect(at("exponential:0.5:10", [5])[0]).toBeCloseTo(Math.SQRT1_2, 12);
  });

  it("one-cycle: peak/DIV up to peak at PCT of the run, down to peak/(DIV*FINAL)", () => {
    const [s0, s30, s100] = at("onecycle", [0, 30, 100], { peakLr: 0.5, totalSteps: 100 });
    expect(s0).toBeCloseTo(0.5 / 25, 12);
    expect(s30).toBeCloseTo(0.5, 12);
    expect(s100).toBeCloseTo(0.5 / 25 / 1e4, 15);
    const [t0, t50] = at("onecycle:0.5:10:100", [0, 50], { peakLr: 1, totalSteps: 100 });
    expect(t0).toBeCloseTo(0.1, 12);
    expect(t50).toBeCloseTo(1, 12);
  });

  it("restarts (SGDR) and cyclic triangles", () => {
    const [a, b, c] = at("restarts:10", [5, 10, 15]);
    expect(a).toBeCloseTo(0.5, 12);
    expect(b).toBeCloseTo(1, 12);
    expect(c).toBeCloseTo(0.5, 12);
    // MULT 2: the second cycle is 20 steps, its middle at step 20.
    expect(at("restarts:10:2", [20])[0]).toBeCloseTo(0.5, 12);
    const [d0, d2, d5, d10] = at("cyclic:5", [0, 2, 5, 10]);
    expect(d0).toBeCloseTo(0.1, 12);
    expect(d2).toBeCloseTo(0.1 + 0.9 * (2 / 5), 12);
    expect(d5).toBeCloseTo(1, 12);
    expect(d10).toBeCloseTo(0.1, 12);
  });

  it("reads durations as steps, percentages of the run, or epochs", () => {
    const c = { peakLr: 1, totalSteps: 200, stepsPerEpoch: 7 };
    // 10% of 200 = 20 steps of warmup: half the peak at step 10.
    expect(at("warmup:10%", [10], c)[0]).toBeCloseTo(0.5, 12);
    // 2 epochs of 7 steps = 14.
    expect(at("step:2e:0.5", [13, 14], c)).toEqual([1, 0.5]);
    expect(() => parseScheduleSpec("step:2e:0.5", ctx)).toThrow(/epochs.*steps per epoch are not known/);
  });

  it("rejects bad specs with a message naming the spec and the part that is wrong", () => {
    const cases: [string, RegExp][] = [
      ["bogus", /unknown schedule "bogus" \(expected one of constant, /],
      ["step:30", /schedule "step:30": step needs GAMMA as argument 2/],
      ["step:x:0.1", /S \(steps between drops\) must be a number of steps/],
      ["step:30:-1", /GAMMA must be > 0, got -1/],
      ["cosine:2", /ALPHA must be <= 1, got 2/],
      ["constant:3", /constant takes at most 0 arguments/],
      ["warmup-cosine:100", /the warmup \(100 steps\) must be shorter than the run \(100 steps\)/],
      ["warmup:1.5", /whole number of steps/],
      ["warmup:0", /at least one step/],
      ["exponential:0", /RATE must be > 0/],
    ];
    for (const [spec, message] of cases) {
      expect(() => parseScheduleSpec(spec, ctx), spec).toThrow(message);
      expect(() => parseScheduleSpec(spec, ctx), spec).toThrow(`schedule "${spec}"`);
    }
    expect(() => parseScheduleSpec("constant", { peakLr: 0, totalSteps: 10 })).toThrow(/peakLr/);
    expect(() => parseScheduleSpec("constant", { peakLr: 1, totalSteps: 0 })).toThrow(/totalSteps/);
  });

  it("documents every schedule it knows in the help text", () => {
    for (const name of SCHEDULE_NAMES) expect(SCHEDULE_SPEC_HELP).toMatch(new RegExp(`^  ${name}\\b`, "m"));
  });
});
