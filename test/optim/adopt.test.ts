// ADOPT: the class, transformation and alias against a float64 reference
// written from the paper's algorithm (clipped version, as the official
// implementation), the kernel against the chain, state dicts, validation,
// Rosenbrock, two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { adopt } from "../../src/optim/aliases/adopt.js";
import { ADOPT, type ADOPTOptions } from "../../src/optim/optimizers/ADOPT.js";
import { scaleByAdopt, type AdoptClip } from "../../src/optim/transforms/scaleByAdopt.js";
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

type RefOptions = { lr: number; b1: number; b2: number; eps: number; clip: AdoptClip; weightDecay: number; decouple: boolean; maximize: boolean };

/**
 * ADOPT (Taniguchi et al. 2024), Algorithm with clipping, element by
 * element: step 0 sets v₀ = g₀²; step k ≥ 1 takes
 * m_k = β₁m_{k−1} + (1−β₁)·clip(g_k/max(√v_{k−1}, ε), c(k)), θ_k = θ_{k−1} − α·m_k,
 * v_k = β₂v_{k−1} + (1−β₂)g_k². Weight decay as the official code.
 */
function adoptReference(p0: number[], grads: Float64Array[], o: RefOptions): number[][] {
  const p = p0.slice();
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  return grads.map((raw, k) => {
    for (let i = 0; i < p.length; i++) {
      let g = o.maximize ? -raw[i] : raw[i];
      if (!o.decouple) g += o.weightDecay * p[i];
      if (k === 0) {
        v[i] = g * g;
        continue;
      }
      if (o.decouple) p[i] -= o.lr * o.weightDecay * p[i];
      let n = g / Math.max(Math.sqrt(v[i]), o.eps);
      if (o.clip !== null) n = Math.max(-o.clip(k), Math.min(o.clip(k), n));
      m[i] = o.b1 * m[i] + (1 - o.b1) * n;
      p[i] -= o.lr * m[i];
      v[i] = o.b2 * v[i] + (1 - o.b2) * g * g;
    }
    return p.slice();
  });
}

const DEFAULTS: RefOptions = { lr: 1e-3, b1: 0.9, b2: 0.9999, eps: 1e-6, clip: (k) => k ** 0.25, weightDecay: 0, decouple: false, maximize: false };

describe("ADOPT against a float64 reference from the paper's algorithm (7 steps)", () => {
  const cases: { name: string; options: Partial<ADOPTOptions> & { clipLambda?: AdoptClip }; ref: Partial<RefOptions> }[] = [
    { name: "defaults", options: {}, ref: {} },
    { name: "lr 0.1, betas [0.5, 0.8] (the clip binds)", options: { lr: 0.1, betas: [0.5, 0.8] }, ref: { lr: 0.1, b1: 0.5, b2: 0.8 } },
    { name: "no clipping, eps 0.5", options: { lr: 0.05, clipLambda: null, eps: 0.5 }, ref: { lr: 0.05, clip: null, eps: 0.5 } },
    {
      name: "coupled weight decay, maximize, custom clip",
      options: { lr: 0.05, weightDecay: 0.3, maximize: true, clipLambda: (k) => 0.2 * k },
      ref: { lr: 0.05, weightDecay: 0.3, maximize: true, clip: (k) => 0.2 * k },
    },
    { name: "decoupled weight decay", options: { lr: 0.05, weightDecay: 0.3, decouple: true }, ref: { lr: 0.05, weightDecay: 0.3, decouple: true } },
  ];
  for (const { name, options, ref } of cases) {
    it(name, () => {
      const grads = referenceGradients(21, 7, 6);
      const p0 = Array.from(nb.randn([6], { generator: new nb.Generator(22), dtype: "float64" }).data);
      const expected = adoptReference(p0, grads, { ...DEFAULTS, ...ref });
      for (const fused of [true, false]) {
        const p = nb.tensor(p0, { dtype: "float64" });
        const opt = new ADOPT([p], options);
        opt.fused = fused;
        grads.forEach((g, k) => {
          p.grad = nb.tensor(Array.from(g), { dtype: "float64" });
          opt.step();
          expect(relDiff(p.data, expected[k]), `${fused ? "kernel" : "chain"}, step ${k + 1}`).toBeLessThanOrEqual(1e-12);
        });
      }
    });
  }

  it("leaves the parameters alone at the first step, even with decoupled decay", () => {
    const p = nb.tensor([1, -2], { dtype: "float64" });
    const opt = new ADOPT([p], { lr: 0.1, weightDecay: 0.5, decouple: true });
    p.grad = nb.tensor([3, 4], { dtype: "float64" });
    opt.step();
    expect(Array.from(p.data)).toEqual([1, -2]);
    expect(Array.from((opt.state.get(p) as { expAvgSq: Float64Array }).expAvgSq)).toEqual([9, 16]);
  });

  it("the update at step 1 is independent of the gradient's scale beyond the clip: clip(g/|g₀|, 1)", () => {
    const tx = scaleByAdopt({ b1: 0 });
    const p = nb.zeros([2], { dtype: "float64" });
    const state = tx.init([p]);
    const u0 = [Float64Array.from([2, -2])];
    tx.update(u0, state, [p]);
    expect(Array.from(u0[0])).toEqual([0, 0]);
    const u1 = [Float64Array.from([100, 1])];
    tx.update(u1, state, [p]);
    // n = g/|g₀| = [50, 0.5], clipped to ±1^¼ = ±1.
    expect(Array.from(u1[0])).toEqual([1, 0.5]);
  });
});

describe("ADOPT: kernel == chain, state dicts, alias", () => {
  const configs: (Partial<ADOPTOptions> & { clipLambda?: AdoptClip })[] = [
    { lr: 0.01 },
    { lr: 0.01, betas: [0.8, 0.95], weightDecay: 0.1, maximize: true },
    { lr: 0.01, weightDecay: 0.2, decouple: true, clipLambda: null, eps: 1e-3 },
  ];
  for (const config of configs) {
    const label = JSON.stringify(config, (_k, v: unknown) => (v === null ? "null" : v));
    for (const dtype of ["float64", "float32"] as const) {
      it(`kernel == chain ${label} [${dtype}]`, () => expectFusedMatchesChain((p) => new ADOPT(p, config), dtype));
    }
    for (const json of [false, true]) {
      it(`state dict round trip ${label}${json ? " (through JSON)" : ""}`, () => expectStateDictRoundTrip((p) => new ADOPT(p, config), json));
    }
  }
  it("adopt(lr, ...) through fromTransform == the class", () => {
    expectAliasMatchesClass(() => adopt(0.02, { b1: 0.8, b2: 0.99 }), (p) => new ADOPT(p, { lr: 0.02, betas: [0.8, 0.99] }));
    expectAliasMatchesClass(() => adopt(0.02, { clipLambda: null }), (p) => new ADOPT(p, { lr: 0.02, clipLambda: null }));
  });
  it("clipLambda is not a group option: the state dict holds only plain data", () => {
    const p = nb.zeros([2]);
    const opt = new ADOPT([p], { clipLambda: (k) => k });
    expect(Object.keys(opt.stateDict().paramGroups[0]).sort()).toEqual(["betas", "decouple", "eps", "lr", "maximize", "params", "weightDecay"]);
  });
});

describe("ADOPT validation", () => {
  const bad: [Partial<ADOPTOptions> & { clipLambda?: AdoptClip }, RegExp][] = [
    [{ lr: -1 }, /ADOPT: lr must be >= 0, got -1/],
    [{ betas: [1, 0.9] }, /ADOPT: betas\[0\] must be in \[0, 1\), got 1/],
    [{ betas: [0.9, -0.1] }, /ADOPT: betas\[1\] must be in \[0, 1\), got -0.1/],
    [{ eps: -1 }, /ADOPT: eps must be >= 0, got -1/],
    [{ weightDecay: -1 }, /ADOPT: weightDecay must be >= 0, got -1/],
    [{ decouple: 0 as unknown as boolean }, /ADOPT: decouple must be a boolean, got 0/],
    [{ clipLambda: 2 as unknown as AdoptClip }, /ADOPT: clipLambda must be a function of the step or null, got 2/],
  ];
  for (const [options, message] of bad) it(`rejects ${String(Object.keys(options))}`, () => expect(() => new ADOPT([nb.zeros([2])], options)).toThrow(message));
  it("a clipLambda that returns a negative bound fails before changing anything", () => {
    const p = nb.tensor([1, 2], { dtype: "float64" });
    const opt = new ADOPT([p], { clipLambda: () => -1 });
    p.grad = nb.tensor([1, 1], { dtype: "float64" });
    opt.step();
    const before = structuredClone(opt.state.get(p));
    expect(() => opt.step()).toThrow(/ADOPT: clipLambda\(1\) must be >= 0, got -1/);
    expect(opt.state.get(p)).toEqual(before);
    expect(Array.from(p.data)).toEqual([1, 2]);
  });
});

describe("ADOPT in practice", () => {
  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 5000 steps (betas [0.9, 0.9], lr 0.01·e^(-5k/5000))", () => {
    const p = rosenbrockStart();
    const opt = new ADOPT([p], { lr: 0.01, betas: [0.9, 0.9] });
    const [x, y] = rosenbrock(opt, p, 5000, (k) => (opt.paramGroups[0].lr = 0.01 * Math.exp((-5 * k) / 5000)));
    expect(Math.abs(x - 1)).toBeLessThan(1e-3);
    expect(Math.abs(y - 1)).toBeLessThan(1e-3);
  });
  it("trains the two-moons MLP to >= 97% validation accuracy in 20 epochs (lr 0.01)", async () => {
    expect(await twoMoonsAccuracy((m) => new ADOPT(m.parameters(), { lr: 0.01 }), 20)).toBeGreaterThanOrEqual(0.97);
  });
});
