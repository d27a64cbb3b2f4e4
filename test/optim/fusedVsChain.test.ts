// Each optimizer's fused kernel against the chain of transformations it is
// built from, on random data, for every option set: same parameters and same
// state after every step, in float64 (to rounding) and float32.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { CASES, copyParams, expectStateClose, randomGradients, randomParams, relDiff, setGradients } from "./helpers.js";

const STEPS = 12;
const TOL = { float64: 1e-12, float32: 2e-6 };

describe("fused kernel == chain of transformations", () => {
  for (const { label, make, config } of CASES) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`${label} [${dtype}]`, () => {
        const a = randomParams(1, dtype);
        const b = copyParams(a);
        const grads = randomGradients(2, STEPS, dtype);
        const fused = make(a, config);
        const reference = make(b, config);
        reference.fused = false;
        for (let k = 0; k < STEPS; k++) {
          setGradients(a, grads, k);
          setGradients(b, grads, k);
          fused.step();
          reference.step();
          a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThanOrEqual(TOL[dtype]));
        }
        // Both moved, and moved the same way.
        expect(relDiff(a[0].data, randomParams(1, dtype)[0].data)).toBeGreaterThan(1e-4);
        a.forEach((p, i) => expectStateClose(fused.state.get(p), reference.state.get(b[i]), TOL[dtype], `state[${i}]`));
      });
    }
  }
});

describe("aliases == optimizer classes (through fromTransform)", () => {
  const pairs: { name: string; alias: () => nb.optim.GradientTransformation; cls: (p: nb.Tensor[]) => { step(): unknown } }[] = [
    {
      name: "sgd",
      alias: () => nb.optim.sgd(0.05, { momentum: 0.9, dampening: 0.2, weightDecay: 0.01 }),
      cls: (p) => new nb.optim.SGD(p, { lr: 0.05, momentum: 0.9, dampening: 0.2, weightDecay: 0.01 }),
    },
    {
      name: "sgd nesterov",
      alias: () => nb.optim.sgd(0.05, { momentum: 0.9, nesterov: true }),
      cls: (p) => new nb.optim.SGD(p, { lr: 0.05, momentum: 0.9, nesterov: true }),
    },
    { name: "adam", alias: () => nb.optim.adam(0.01, { amsgrad: true }), cls: (p) => new nb.optim.Adam(p, { lr: 0.01, amsgrad: true }) },
    { name: "adamw", alias: () => nb.optim.adamw(0.01, { weightDecay: 0.2 }), cls: (p) => new nb.optim.AdamW(p, { lr: 0.01, weightDecay: 0.2 }) },
    { name: "adamax", alias: () => nb.optim.adamax(0.01), cls: (p) => new nb.optim.Adamax(p, { lr: 0.01 }) },
    { name: "nadam", alias: () => nb.optim.nadam(0.01), cls: (p) => new nb.optim.NAdam(p, { lr: 0.01 }) },
    { name: "radam", alias: () => nb.optim.radam(0.01), cls: (p) => new nb.optim.RAdam(p, { lr: 0.01 }) },
    {
      name: "adagrad",
      alias: () => nb.optim.adagrad(0.1, { lrDecay: 0.1, initialAccumulatorValue: 0.1 }),
      cls: (p) => new nb.optim.Adagrad(p, { lr: 0.1, lrDecay: 0.1, initialAccumulatorValue: 0.1 }),
    },
    { name: "adadelta", alias: () => nb.optim.adadelta(0.5, { rho: 0.8 }), cls: (p) => new nb.optim.Adadelta(p, { lr: 0.5, rho: 0.8 }) },
    {
      name: "rmsprop",
      alias: () => nb.optim.rmsprop(0.01, { centered: true, momentum: 0.5 }),
      cls: (p) => new nb.optim.RMSprop(p, { lr: 0.01, centered: true, momentum: 0.5 }),
    },
    { name: "rprop", alias: () => nb.optim.rprop(0.05), cls: (p) => new nb.optim.Rprop(p, { lr: 0.05 }) },
    {
      name: "asgd",
      alias: () => nb.optim.asgd(0.05, { lambd: 0.01, t0: 3 }),
      cls: (p) => new nb.optim.ASGD(p, { lr: 0.05, lambd: 0.01, t0: 3 }),
    },
  ];
  for (const { name, alias, cls } of pairs) {
    it(name, () => {
      const a = randomParams(3, "float64");
      const b = copyParams(a);
      const grads = randomGradients(4, STEPS, "float64");
      const viaAlias = nb.optim.fromTransform(a, alias());
      const viaClass = cls(b);
      for (let k = 0; k < STEPS; k++) {
        setGradients(a, grads, k);
        setGradients(b, grads, k);
        viaAlias.step();
        viaClass.step();
      }
      a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `param ${i}`).toBeLessThanOrEqual(1e-12));
    });
  }
});
