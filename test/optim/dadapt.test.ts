// D-Adapt Adam (Defazio & Mishchenko 2023): step by step against the
// paper's recursion, the class against the dadaptAdam transformation,
// groups and layerScale, checkpoints, validation, Rosenbrock and two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { DAdaptAdam } from "../../src/optim/optimizers/DAdaptAdam.js";
import { dadaptAdam } from "../../src/optim/transforms/dadapt.js";
import { copyParams, randomGradients, randomParams, relDiff, setGradients } from "./helpers.js";
import { distanceToMinimum, expectExactResume, runRosenbrock, trainTwoMoons } from "./problems-c.js";

const A = [1, 2, 0.5, 3, 1.5];
const B = [0.5, -1, 2, 0.25, -0.75];
const W0 = [1, 0.5, -1, 2, 0];
const gradF = (w: readonly number[]) => w.map((wi, i) => A[i] * (wi - B[i]) + 0.1 * wi ** 3);

type Config = { lr: number; b1: number; b2: number; eps: number; wd: number; decouple: boolean; biasCorrection: boolean; d0: number; growth: number; layerScale: number };

/**
 * D-Adapted Adam as in the paper's Algorithm (Adam version) with the
 * reference implementation's current choices: the sums decay by √β2, the
 * inner product is weighted by the moments before this step, and d never
 * falls: with γ_k = d_k·lr(·bias correction) and ρ the layer scale,
 *   r ← √β2 r + (1−√β2)ργ_k⟨g, s_k⟩/(√v_k + ε), s ← √β2 s + (1−√β2)γ_k g,
 *   m ← β1 m + (1−β1)ργ_k g, v ← β2 v + (1−β2)g²,
 *   d_{k+1} = max(d_k, min(r/((1−√β2)ρ‖s‖₁), d_k·growth)),
 *   x ← x − γ_k·wd·x (decoupled) − m/(√v + ε).
 */
function reference(c: Config, steps: number): { xs: number[][]; ds: number[] } {
  let x = W0.slice();
  const n = x.length;
  let m = new Array<number>(n).fill(0);
  let v = new Array<number>(n).fill(0);
  let s = new Array<number>(n).fill(0);
  let r = 0;
  let d = c.d0;
  const sb2 = Math.sqrt(c.b2);
  const rho = c.layerScale;
  const xs: number[][] = [];
  const ds: number[] = [];
  for (let k = 0; k < steps; k++) {
    const g = gradF(x).map((gi, i) => gi + (c.decouple ? 0 : c.wd * x[i]));
    const bc = c.biasCorrection ? Math.sqrt(1 - c.b2 ** (k + 1)) / (1 - c.b1 ** (k + 1)) : 1;
    const gamma = d * c.lr * bc;
    const inner = g.reduce((a, gi, i) => a + (gi * s[i]) / (Math.sqrt(v[i]) + c.eps), 0);
    r = sb2 * r + (1 - sb2) * rho * gamma * inner;
    s = s.map((si, i) => sb2 * si + (1 - sb2) * gamma * g[i]);
    m = m.map((mi, i) => c.b1 * mi + (1 - c.b1) * rho * gamma * g[i]);
    v = v.map((vi, i) => c.b2 * vi + (1 - c.b2) * g[i] * g[i]);
    const l1 = rho * s.reduce((a, si) => a + Math.abs(si), 0);
    d = Math.max(d, Math.min(r / ((1 - sb2) * l1), d * c.growth));
    x = x.map((xi, i) => xi * (c.decouple ? 1 - c.wd * gamma : 1) - m[i] / (Math.sqrt(v[i]) + c.eps));
    xs.push(x);
    ds.push(d);
  }
  return { xs, ds };
}

const base: Config = { lr: 1, b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0, decouple: false, biasCorrection: false, d0: 0.01, growth: Infinity, layerScale: 1 };

describe("DAdaptAdam", () => {
  const configs: [string, Config][] = [
    ["defaults (d0 0.01)", base],
    ["decoupled decay, bias correction, growth 1.3", { ...base, wd: 0.05, decouple: true, biasCorrection: true, growth: 1.3 }],
    ["coupled decay, layerScale 0.5, lr 0.5, betas [0.8, 0.99]", { ...base, wd: 0.1, layerScale: 0.5, lr: 0.5, b1: 0.8, b2: 0.99 }],
  ];
  for (const [label, c] of configs) {
    it(`follows the paper's recursion step by step (float64): ${label}`, () => {
      const p = nb.tensor(W0, { dtype: "float64" });
      const opt = new DAdaptAdam([p], {
        lr: c.lr,
        betas: [c.b1, c.b2],
        eps: c.eps,
        weightDecay: c.wd,
        decouple: c.decouple,
        useBiasCorrection: c.biasCorrection,
        d0: c.d0,
        growthRate: c.growth,
        layerScale: c.layerScale,
      });
      const ref = reference(c, 10);
      for (let k = 0; k < 10; k++) {
        p.grad = nb.tensor(gradF(Array.from(p.data)), { dtype: "float64" });
        opt.step();
        expect(relDiff(p.data, ref.xs[k]), `x after step ${k}`).toBeLessThan(1e-12);
        expect(opt.paramGroups[0].d / ref.ds[k] - 1, `d after step ${k}`).toBeCloseTo(0, 12);
      }
      expect(opt.paramGroups[0].d).toBeGreaterThan(c.d0);
    });
  }

  it("equals the dadaptAdam transformation through fromTransform", () => {
    const a = randomParams(1, "float64");
    const b = copyParams(a);
    const noise = randomGradients(2, 10, "float64");
    const grads = noise.map((step) => step.map((g, i) => g.map((v, j) => (step === noise[3] ? 0 : 0.3 * v + noise[0][i][j]))));
    const opts = { weightDecay: 0.1, decouple: true, useBiasCorrection: true, d0: 1e-3, growthRate: 3 };
    const cls = new DAdaptAdam(a, { lr: 0.7, betas: [0.9, 0.99], ...opts });
    const viaTx = nb.optim.fromTransform(b, dadaptAdam(0.7, { b1: 0.9, b2: 0.99, ...opts }));
    for (let k = 0; k < 10; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      cls.step();
      viaTx.step();
      a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThan(1e-12));
    }
    expect(cls.paramGroups[0].d).toBeGreaterThan(1e-3);
  });

  it("estimates one d over every group; a zero first gradient changes nothing", () => {
    const grads = randomGradients(3, 6, "float64", [[4], [3]]);
    const a = randomParams(4, "float64", [[4], [3]]);
    const b = copyParams(a);
    const split = new DAdaptAdam([{ params: [a[0]] }, { params: [a[1]] }], { d0: 1e-2 });
    const joint = new DAdaptAdam(b, { d0: 1e-2 });
    a.forEach((p) => (p.grad = nb.zeros(p.shape, { dtype: "float64" })));
    const before = a.map((p) => Array.from(p.data));
    split.step();
    a.forEach((p, i) => expect(Array.from(p.data)).toEqual(before[i]));
    expect(split.paramGroups[0]).toMatchObject({ d: 1e-2, k: 0 });
    for (let k = 0; k < 6; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      split.step();
      joint.step();
    }
    a.forEach((p, i) => expect(relDiff(p.data, b[i].data)).toBeLessThan(1e-13));
    split.paramGroups[0].lr = 2;
    expect(() => split.step()).toThrow(/DAdaptAdam.step: param group 1 has lr 1 but another has 2/);
  });

  it("validates its options and round-trips its state dict exactly", () => {
    const x = () => [nb.tensor([1], { dtype: "float64" })];
    expect(() => new DAdaptAdam(x(), { d0: -1 })).toThrow(new RangeError("DAdaptAdam: d0 must be > 0, got -1"));
    expect(() => new DAdaptAdam(x(), { eps: 0 })).toThrow("DAdaptAdam: eps must be > 0, got 0");
    expect(() => new DAdaptAdam(x(), { betas: [1, 0.9] })).toThrow("DAdaptAdam: betas[0] must be in [0, 1), got 1");
    expect(() => new DAdaptAdam(x(), { layerScale: -1 })).toThrow("DAdaptAdam: layerScale must be >= 0, got -1");
    expect(() => new DAdaptAdam(x(), { growthRate: 0 })).toThrow("DAdaptAdam: growthRate must be > 0, got 0");
    const params = randomParams(5, "float32", [[6], [2]]);
    const grads = randomGradients(6, 9, "float32", [[6], [2]]);
    expectExactResume((ps) => new DAdaptAdam(ps, { growthRate: 1.5, d0: 1e-3 }), params, grads, 4);
    expectExactResume((ps) => new DAdaptAdam(ps, { decouple: true, weightDecay: 0.1 }), params, grads, 6, { json: false });
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 1000 steps (lr 1, betas [0.95, 0.999])", () => {
    const point = runRosenbrock((p) => new DAdaptAdam([p], { betas: [0.95, 0.999] }), 1000);
    expect(distanceToMinimum(point)).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to at least 97% accuracy in 10 epochs (defaults)", async () => {
    const { accuracy } = await trainTwoMoons((ps) => new DAdaptAdam(ps), 10);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
