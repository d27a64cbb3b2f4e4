import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const S = nb.schedules;

// Each construction must throw, naming the function and the offending option.
const cases: [string, () => unknown, RegExp][] = [
  ["constant NaN", () => S.constant(NaN), /constant: value must be finite, got NaN/],
  ["linear without options", () => S.linear(undefined as never), /linear: expected an options object/],
  ["linear negative steps", () => S.linear({ initValue: 1, endValue: 0, transitionSteps: -1 }), /linear|polynomial.*transitionSteps must be >= 0, got -1/],
  ["polynomial power 0", () => S.polynomial({ initValue: 1, endValue: 0, power: 0, transitionSteps: 5 }), /polynomial: power must be > 0, got 0/],
  ["polynomial string init", () => S.polynomial({ initValue: "1" as never, endValue: 0, power: 1, transitionSteps: 5 }), /initValue must be a number, got "1"/],
  ["exponentialDecay zero steps", () => S.exponentialDecay({ initValue: 1, transitionSteps: 0, decayRate: 0.5 }), /exponentialDecay: transitionSteps must be > 0, got 0/],
  ["exponentialDecay zero rate", () => S.exponentialDecay({ initValue: 1, transitionSteps: 5, decayRate: 0 }), /decayRate must be > 0, got 0/],
  ["exponentialDecay staircase type", () => S.exponentialDecay({ initValue: 1, transitionSteps: 5, decayRate: 0.5, staircase: 1 as never }), /staircase must be a boolean/],
  ["stepDecay negative gamma", () => S.stepDecay({ initValue: 1, stepSize: 2, gamma: -1 }), /stepDecay: gamma must be >= 0, got -1/],
  ["piecewiseConstant negative scale", () => S.piecewiseConstant({ initValue: 1, boundariesAndScales: { 10: -0.5 } }), /scale at boundary 10 must be >= 0, got -0.5/],
  ["cosineDecay zero steps", () => S.cosineDecay({ initValue: 1, decaySteps: 0 }), /cosineDecay: decaySteps must be > 0, got 0/],
  ["cosineDecay infinite alpha", () => S.cosineDecay({ initValue: 1, decaySteps: 5, alpha: Infinity }), /alpha must be finite, got Infinity/],
  ["warmupCosineDecay decay <= warmup", () => S.warmupCosineDecay({ peakValue: 1, warmupSteps: 10, decaySteps: 10 }), /decaySteps \(10\) must be greater than warmupSteps \(10\)/],
  ["warmupCosineDecay no peak", () => S.warmupCosineDecay({ warmupSteps: 1, decaySteps: 10 } as never), /peakValue must be a number, got undefined/],
  ["sgdr empty", () => S.sgdr([]), /sgdr: expected a non-empty array/],
  ["sgdr bad cycle", () => S.sgdr([{ peakValue: 1, warmupSteps: 5, decaySteps: 2 }]), /sgdr: cycle 0: warmupCosineDecay: decaySteps/],
  ["cosineDecayRestarts tMul < 1", () => S.cosineDecayRestarts({ initValue: 1, firstDecaySteps: 5, tMul: 0.5 }), /tMul must be >= 1, got 0.5/],
  ["piecewiseInterpolate bad type", () => S.piecewiseInterpolate({ interpolateType: "cubic" as never, initValue: 1 }), /interpolateType must be one of "linear", "cosine", got "cubic"/],
  ["oneCycle pctStart > 1", () => S.oneCycle({ transitionSteps: 10, peakValue: 1, pctStart: 1.5 }), /oneCycle: pctStart must be in \[0, 1\], got 1.5/],
  ["oneCycle pctFinal < pctStart", () => S.oneCycle({ transitionSteps: 10, peakValue: 1, pctStart: 0.5, pctFinal: 0.3 }), /pctFinal must be in \[0.5, 1\], got 0.3/],
  ["cyclic bad mode", () => S.cyclic({ baseValue: 0, maxValue: 1, mode: "sine" as never }), /cyclic: mode must be one of/],
  ["cyclic zero step size", () => S.cyclic({ baseValue: 0, maxValue: 1, stepSizeUp: 0 }), /stepSizeUp must be > 0, got 0/],
  ["inverseSqrt zero warmup", () => S.inverseSqrt({ peakValue: 1, warmupSteps: 0 }), /inverseSqrt: warmupSteps must be > 0, got 0/],
  ["linearWarmup without target", () => S.linearWarmup({ warmupSteps: 5 }), /linearWarmup: give peakValue, after, or both/],
  ["join count mismatch", () => S.join([S.constant(1), S.constant(2)], []), /join: expected 1 boundaries for 2 schedules, got 0/],
  ["join decreasing", () => S.join([S.constant(1), S.constant(2), S.constant(3)], [5, 2]), /boundaries must be non-decreasing, got 5 then 2/],
  ["join non-function", () => S.join([S.constant(1), 2 as never], [3]), /schedules\[1\] must be a function, got 2/],
];

describe("schedule validation", () => {
  for (const [name, make, message] of cases) {
    it(name, () => {
      expect(make).toThrow(message);
    });
  }
});
