// Lookahead (Zhang et al. 2019): step by step against the paper's
// Algorithm 1, the class against the lookahead transformation, composition
// with other wrappers, checkpoints, validation, Rosenbrock and two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { Lookahead } from "../../src/optim/optimizers/Lookahead.js";
import { SAM } from "../../src/optim/optimizers/SAM.js";
import { SGDScheduleFree } from "../../src/optim/optimizers/SGDScheduleFree.js";
import { lookahead } from "../../src/optim/transforms/lookahead.js";
import { copyParams, randomGradients, randomParams, relDiff, setGradients } from "./helpers.js";
import { distanceToMinimum, expectExactResume, runRosenbrock, trainTwoMoons } from "./problems-c.js";

const A = [1, 2, 0.5, 3, 1.5];
const B = [0.5, -1, 2, 0.25, -0.75];
const W0 = [1, 0.5, -1, 2, -0.3];
const gradF = (w: readonly number[]) => w.map((wi, i) => A[i] * (wi - B[i]) + 0.1 * wi ** 3);

/**
 * The paper's Algorithm 1 with SGD as the inner optimizer: φ_0 = θ_0; for
 * each outer step t, θ_{t,0} = φ_{t−1}, k steps θ ← θ − η∇f(θ), then
 * φ_t = φ_{t−1} + α(θ_{t,k} − φ_{t−1}). Returns the parameters after each
 * inner step (φ_t after the k-th).
 */
function reference(lr: number, k: number, alpha: number, outer: number): number[][] {
  let phi = W0.slice();
  const out: number[][] = [];
  for (let t = 0; t < outer; t++) {
    let theta = phi.slice();
    for (let i = 1; i <= k; i++) {
      const g = gradF(theta);
      theta = theta.map((v, j) => v - lr * g[j]);
      if (i < k) out.push(theta);
    }
    phi = phi.map((v, j) => v + alpha * (theta[j] - v));
    out.push(phi);
  }
  return out;
}

describe("Lookahead", () => {
  it("follows the paper's Algorithm 1 step by step with SGD inside (float64, k 3, alpha 0.6)", () => {
    const p = nb.tensor(W0, { dtype: "float64" });
    const opt = new Lookahead(new nb.optim.SGD([p], { lr: 0.1 }), { k: 3, alpha: 0.6 });
    const ref = reference(0.1, 3, 0.6, 4);
    ref.forEach((expected, step) => {
      p.grad = nb.tensor(gradF(Array.from(p.data)), { dtype: "float64" });
      opt.step();
      expect(relDiff(p.data, expected), `step ${step}`).toBeLessThan(1e-14);
    });
    expect(opt.stepCount).toBe(12);
  });

  it("equals the lookahead transformation around adam through fromTransform, and keeps the inner state across synchronisations", () => {
    const a = randomParams(1, "float64");
    const b = copyParams(a);
    const grads = randomGradients(2, 13, "float64");
    const cls = new Lookahead(new nb.optim.Adam(a, { lr: 0.05 }), { k: 4, alpha: 0.3 });
    const viaTx = nb.optim.fromTransform(b, lookahead(nb.optim.adam(0.05), { syncPeriod: 4, slowStepSize: 0.3 }));
    for (let k = 0; k < 13; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      cls.step();
      viaTx.step();
      a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThan(1e-11));
    }
    expect((cls.optimizer.stateDict().state[0] as { step: number }).step).toBe(13);
  });

  it("wraps SAM (passing the closure) and schedule-free optimizers (passing train/eval)", () => {
    const p = nb.tensor(W0, { dtype: "float64" });
    const la = new Lookahead(new SAM(new nb.optim.SGD([p], { lr: 0.1 })));
    expect(la.requiresClosure).toBe(true);
    const loss = la.step(() => {
      p.grad = nb.tensor(gradF(Array.from(p.data)), { dtype: "float64" });
      return 1.5;
    });
    expect(loss).toBe(1.5);
    const q = nb.tensor(W0, { dtype: "float64" });
    const sf = new SGDScheduleFree([q], { lr: 0.1 });
    const la2 = new Lookahead(sf, { k: 2 });
    expect(la2.requiresClosure).toBe(false);
    q.grad = nb.tensor(gradF(W0), { dtype: "float64" });
    la2.step();
    la2.eval();
    expect(sf.paramGroups[0].trainMode).toBe(false);
    la2.train();
    expect(sf.paramGroups[0].trainMode).toBe(true);
  });

  it("validates its options and round-trips its state dict exactly (inner state, slow weights, counter)", () => {
    const x = () => new nb.optim.SGD([nb.tensor([1], { dtype: "float64" })]);
    expect(() => new Lookahead(x(), { k: 0 })).toThrow(new RangeError("Lookahead: k must be an integer >= 1, got 0"));
    expect(() => new Lookahead(x(), { alpha: 1.5 })).toThrow("Lookahead: alpha must be in [0, 1], got 1.5");
    expect(() => lookahead(nb.optim.sgd(0.1), { syncPeriod: 2.5 })).toThrow("lookahead: syncPeriod must be an integer >= 1, got 2.5");
    const params = randomParams(3, "float32", [[4], [3]]);
    const grads = randomGradients(4, 11, "float32", [[4], [3]]);
    expectExactResume((ps) => new Lookahead(new nb.optim.Adam(ps, { lr: 0.05 }), { k: 3 }), params, grads, 4);
    expectExactResume((ps) => new Lookahead(new nb.optim.SGD(ps, { lr: 0.05, momentum: 0.9 }), { k: 4, alpha: 0.8 }), params, grads, 8);
    const opt = new Lookahead(new nb.optim.SGD(copyParams(params), { lr: 0.1 }));
    setGradients(opt.paramGroups[0].params, grads, 0);
    opt.step();
    const bad = opt.stateDict();
    bad.lookahead.slow[1] = new Float32Array(2);
    expect(() => opt.loadStateDict(bad)).toThrow("Lookahead.loadStateDict: lookahead.slow[1]: expected 3 numbers, got Float32Array of length 2");
    expect(opt.stepCount).toBe(1);
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 5000 steps (Adam lr 0.02 inside, k 10, alpha 0.5)", () => {
    const point = runRosenbrock((p) => new Lookahead(new nb.optim.Adam([p], { lr: 0.02 }), { k: 10 }), 5000);
    expect(distanceToMinimum(point)).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to at least 97% accuracy in 15 epochs (Adam lr 0.03 inside, defaults k 5, alpha 0.5)", async () => {
    const { accuracy } = await trainTwoMoons((ps) => new Lookahead(new nb.optim.Adam(ps, { lr: 0.03 })), 15);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
