// SAM and ASAM (Foret et al. 2021; Kwon et al. 2021): step by step against
// the paper's Algorithm 1, the manual first/second-step API, closures,
// checkpoints, validation, Rosenbrock and two moons through nb.fit.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { SAM } from "../../src/optim/optimizers/SAM.js";
import { relDiff } from "./helpers.js";
import { distanceToMinimum, runRosenbrock, trainTwoMoons } from "./problems-c.js";

const A = [1, 2, 0.5, 3, 1.5];
const B = [0.5, -1, 2, 0.25, -0.75];
const W0 = [1, 0.5, -1, 2, -0.3];
const f = (w: readonly number[]) => w.reduce((acc, wi, i) => acc + 0.5 * A[i] * (wi - B[i]) ** 2 + 0.025 * wi ** 4, 0);
const gradF = (w: readonly number[]) => w.map((wi, i) => A[i] * (wi - B[i]) + 0.1 * wi ** 3);

/** A closure on `p`: zeroes the gradient, sets ∇f at p, returns f(p) (as nb.fit's does with backward). */
function closureFor(p: nb.Tensor, calls: number[][] = []): () => number {
  return () => {
    const w = Array.from(p.data);
    calls.push(w);
    p.grad = nb.tensor(gradF(w), { dtype: "float64" });
    return f(w);
  };
}

/**
 * The paper's Algorithm 1 with SGD as the base: g = ∇f(w),
 * ε̂ = ρ·T²g/‖Tg‖₂ (T = I, or diag|w| for ASAM), w ← w − η∇f(w + ε̂).
 */
function reference(lr: number, rho: number, adaptive: boolean, steps: number): number[][] {
  let w = W0.slice();
  const out: number[][] = [];
  for (let t = 0; t < steps; t++) {
    const g = gradF(w);
    const t2 = w.map((wi) => (adaptive ? wi * wi : 1));
    const norm = Math.sqrt(g.reduce((a, gi, i) => a + t2[i] * gi * gi, 0));
    const e = g.map((gi, i) => (rho * t2[i] * gi) / norm);
    const gSam = gradF(w.map((wi, i) => wi + e[i]));
    w = w.map((wi, i) => wi - lr * gSam[i]);
    out.push(w);
  }
  return out;
}

describe("SAM", () => {
  for (const adaptive of [false, true]) {
    it(`follows the paper's Algorithm 1 step by step with SGD as the base (float64${adaptive ? ", adaptive (ASAM)" : ""})`, () => {
      const p = nb.tensor(W0, { dtype: "float64" });
      const rho = adaptive ? 0.5 : 0.1;
      const opt = new SAM(new nb.optim.SGD([p], { lr: 0.05 }), { rho, adaptive });
      const ref = reference(0.05, rho, adaptive, 6);
      const calls: number[][] = [];
      for (let k = 0; k < 6; k++) {
        const before = Array.from(p.data);
        const loss = opt.step(closureFor(p, calls));
        expect(loss).toBe(f(before));
        expect(relDiff(p.data, ref[k]), `step ${k}`).toBeLessThan(1e-13);
      }
      // Two evaluations per step: at w, then at the perturbed point at distance ρ (in the T⁻¹ metric).
      expect(calls).toHaveLength(12);
      const w0 = calls[0];
      const e = calls[1].map((v, i) => (v - w0[i]) / (adaptive ? Math.abs(w0[i]) : 1));
      expect(Math.hypot(...e)).toBeCloseTo(rho, 12);
      expect(opt.stepCount).toBe(6);
    });
  }

  it("firstStep/secondStep by hand equal step(closure)", () => {
    const a = nb.tensor(W0, { dtype: "float64" });
    const b = nb.tensor(W0, { dtype: "float64" });
    const optA = new SAM(new nb.optim.Adam([a], { lr: 0.1 }), { rho: 0.2 });
    const optB = new SAM(new nb.optim.Adam([b], { lr: 0.1 }), { rho: 0.2 });
    for (let k = 0; k < 5; k++) {
      optA.step(closureFor(a));
      closureFor(b)();
      optB.firstStep();
      closureFor(b)();
      optB.secondStep();
    }
    expect(Array.from(b.data)).toEqual(Array.from(a.data));
  });

  it("requires a closure, and leaves the weights at w when the second evaluation throws", () => {
    const p = nb.tensor(W0, { dtype: "float64" });
    const opt = new SAM(new nb.optim.SGD([p], { lr: 0.1 }));
    expect(() => (opt.step as () => number)()).toThrow(/SAM.step: a closure is required/);
    let n = 0;
    const failing = () => {
      if (n++ === 1) throw new Error("boom");
      return closureFor(p)();
    };
    expect(() => opt.step(failing)).toThrow("boom");
    expect(Array.from(p.data)).toEqual(W0);
    expect(opt.requiresClosure).toBe(true);
  });

  it("validates its options and round-trips its state dict (base optimizer's plus rho, adaptive) exactly", () => {
    const p = () => nb.tensor(W0, { dtype: "float64" });
    expect(() => new SAM(new nb.optim.SGD([p()]), { rho: -1 })).toThrow(new RangeError("SAM: rho must be >= 0, got -1"));
    expect(() => new SAM(new nb.optim.SGD([p()]), { adaptive: "yes" as unknown as boolean })).toThrow(TypeError);
    expect(() => new SAM({} as never)).toThrow(/SAM: expected an optimizer to wrap/);
    const make = (w: nb.Tensor) => new SAM(new nb.optim.Adam([w], { lr: 0.05 }), { rho: 0.1, adaptive: true });
    const [a, b] = [p(), p()];
    const optA = make(a);
    const optB = make(b);
    for (let k = 0; k < 3; k++) {
      optA.step(closureFor(a));
      optB.step(closureFor(b));
    }
    const sd = JSON.parse(JSON.stringify(optB.stateDict(), (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
    expect(sd.sam).toEqual({ rho: 0.1, adaptive: true });
    const c = nb.tensor(b.data, { dtype: "float64" });
    const optC = new SAM(new nb.optim.Adam([c], { lr: 0.05 }));
    optC.loadStateDict(sd);
    expect(optC.rho).toBe(0.1);
    for (let k = 0; k < 3; k++) {
      optA.step(closureFor(a));
      optC.step(closureFor(c));
    }
    expect(Array.from(c.data)).toEqual(Array.from(a.data));
    expect(() => optC.loadStateDict({ ...sd, sam: { rho: -2, adaptive: false } })).toThrow("SAM.loadStateDict: sam.rho must be >= 0, got -2");
    expect(optC.rho).toBe(0.1);
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 5000 steps (Adam lr 0.01, rho 1e-4)", () => {
    // SAM's fixed point is where ∇f(w + ρĝ) = 0: within ρ of the minimum.
    const point = runRosenbrock((p) => new SAM(new nb.optim.Adam([p], { lr: 0.01 }), { rho: 1e-4 }), 5000, { closure: true });
    expect(distanceToMinimum(point)).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP through nb.fit (which passes a closure) to at least 97% accuracy in 15 epochs (Adam lr 0.03, rho 0.05)", async () => {
    const { accuracy, history } = await trainTwoMoons((ps) => new SAM(new nb.optim.Adam(ps, { lr: 0.03 })), 15);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
    expect(history.steps[0]!.loss).toBeGreaterThan(history.steps.at(-1)!.loss);
  });
});
