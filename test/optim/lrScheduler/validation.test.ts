import { describe, expect, it } from "vitest";
import * as nb from "../../../src/index.js";

const L = nb.optim.lrScheduler;
const sgd = () => ({ paramGroups: [{ lr: 0.1, momentum: 0.9 }] });

// Each construction must throw, naming the class and the offending option, before touching the optimizer.
// A fourth element marks cases whose sub-schedulers are (legitimately) built on the optimizer first.
const cases: [string, (opt: ReturnType<typeof sgd>) => unknown, RegExp, "subs"?][] = [
  ["no optimizer", () => new L.StepLR(undefined as never, { stepSize: 1 }), /StepLR: expected an optimizer with a paramGroups array, got undefined/],
  ["empty groups", () => new L.StepLR({ paramGroups: [] }, { stepSize: 1 }), /StepLR: the optimizer has no param groups/],
  ["group lr NaN", () => new L.StepLR({ paramGroups: [{ lr: NaN }] }, { stepSize: 1 }), /paramGroups\[0\].lr must be finite, got NaN/],
  ["StepLR stepSize 0", (o) => new L.StepLR(o, { stepSize: 0 }), /StepLR: stepSize must be an integer >= 1, got 0/],
  ["StepLR options missing", (o) => new L.StepLR(o, undefined as never), /StepLR: expected an options object/],
  ["MultiStepLR milestones not array", (o) => new L.MultiStepLR(o, { milestones: 5 as never }), /milestones must be an array of epochs, got 5/],
  ["MultiStepLR fractional milestone", (o) => new L.MultiStepLR(o, { milestones: [2.5] }), /milestones\[0\] must be an integer >= 0, got 2.5/],
  ["ExponentialLR negative gamma", (o) => new L.ExponentialLR(o, { gamma: -0.5 }), /ExponentialLR: gamma must be >= 0, got -0.5/],
  ["ConstantLR factor 0", (o) => new L.ConstantLR(o, { factor: 0 }), /ConstantLR: factor must be in \(0, 1\], got 0/],
  ["LinearLR startFactor > 1", (o) => new L.LinearLR(o, { startFactor: 1.5 }), /LinearLR: startFactor must be in \(0, 1\], got 1.5/],
  ["LinearLR totalIters 0", (o) => new L.LinearLR(o, { totalIters: 0 }), /totalIters must be an integer >= 1, got 0/],
  ["PolynomialLR negative power", (o) => new L.PolynomialLR(o, { power: -1 }), /PolynomialLR: power must be >= 0, got -1/],
  ["CosineAnnealingLR tMax 0", (o) => new L.CosineAnnealingLR(o, { tMax: 0 }), /CosineAnnealingLR: tMax must be > 0, got 0/],
  ["CosineAnnealingWarmRestarts tMult 1.5", (o) => new L.CosineAnnealingWarmRestarts(o, { t0: 5, tMult: 1.5 }), /tMult must be an integer >= 1, got 1.5/],
  ["LambdaLR wrong count", (o) => new L.LambdaLR(o, { lrLambda: [() => 1, () => 1] }), /LambdaLR: expected 1 lrLambda functions \(one per param group\), got 2/],
  ["LambdaLR not a function", (o) => new L.LambdaLR(o, { lrLambda: 0.5 as never }), /LambdaLR: lrLambda must be a function of the epoch, got 0.5/],
  ["CyclicLR maxLr list length", (o) => new L.CyclicLR(o, { baseLr: 0.01, maxLr: [0.1, 0.2] }), /CyclicLR: expected 1 values for maxLr \(one per param group\), got 2/],
  ["CyclicLR mode", (o) => new L.CyclicLR(o, { baseLr: 0.01, maxLr: 0.1, mode: "up" as never }), /CyclicLR: mode must be one of "triangular", "triangular2", "exp_range", got "up"/],
  [
    "CyclicLR momentum without momentum",
    () => new L.CyclicLR({ paramGroups: [{ lr: 0.1 }] }, { baseLr: 0.01, maxLr: 0.1 }),
    /CyclicLR: cycleMomentum needs param groups that all have a momentum or all have betas/,
  ],
  ["OneCycleLR no length", (o) => new L.OneCycleLR(o, { maxLr: 0.1 }), /OneCycleLR: give totalSteps, or both epochs and stepsPerEpoch/],
  ["OneCycleLR pctStart", (o) => new L.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, pctStart: 1.2 }), /OneCycleLR: pctStart must be in \[0, 1\], got 1.2/],
  ["OneCycleLR empty phase", (o) => new L.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, pctStart: 0.1 }), /leaves phase 1 empty/],
  ["OneCycleLR anneal", (o) => new L.OneCycleLR(o, { maxLr: 0.1, totalSteps: 10, annealStrategy: "cosine" as never }), /annealStrategy must be one of "cos", "linear", got "cosine"/],
  ["SequentialLR milestone count", (o) => new L.SequentialLR(o, { schedulers: [new L.ExponentialLR(o, { gamma: 0.5 })], milestones: [3] }), /SequentialLR: expected 0 milestones for 1 schedulers, got 1/, "subs"],
  [
    "SequentialLR other optimizer",
    (o) => new L.SequentialLR(o, { schedulers: [new L.ExponentialLR(sgd(), { gamma: 0.5 })], milestones: [] }),
    /SequentialLR: schedulers\[0\] drives a different optimizer than the one given/,
  ],
  ["ChainedScheduler empty", () => new L.ChainedScheduler([]), /ChainedScheduler: schedulers must be a non-empty array/],
  ["ReduceLROnPlateau factor 1", (o) => new L.ReduceLROnPlateau(o, { factor: 1 }), /ReduceLROnPlateau: factor must be in \[0, 1\), got 1/],
  ["ReduceLROnPlateau mode", (o) => new L.ReduceLROnPlateau(o, { mode: "avg" as never }), /mode must be one of "min", "max", got "avg"/],
  ["ReduceLROnPlateau thresholdMode", (o) => new L.ReduceLROnPlateau(o, { thresholdMode: "pct" as never }), /thresholdMode must be one of "rel", "abs"/],
  ["ReduceLROnPlateau minLr list", (o) => new L.ReduceLROnPlateau(o, { minLr: [0, 0] }), /expected 1 values for minLr/],
  ["ReduceLROnPlateau patience", (o) => new L.ReduceLROnPlateau(o, { patience: -1 }), /patience must be an integer >= 0, got -1/],
  ["lastEpoch -2", (o) => new L.ExponentialLR(o, { gamma: 0.5, lastEpoch: -2 }), /ExponentialLR: lastEpoch must be an integer >= -1, got -2/],
];

describe("scheduler validation", () => {
  for (const [name, make, message, subs] of cases) {
    it(name, () => {
      const opt = sgd();
      expect(() => make(opt)).toThrow(message);
      expect(opt).toEqual(subs ? { paramGroups: [{ ...sgd().paramGroups[0], initialLr: 0.1 }] } : sgd());
    });
  }

  it("step(epoch) refuses a negative epoch", () => {
    const s = new L.StepLR(sgd(), { stepSize: 2 });
    expect(() => s.step(-1)).toThrow(/StepLR.step: epoch must be a finite number >= 0, got -1/);
    expect(s.lastEpoch).toBe(0);
  });
});
