// AdEMAMix: the class, transformation and alias against a float64 reference
// written from the paper's Algorithm 1 (with its α and β₃ warmups), the
// kernel against the chain, state dicts, validation, Rosenbrock, two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { ademamix } from "../../src/optim/aliases/ademamix.js";
import { AdEMAMix, type AdEMAMixOptions } from "../../src/optim/optimizers/AdEMAMix.js";
import { ademamixAlphaScheduler, ademamixBeta3Scheduler, scaleByAdemamix } from "../../src/optim/transforms/scaleByAdemamix.js";
import { relDiff } from "./helpers.js";
import {
  expectAliasMatchesClass,
  expectFusedMatchesChain,
  expectStateDictRoundTrip,
  referenceGradients,
  rosenbrock,
  rosenbrockStart,
  twoMoonsAccuracy,
} from "./helpersB.js";

type RefOptions = { lr: number; b1: number; b2: number; b3: number; alpha: number; tAlpha: number | null; tBeta3: number | null; eps: number; wd: number };

/**
 * Pagliardini et al. 2024, Algorithm 1, element by element, t from 1:
 * α(t) = min(t·α/T_α, α); β₃(t) = f⁻¹((1 − t/T)·f(β₁) + (t/T)·f(β₃)) for t < T
 * with f(β) = ln(0.5)/ln(β) − 1, f⁻¹(x) = 0.5^(1/(x+1));
 * m₁ ← β₁m₁ + (1−β₁)g, m₂ ← β₃(t)m₂ + (1−β₃(t))g, ν ← β₂ν + (1−β₂)g²,
 * θ ← θ − η((m₁/(1−β₁ᵗ) + α(t)·m₂)/(√(ν/(1−β₂ᵗ)) + ε) + λθ).
 */
function ademamixReference(p0: number[], grads: Float64Array[], o: RefOptions): number[][] {
  const f = (beta: number): number => Math.log(0.5) / Math.log(beta) - 1;
  const fInv = (x: number): number => Math.pow(0.5, 1 / (x + 1));
  const p = p0.slice();
  const m1 = p.map(() => 0);
  const m2 = p.map(() => 0);
  const nu = p.map(() => 0);
  return grads.map((g, k) => {
    const t = k + 1;
    const alpha = o.tAlpha === null ? o.alpha : Math.min((t * o.alpha) / o.tAlpha, o.alpha);
    const b3 = o.tBeta3 === null || t >= o.tBeta3 ? o.b3 : fInv((1 - t / o.tBeta3) * f(o.b1) + (t / o.tBeta3) * f(o.b3));
    for (let i = 0; i < p.length; i++) {
      m1[i] = o.b1 * m1[i] + (1 - o.b1) * g[i];
      m2[i] = b3 * m2[i] + (1 - b3) * g[i];
      nu[i] = o.b2 * nu[i] + (1 - o.b2) * g[i] * g[i];
      const mHat = m1[i] / (1 - o.b1 ** t);
      const vHat = nu[i] / (1 - o.b2 ** t);
      p[i] -= o.lr * ((mHat + alpha * m2[i]) / (Math.sqrt(vHat) + o.eps) + o.wd * p[i]);
    }
    return p.slice();
  });
}

const DEFAULTS: RefOptions = { lr: 1e-3, b1: 0.9, b2: 0.999, b3: 0.9999, alpha: 2, tAlpha: null, tBeta3: null, eps: 1e-8, wd: 0 };

describe("AdEMAMix against a float64 reference from the paper's Algorithm 1 (8 steps)", () => {
  const cases: { name: string; options: Partial<AdEMAMixOptions>; ref: Partial<RefOptions> }[] = [
    { name: "defaults", options: {}, ref: {} },
    {
      name: "fast-moving slow EMA, weight decay",
      options: { lr: 0.05, betas: [0.8, 0.95, 0.99], alpha: 5, weightDecay: 0.1, eps: 1e-3 },
      ref: { lr: 0.05, b1: 0.8, b2: 0.95, b3: 0.99, alpha: 5, wd: 0.1, eps: 1e-3 },
    },
    {
      name: "α and β₃ warmups over 5 steps (ending inside the run)",
      options: { lr: 0.05, betas: [0.9, 0.99, 0.999], alpha: 8, alphaWarmup: 5, beta3Warmup: 5 },
      ref: { lr: 0.05, b1: 0.9, b2: 0.99, b3: 0.999, alpha: 8, tAlpha: 5, tBeta3: 5 },
    },
    {
      name: "β₁ = 0 with a β₃ warmup from it",
      options: { lr: 0.02, betas: [0, 0.9, 0.99], beta3Warmup: 6 },
      ref: { lr: 0.02, b1: 0, b2: 0.9, b3: 0.99, tBeta3: 6 },
    },
  ];
  for (const { name, options, ref } of cases) {
    it(name, () => {
      const grads = referenceGradients(31, 8, 5);
      const p0 = Array.from(nb.randn([5], { generator: new nb.Generator(32), dtype: "float64" }).data);
      const expected = ademamixReference(p0, grads, { ...DEFAULTS, ...ref });
      for (const fused of [true, false]) {
        const p = nb.tensor(p0, { dtype: "float64" });
        const opt = new AdEMAMix([p], options);
        opt.fused = fused;
        grads.forEach((g, k) => {
          p.grad = nb.tensor(Array.from(g), { dtype: "float64" });
          opt.step();
          expect(relDiff(p.data, expected[k]), `${fused ? "kernel" : "chain"}, step ${k + 1}`).toBeLessThanOrEqual(1e-12);
        });
      }
    });
  }

  it("the warmup schedules start near their initial values and reach the final ones at T", () => {
    const a = ademamixAlphaScheduler(8, 4);
    expect([0, 1, 2, 3, 10].map(a)).toEqual([2, 4, 6, 8, 8]);
    const b = ademamixBeta3Scheduler(0.999, 0.9, 100);
    const values = Array.from({ length: 100 }, (_, k) => b(k));
    expect(values[0]).toBeGreaterThan(0.9);
    values.slice(1).forEach((v, k) => expect(v, `count ${k + 1}`).toBeGreaterThan(values[k]));
    expect(b(99)).toBe(0.999);
    // The half-life grows linearly: halfway through, it is halfway between the two.
    const halfLife = (beta: number): number => Math.log(0.5) / Math.log(beta);
    expect(halfLife(b(49))).toBeCloseTo((halfLife(0.9) + halfLife(0.999)) / 2, 9);
  });
});

describe("AdEMAMix: kernel == chain, state dicts, alias", () => {
  const configs: Partial<AdEMAMixOptions>[] = [
    { lr: 0.01 },
    { lr: 0.01, betas: [0.8, 0.9, 0.99], alpha: 4, weightDecay: 0.1, maximize: true, alphaWarmup: 7, beta3Warmup: 9 },
  ];
  for (const config of configs) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`kernel == chain ${JSON.stringify(config)} [${dtype}]`, () => expectFusedMatchesChain((p) => new AdEMAMix(p, config), dtype));
    }
    for (const json of [false, true]) {
      it(`state dict round trip ${JSON.stringify(config)}${json ? " (through JSON)" : ""}`, () =>
        expectStateDictRoundTrip((p) => new AdEMAMix(p, config), json));
    }
  }
  it("ademamix(lr, ...) through fromTransform == the class", () => {
    expectAliasMatchesClass(
      () => ademamix(0.02, { b1: 0.8, b2: 0.99, b3: 0.995, alpha: 3, weightDecay: 0.1 }),
      (p) => new AdEMAMix(p, { lr: 0.02, betas: [0.8, 0.99, 0.995], alpha: 3, weightDecay: 0.1 }),
    );
    expectAliasMatchesClass(
      () => ademamix(0.02, { b3: ademamixBeta3Scheduler(0.999, 0.9, 8), alpha: ademamixAlphaScheduler(6, 5) }),
      (p) => new AdEMAMix(p, { lr: 0.02, betas: [0.9, 0.999, 0.999], alpha: 6, alphaWarmup: 5, beta3Warmup: 8 }),
    );
  });
  it("with α = 0 it is Adam", () => {
    const a = nb.tensor([1, -2, 3], { dtype: "float64" });
    const b = nb.tensor([1, -2, 3], { dtype: "float64" });
    const x = new AdEMAMix([a], { lr: 0.1, alpha: 0 });
    const y = new nb.optim.Adam([b], { lr: 0.1 });
    for (const g of referenceGradients(33, 6, 3)) {
      a.grad = nb.tensor(Array.from(g), { dtype: "float64" });
      b.grad = nb.tensor(Array.from(g), { dtype: "float64" });
      x.step();
      y.step();
    }
    expect(relDiff(a.data, b.data)).toBeLessThanOrEqual(1e-14);
  });
});

describe("AdEMAMix validation", () => {
  const bad: [Partial<AdEMAMixOptions>, RegExp][] = [
    [{ lr: -1 }, /AdEMAMix: lr must be >= 0, got -1/],
    [{ betas: [0.9, 0.999] as unknown as [number, number, number] }, /AdEMAMix: betas must be three numbers/],
    [{ betas: [0.9, 0.999, 1] }, /AdEMAMix: betas\[2\] must be in \[0, 1\), got 1/],
    [{ alpha: -1 }, /AdEMAMix: alpha must be >= 0, got -1/],
    [{ alphaWarmup: 0 }, /AdEMAMix: alphaWarmup must be an integer >= 1, got 0/],
    [{ beta3Warmup: 2.5 }, /AdEMAMix: beta3Warmup must be an integer >= 1, got 2.5/],
    [{ eps: -1 }, /AdEMAMix: eps must be >= 0, got -1/],
    [{ weightDecay: -1 }, /AdEMAMix: weightDecay must be >= 0, got -1/],
  ];
  for (const [options, message] of bad) it(`rejects ${String(Object.keys(options))}`, () => expect(() => new AdEMAMix([nb.zeros([2])], options)).toThrow(message));
  it("rejects bad transformation options and schedules that leave [0, 1)", () => {
    expect(() => scaleByAdemamix({ b3: 1.5 })).toThrow(/scaleByAdemamix: b3 must be in \[0, 1\), got 1.5/);
    const tx = scaleByAdemamix({ b3: () => 2 });
    const p = nb.zeros([2]);
    const state = tx.init([p]);
    expect(() => tx.update([new Float32Array(2)], state, [p])).toThrow(/scaleByAdemamix: b3\(count\) must be in \[0, 1\), got 2/);
    expect(state.count).toBe(0);
  });
});

describe("AdEMAMix in practice", () => {
  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 5000 steps (betas [0.9, 0.99, 0.99], lr 0.01·e^(-5k/5000))", () => {
    const p = rosenbrockStart();
    const opt = new AdEMAMix([p], { lr: 0.01, betas: [0.9, 0.99, 0.99] });
    const [x, y] = rosenbrock(opt, p, 5000, (k) => (opt.paramGroups[0].lr = 0.01 * Math.exp((-5 * k) / 5000)));
    expect(Math.abs(x - 1)).toBeLessThan(1e-3);
    expect(Math.abs(y - 1)).toBeLessThan(1e-3);
  });
  it("trains the two-moons MLP to >= 96% validation accuracy in 20 epochs (lr 0.01)", async () => {
    expect(await twoMoonsAccuracy((m) => new AdEMAMix(m.parameters(), { lr: 0.01 }), 20)).toBeGreaterThanOrEqual(0.96);
  });
});
