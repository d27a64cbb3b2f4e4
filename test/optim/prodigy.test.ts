// Prodigy (Mishchenko & Defazio 2023): step by step against the paper's
// recursion, the class against the prodigy transformation, groups, x0
// slicing, checkpoints, validation, Rosenbrock and two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { Prodigy } from "../../src/optim/optimizers/Prodigy.js";
import { prodigy } from "../../src/optim/transforms/prodigy.js";
import { copyParams, randomGradients, randomParams, relDiff, setGradients } from "./helpers.js";
import { distanceToMinimum, expectExactResume, runRosenbrock, trainTwoMoons } from "./problems-c.js";

const A = [1, 2, 0.5, 3, 1.5, 0.8];
const B = [0.5, -1, 2, 0.25, -0.75, 1];
const W0 = [1, 0.5, -1, 2, 0, -0.5];
const gradF = (w: readonly number[]) => w.map((wi, i) => A[i] * (wi - B[i]) + 0.1 * wi ** 3);

type Config = {
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  wd: number;
  decouple: boolean;
  biasCorrection: boolean;
  safeguard: boolean;
  d0: number;
  dCoef: number;
  growth: number;
  sliceP: number;
};

/**
 * Prodigy's Adam form (the paper's Algorithm with β3 = √β2) with the
 * reference implementation's choices: the d-sums are weighted by
 * (d_k/d0)·d_k·γ_k (the paper's d_k²γ_k over d0, which cancels in the
 * ratio), the (1−√β2) factors dropped (they cancel too), d jumps to d̂ while
 * still d0, growth is capped, and eps is scaled by the new d:
 *   m ← β1m + (1−β1)d_k g, v ← β2v + (1−β2)d_k² g²,
 *   r ← √β2 r + (d_k/d0)γ_k⟨g, x0 − x_k⟩, s ← √β2 s + (d_k/d0)γ_k g (every sliceP-th element),
 *   d̂ = dCoef·r/‖s‖₁, x ← x(1 − wd·γ_k) − γ_k m/(√v + d_{k+1}ε),
 * with γ_k = d_k·lr·(√(1−β2^{k+1})/(1−β1^{k+1}) if bias-corrected).
 */
function reference(c: Config, steps: number): { xs: number[][]; ds: number[] } {
  let x = W0.slice();
  const x0 = W0.slice();
  const n = x.length;
  let m = new Array<number>(n).fill(0);
  let v = new Array<number>(n).fill(0);
  let s = new Array<number>(Math.ceil(n / c.sliceP)).fill(0);
  let r = 0;
  let d = c.d0;
  let dMax = c.d0;
  const beta3 = Math.sqrt(c.b2);
  const xs: number[][] = [];
  const ds: number[] = [];
  for (let k = 0; k < steps; k++) {
    const g = gradF(x).map((gi, i) => gi + (c.decouple ? 0 : c.wd * x[i]));
    const bc = c.biasCorrection ? Math.sqrt(1 - c.b2 ** (k + 1)) / (1 - c.b1 ** (k + 1)) : 1;
    const gamma = d * c.lr * bc;
    let dot = 0;
    for (let j = 0; j < s.length; j++) dot += g[j * c.sliceP] * (x0[j * c.sliceP] - x[j * c.sliceP]);
    r = beta3 * r + (d / c.d0) * gamma * dot;
    m = m.map((mi, i) => c.b1 * mi + (1 - c.b1) * d * g[i]);
    v = v.map((vi, i) => c.b2 * vi + (1 - c.b2) * d * d * g[i] * g[i]);
    const weight = (d / c.d0) * (c.safeguard ? d : gamma);
    s = s.map((sj, j) => beta3 * sj + weight * g[j * c.sliceP]);
    const dHat = (c.dCoef * r) / s.reduce((a, sj) => a + Math.abs(sj), 0);
    let dNext = d === c.d0 ? Math.max(d, dHat) : d;
    dMax = Math.max(dMax, dHat);
    dNext = Math.min(dMax, dNext * c.growth);
    const step = c.b1 > 0 ? m : g.map((gi) => dNext * gi);
    x = x.map((xi, i) => xi * (c.decouple ? 1 - c.wd * gamma : 1) - (gamma * step[i]) / (Math.sqrt(v[i]) + dNext * c.eps));
    d = dNext;
    xs.push(x);
    ds.push(d);
  }
  return { xs, ds };
}

const base: Config = { lr: 1, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decouple: true, biasCorrection: false, safeguard: false, d0: 0.05, dCoef: 1, growth: Infinity, sliceP: 1 };

function classFor(p: nb.Tensor, c: Config): Prodigy {
  return new Prodigy([p], {
    lr: c.lr,
    betas: [c.b1, c.b2],
    eps: c.eps,
    weightDecay: c.wd,
    decouple: c.decouple,
    useBiasCorrection: c.biasCorrection,
    safeguardWarmup: c.safeguard,
    d0: c.d0,
    dCoef: c.dCoef,
    growthRate: c.growth,
    sliceP: c.sliceP,
  });
}

describe("Prodigy", () => {
  const configs: [string, Config][] = [
    ["defaults (d0 0.05)", base],
    ["decoupled decay, bias correction, growth 1.5, dCoef 2", { ...base, wd: 0.1, biasCorrection: true, growth: 1.5, dCoef: 2 }],
    ["coupled decay, safeguard warmup, lr 0.5, betas [0.8, 0.99]", { ...base, wd: 0.05, decouple: false, safeguard: true, lr: 0.5, b1: 0.8, b2: 0.99 }],
    ["no first moment (betas[0] = 0), sliceP 2, d0 1e-3", { ...base, b1: 0, sliceP: 2, d0: 1e-3 }],
  ];
  for (const [label, c] of configs) {
    it(`follows the paper's recursion step by step (float64): ${label}`, () => {
      const p = nb.tensor(W0, { dtype: "float64" });
      const opt = classFor(p, c);
      const ref = reference(c, 8);
      for (let k = 0; k < 8; k++) {
        p.grad = nb.tensor(gradF(Array.from(p.data)), { dtype: "float64" });
        opt.step();
        expect(relDiff(p.data, ref.xs[k]), `x after step ${k}`).toBeLessThan(1e-12);
        expect(opt.paramGroups[0].d / ref.ds[k] - 1, `d after step ${k}`).toBeCloseTo(0, 12);
      }
      expect(opt.paramGroups[0].d).toBeGreaterThan(c.d0);
      expect(opt.paramGroups[0].k).toBe(8);
    });
  }

  it("equals the prodigy transformation through fromTransform", () => {
    const a = randomParams(1, "float64");
    const b = copyParams(a);
    // A steady direction plus noise (and one zero step), so that d grows.
    const noise = randomGradients(2, 10, "float64");
    const grads = noise.map((step) => step.map((g, i) => g.map((v, j) => (step === noise[3] ? 0 : 0.3 * v + noise[0][i][j]))));
    const opts = { weightDecay: 0.1, useBiasCorrection: true, d0: 1e-3, growthRate: 3 };
    const cls = new Prodigy(a, { lr: 0.7, betas: [0.9, 0.99], ...opts });
    const viaTx = nb.optim.fromTransform(b, prodigy(0.7, { b1: 0.9, b2: 0.99, ...opts }));
    for (let k = 0; k < 10; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      cls.step();
      viaTx.step();
      a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThan(1e-12));
    }
    expect(cls.paramGroups[0].d).toBeGreaterThan(1e-3);
  });

  it("does nothing but decay its moments until a gradient is non-zero, and keeps x0 = null for all-zero parameters", () => {
    const w = nb.zeros([3], { dtype: "float64" });
    const opt = new Prodigy([w]);
    w.grad = nb.zeros([3], { dtype: "float64" });
    opt.step();
    expect(Array.from(w.data)).toEqual([0, 0, 0]);
    expect(opt.paramGroups[0]).toMatchObject({ d: 1e-6, k: 0, dNumerator: 0 });
    expect(opt.state.get(w)!.p0).toBeNull();
    w.grad = nb.tensor([1, -2, 3], { dtype: "float64" });
    opt.step();
    expect(opt.paramGroups[0].k).toBe(1);
    expect(Array.from(w.data).every((v) => v !== 0)).toBe(true);
  });

  it("estimates one d over every group; groups must share the lr or use 0 to freeze", () => {
    const grads = randomGradients(3, 6, "float64", [[4], [3]]);
    const a = randomParams(4, "float64", [[4], [3]]);
    const b = copyParams(a);
    const split = new Prodigy([{ params: [a[0]] }, { params: [a[1]], weightDecay: 0 }], { d0: 1e-2 });
    const joint = new Prodigy(b, { d0: 1e-2 });
    for (let k = 0; k < 6; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      split.step();
      joint.step();
    }
    a.forEach((p, i) => expect(relDiff(p.data, b[i].data)).toBeLessThan(1e-13));
    expect(split.paramGroups[1].d).toBe(split.paramGroups[0].d);
    split.paramGroups[1].lr = 0.5;
    const before = a.map((p) => Array.from(p.data));
    expect(() => split.step()).toThrow(
      "Prodigy.step: param group 1 has lr 0.5 but another has 1; the step size is estimated for all groups together, so they must share one lr (or use lr 0 to freeze a group)",
    );
    a.forEach((p, i) => expect(Array.from(p.data)).toEqual(before[i]));
    split.paramGroups[1].lr = 0;
    split.step();
    expect(Array.from(a[1].data)).toEqual(before[1]);
    expect(Array.from(a[0].data)).not.toEqual(before[0]);
  });

  it("validates its options", () => {
    const x = () => [nb.tensor([1], { dtype: "float64" })];
    expect(() => new Prodigy(x(), { d0: 0 })).toThrow(new RangeError("Prodigy: d0 must be > 0, got 0"));
    expect(() => new Prodigy(x(), { eps: 0 })).toThrow("Prodigy: eps must be > 0, got 0");
    expect(() => new Prodigy(x(), { lr: -1 })).toThrow("Prodigy: lr must be >= 0, got -1");
    expect(() => new Prodigy(x(), { betas: [0.9, 1] })).toThrow("Prodigy: betas[1] must be in [0, 1), got 1");
    expect(() => new Prodigy(x(), { beta3: 1 })).toThrow("Prodigy: beta3 must be in [0, 1), got 1");
    expect(() => new Prodigy(x(), { dCoef: -1 })).toThrow("Prodigy: dCoef must be > 0, got -1");
    expect(() => new Prodigy(x(), { growthRate: 0 })).toThrow("Prodigy: growthRate must be > 0, got 0");
    expect(() => new Prodigy(x(), { sliceP: 0 })).toThrow("Prodigy: sliceP must be an integer >= 1, got 0");
    expect(() => new Prodigy(x(), { decouple: 1 as unknown as boolean })).toThrow(new TypeError("Prodigy: decouple must be a boolean, got 1"));
  });

  it("round-trips its state dict exactly (through JSON, with sliced x0 and an all-zero parameter)", () => {
    const params = [...randomParams(5, "float64", [[7], [3]]), nb.zeros([2], { dtype: "float64" })];
    const grads = randomGradients(6, 10, "float64", [[7], [3], [2]]);
    expectExactResume((ps) => new Prodigy(ps, { sliceP: 3, growthRate: 2, d0: 1e-3 }), params, grads, 4);
    expectExactResume((ps) => new Prodigy(ps, { betas: [0, 0.99] }), params, grads, 5, { json: false });
    const opt = new Prodigy(copyParams(params), { sliceP: 3 });
    setGradients(opt.paramGroups[0].params, grads, 0);
    opt.step();
    const bad = opt.stateDict();
    (bad.state[0] as { p0: number[] }).p0 = [1, 2];
    expect(() => opt.loadStateDict(bad)).toThrow("Prodigy.loadStateDict: state[0].p0: expected 3 numbers, got an array of length 2");
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 3000 steps (lr 1, betas [0.95, 0.999])", () => {
    const point = runRosenbrock((p) => new Prodigy([p], { betas: [0.95, 0.999] }), 3000);
    expect(distanceToMinimum(point)).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to at least 97% accuracy in 10 epochs (lr 1, betas [0.9, 0.99])", async () => {
    const { accuracy } = await trainTwoMoons((ps) => new Prodigy(ps, { betas: [0.9, 0.99] }), 10);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
