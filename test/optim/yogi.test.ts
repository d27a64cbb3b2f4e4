// Yogi: scaleByYogi against hand values, the class and the alias against a
// loop written from the paper's Algorithm 2 (with optax's bias correction),
// fused == chain, round trips, validation, Rosenbrock and two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { yogi } from "../../src/optim/aliases/yogi.js";
import { Yogi } from "../../src/optim/optimizers/Yogi.js";
import { scaleByYogi } from "../../src/optim/transforms/scaleByYogi.js";
import {
  expectExactRoundTrip,
  expectFollowsReference,
  expectFusedMatchesChain,
  referenceProblem,
  rosenbrockDistance,
  twoMoonsAccuracy,
  viaAlias,
  type Make,
  type Values,
} from "./paramwiseChecks.js";

const make: Make = (params, options) => new Yogi(params, options);

/**
 * Zaheer et al. 2018, Algorithm 2 (Yogi), with coupled L2 decay g ← g + λ·x
 * and the bias correction and start value v0 = m0 = a of optax.yogi:
 * m ← β1·m + (1−β1)·g, v ← v − (1−β2)·sign(v − g²)·g²,
 * x ← x − η·(m/(1−β1^t)) / (√(v/(1−β2^t)) + ε).
 */
function paperYogi(start: Values, grads: Values[], o: { lr: number; b1: number; b2: number; eps: number; a: number; wd: number }): Values[] {
  const x = start.map((v) => Float64Array.from(v));
  const m = start.map((v) => new Float64Array(v.length).fill(o.a));
  const v = start.map((a) => new Float64Array(a.length).fill(o.a));
  return grads.map((gs, k) => {
    const t = k + 1;
    gs.forEach((gRaw, l) => {
      for (let i = 0; i < gRaw.length; i++) {
        const g = gRaw[i] + o.wd * x[l][i];
        m[l][i] = o.b1 * m[l][i] + (1 - o.b1) * g;
        v[l][i] = v[l][i] - (1 - o.b2) * Math.sign(v[l][i] - g * g) * g * g;
        const mHat = m[l][i] / (1 - o.b1 ** t);
        const vHat = v[l][i] / (1 - o.b2 ** t);
        x[l][i] -= (o.lr * mHat) / (Math.sqrt(vHat) + o.eps);
      }
    });
    return x.map((a) => Float64Array.from(a));
  });
}

describe("scaleByYogi", () => {
  it("moves v additively toward g² by (1−b2)·g², where Adam moves it multiplicatively", () => {
    const tx = scaleByYogi({ initialAccumulatorValue: 1 });
    const p = { data: new Float64Array(2), shape: [2] };
    const state = tx.init([p]);
    expect(Array.from(state.mu[0])).toEqual([1, 1]);
    const u = Float64Array.of(0.5, 3);
    tx.update([u], state, [p]);
    // v = 1 > g² = 0.25: v ← 1 − 0.001·0.25 (Adam: 0.999 + 0.001·0.25).
    expect(state.nu[0][0]).toBeCloseTo(1 - (1 - 0.999) * 0.25, 15);
    // v = 1 < g² = 9: v ← 1 + 0.001·9.
    expect(state.nu[0][1]).toBeCloseTo(1 + (1 - 0.999) * 9, 15);
    // m̂ = (0.9 + 0.1·0.5)/0.1, v̂ = v/0.001.
    const expected = (0.9 + 0.1 * 0.5) / 0.1 / (Math.sqrt(state.nu[0][0] / (1 - 0.999)) + 1e-3);
    expect(u[0]).toBeCloseTo(expected, 13);
  });

  it("starts both moments at 1e-6 and uses eps 1e-3 by default (optax)", () => {
    const tx = scaleByYogi();
    const p = { data: new Float32Array(1), shape: [1] };
    const state = tx.init([p]);
    expect(state.mu[0]).toBeInstanceOf(Float32Array);
    expect(state.nu[0][0]).toBe(Math.fround(1e-6));
    const u = Float64Array.of(0);
    tx.update([u], state, [p]);
    // g = 0: m̂ = 0.9·1e-6/0.1, v̂ = (1e-6 − 0)/0.001 (sign(v) = 1, g² = 0).
    expect(u[0]).toBeCloseTo((9 * Math.fround(1e-6)) / (Math.sqrt(Math.fround(1e-6) / (1 - 0.999)) + 1e-3), 9);
  });

  it("validates its options", () => {
    expect(() => scaleByYogi({ initialAccumulatorValue: -1 })).toThrow(new RangeError("scaleByYogi: initialAccumulatorValue must be >= 0, got -1"));
    expect(() => scaleByYogi({ b1: 1 })).toThrow(new RangeError("scaleByYogi: b1 must be in [0, 1), got 1"));
  });
});

describe("Yogi", () => {
  const { start, grads } = referenceProblem(6);
  const defaults = { lr: 1e-2, b1: 0.9, b2: 0.999, eps: 1e-3, a: 1e-6, wd: 0 };

  it("follows the paper's Algorithm 2 step by step (float64, 6 steps, defaults), as does the yogi alias", () => {
    const expected = paperYogi(start, grads, defaults);
    expectFollowsReference((p) => new Yogi(p), start, grads, expected);
    expectFollowsReference((p) => Object.assign(new Yogi(p), { fused: false }), start, grads, expected);
    expectFollowsReference(viaAlias(yogi(1e-2)), start, grads, expected);
  });

  it("follows it with coupled weight decay, other betas, eps and start value", () => {
    const o = { lr: 0.05, b1: 0.5, b2: 0.9, eps: 1e-4, a: 0.1, wd: 0.2 };
    const options = { lr: 0.05, betas: [0.5, 0.9] as const, eps: 1e-4, initialAccumulatorValue: 0.1, weightDecay: 0.2 };
    expectFollowsReference((p) => new Yogi(p, options), start, grads, paperYogi(start, grads, o));
  });

  const configs = [{ lr: 0.01 }, { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, initialAccumulatorValue: 0.5, weightDecay: 0.1, maximize: true }];
  for (const config of configs) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`fused kernel == chain ${JSON.stringify(config)} [${dtype}]`, () => expectFusedMatchesChain(make, config, dtype));
    }
    for (const json of [false, true]) {
      it(`state dict round trip is exact ${JSON.stringify(config)}${json ? " (through JSON)" : ""}`, () => expectExactRoundTrip(make, config, json));
    }
  }

  it("validates its options", () => {
    const x = () => [nb.tensor([1, 2])];
    expect(() => new Yogi(x(), { lr: -1 })).toThrow(new RangeError("Yogi: lr must be >= 0, got -1"));
    expect(() => new Yogi(x(), { eps: -1 })).toThrow(new RangeError("Yogi: eps must be >= 0, got -1"));
    expect(() => new Yogi(x(), { betas: [0.9, 1.5] })).toThrow(new RangeError("Yogi: betas[1] must be in [0, 1), got 1.5"));
    expect(() => new Yogi(x(), { initialAccumulatorValue: -1 })).toThrow(new RangeError("Yogi: initialAccumulatorValue must be >= 0, got -1"));
    expect(() => new Yogi(x(), { weightDecay: -1 })).toThrow(new RangeError("Yogi: weightDecay must be >= 0, got -1"));
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 1500 steps (constant lr 0.15)", () => {
    expect(rosenbrockDistance((p) => new Yogi(p, { lr: 0.15 }), 1500)).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to >= 95% test accuracy in 20 epochs (lr 3e-2)", async () => {
    expect(await twoMoonsAccuracy((p) => new Yogi(p, { lr: 3e-2 }))).toBeGreaterThanOrEqual(0.95);
  });
});
