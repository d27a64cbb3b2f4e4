// COCOB-Backprop (Orabona & Tommasi 2017): step by step against the paper's
// Algorithm 2, fused kernel against the chain, the cocob alias, checkpoints,
// validation, Rosenbrock and two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { COCOB } from "../../src/optim/optimizers/COCOB.js";
import { cocob, scaleByCocob } from "../../src/optim/transforms/cocob.js";
import { copyParams, expectStateClose, randomGradients, randomParams, relDiff, setGradients } from "./helpers.js";
import { distanceToMinimum, expectExactResume, runRosenbrock, trainTwoMoons } from "./problems-c.js";

const A = [1, 2, 0.5, 3, 1.5];
const B = [0.5, -1, 2, 0.25, -0.75];
const W0 = [1, 0.5, -1, 2, 0];
const gradF = (w: readonly number[]) => w.map((wi, i) => A[i] * (wi - B[i]) + 0.1 * wi ** 3);

/**
 * The paper's Algorithm 2 (COCOB-Backprop), which works with the negative
 * gradient g_t = −∇f(w_t) per coordinate: L_t = max(L_{t−1}, |g_t|),
 * G_t = G_{t−1} + |g_t|, Reward_t = max(Reward_{t−1} + (w_t − w_1)g_t, 0),
 * θ_t = θ_{t−1} + g_t, w_{t+1} = w_1 + θ_t/(L_t·max(G_t + L_t, αL_t))·(L_t + Reward_t),
 * from L_0 = ε, G_0 = Reward_0 = θ_0 = 0.
 */
function reference(alpha: number, eps: number, steps: number): number[][] {
  const w1 = W0.slice();
  let w = W0.slice();
  const n = w.length;
  const L = new Array<number>(n).fill(eps);
  const G = new Array<number>(n).fill(0);
  const reward = new Array<number>(n).fill(0);
  const theta = new Array<number>(n).fill(0);
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const g = gradF(w).map((v) => -v);
    for (let i = 0; i < n; i++) {
      L[i] = Math.max(L[i], Math.abs(g[i]));
      G[i] += Math.abs(g[i]);
      reward[i] = Math.max(reward[i] + (w[i] - w1[i]) * g[i], 0);
      theta[i] += g[i];
    }
    w = w1.map((wi, i) => wi + (theta[i] / (L[i] * Math.max(G[i] + L[i], alpha * L[i]))) * (L[i] + reward[i]));
    out.push(w);
  }
  return out;
}

describe("COCOB", () => {
  for (const alpha of [100, 2]) {
    it(`follows the paper's Algorithm 2 step by step (float64, alpha ${alpha})`, () => {
      const p = nb.tensor(W0, { dtype: "float64" });
      const opt = new COCOB([p], { alpha });
      const ref = reference(alpha, 1e-8, 10);
      for (let k = 0; k < 10; k++) {
        p.grad = nb.tensor(gradF(Array.from(p.data)), { dtype: "float64" });
        opt.step();
        expect(relDiff(p.data, ref[k]), `step ${k}`).toBeLessThan(1e-13);
      }
      expect(relDiff(p.data, W0)).toBeGreaterThan(0.01);
    });
  }

  for (const dtype of ["float64", "float32"] as const) {
    it(`fused kernel equals the chain (addDecayedWeights, scaleByLearningRate, scaleByCocob) [${dtype}]`, () => {
      const a = randomParams(1, dtype);
      const b = copyParams(a);
      const grads = randomGradients(2, 12, dtype);
      const fused = new COCOB(a, { lr: 0.5, alpha: 10, weightDecay: 0.1 });
      const chained = new COCOB(b, { lr: 0.5, alpha: 10, weightDecay: 0.1 });
      chained.fused = false;
      const tol = dtype === "float64" ? 1e-12 : 2e-6;
      for (let k = 0; k < 12; k++) {
        setGradients(a, grads, k);
        setGradients(b, grads, k);
        fused.step();
        chained.step();
        a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThan(tol));
      }
      a.forEach((p, i) => expectStateClose(fused.state.get(p), chained.state.get(b[i]), tol, `state[${i}]`));
    });
  }

  it("equals the cocob alias through fromTransform", () => {
    const a = randomParams(3, "float64");
    const b = copyParams(a);
    const grads = randomGradients(4, 10, "float64");
    const cls = new COCOB(a, { alpha: 50, weightDecay: 0.01 });
    const viaTx = nb.optim.fromTransform(b, cocob(1, { alpha: 50, weightDecay: 0.01 }));
    for (let k = 0; k < 10; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      cls.step();
      viaTx.step();
    }
    a.forEach((p, i) => expect(relDiff(p.data, b[i].data)).toBeLessThan(1e-12));
  });

  it("is invariant to the scale of the gradients (up to eps)", () => {
    const a = nb.tensor(W0, { dtype: "float64" });
    const b = nb.tensor(W0, { dtype: "float64" });
    const oa = new COCOB([a]);
    const ob = new COCOB([b], { lr: 1000 });
    for (let k = 0; k < 10; k++) {
      a.grad = nb.tensor(gradF(Array.from(a.data)), { dtype: "float64" });
      b.grad = nb.tensor(gradF(Array.from(b.data)), { dtype: "float64" });
      oa.step();
      ob.step();
    }
    expect(relDiff(a.data, b.data)).toBeLessThan(1e-9);
  });

  it("validates its options and round-trips its state dict exactly", () => {
    const x = () => [nb.tensor([1], { dtype: "float64" })];
    expect(() => new COCOB(x(), { eps: 0 })).toThrow(new RangeError("COCOB: eps must be > 0, got 0"));
    expect(() => new COCOB(x(), { alpha: -1 })).toThrow("COCOB: alpha must be >= 0, got -1");
    expect(() => new COCOB(x(), { weightDecay: -1 })).toThrow("COCOB: weightDecay must be >= 0, got -1");
    expect(() => scaleByCocob({ eps: -1 })).toThrow("scaleByCocob: eps must be > 0, got -1");
    expectExactResume((ps) => new COCOB(ps, { alpha: 20 }), randomParams(5, "float32"), randomGradients(6, 10, "float32"), 4);
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 20000 steps (alpha 2)", () => {
    const point = runRosenbrock((p) => new COCOB([p], { alpha: 2 }), 20_000);
    expect(distanceToMinimum(point)).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to at least 97% accuracy in 20 epochs (defaults: no learning rate)", async () => {
    const { accuracy } = await trainTwoMoons((ps) => new COCOB(ps), 20);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
