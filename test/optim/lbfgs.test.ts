import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { LBFGS, type LBFGSOptions, type LBFGSState } from "../../src/optim/optimizers/LBFGS.js";
import type { OptimizerStateDict } from "../../src/optim/optimizer.js";

type DType = "float32" | "float64";

/** Rosenbrock f = (1 − x)² + 100(y − x²)² on a [2] tensor, with its gradient set by hand; counts calls. */
function rosenbrock(p: nb.Tensor): { closure: () => number; calls: () => number } {
  let calls = 0;
  return {
    closure: () => {
      calls++;
      const [x, y] = [p.data[0]!, p.data[1]!];
      const r = y - x * x;
      p.grad ??= nb.zeros([2], { dtype: p.dtype });
      p.grad.data[0] = -2 * (1 - x) - 400 * x * r;
      p.grad.data[1] = 200 * r;
      return (1 - x) ** 2 + 100 * r * r;
    },
    calls: () => calls,
  };
}

/** f = ½ Σ a_i x_i² (minimum 0 at x = 0), gradient a ⊙ x. */
function diagonalQuadratic(p: nb.Tensor, a: number[]): () => number {
  return () => {
    p.grad ??= nb.zeros(p.shape, { dtype: p.dtype });
    let f = 0;
    for (let i = 0; i < a.length; i++) {
      f += 0.5 * a[i]! * p.data[i]! ** 2;
      p.grad.data[i] = a[i]! * p.data[i]!;
    }
    return f;
  };
}

const distanceToOne = (p: nb.Tensor): number => Math.max(...Array.from(p.data, (v) => Math.abs(v - 1)));

describe("LBFGS options", () => {
  const x = () => nb.tensor([1, 2], { dtype: "float64" });

  it("fills torch's defaults, with maxEval = floor(maxIter·5/4)", () => {
    const group = new LBFGS([x()]).paramGroups[0]!;
    expect({ ...group, params: undefined }).toEqual({
      lr: 1,
      maxIter: 20,
      maxEval: 25,
      toleranceGrad: 1e-7,
      toleranceChange: 1e-9,
      historySize: 100,
      lineSearchFn: null,
      params: undefined,
    });
    expect(new LBFGS([x()], { maxIter: 10 }).paramGroups[0]!.maxEval).toBe(12);
    expect(new LBFGS([x()], { maxIter: 3 }).paramGroups[0]!.maxEval).toBe(3);
    expect(new LBFGS([x()], { maxIter: 3, maxEval: 7 }).paramGroups[0]!.maxEval).toBe(7);
  });

  it("rejects invalid options, naming them", () => {
    const bad: [Partial<LBFGSOptions>, RegExp][] = [
      [{ lr: -1 }, /LBFGS: lr must be >= 0, got -1/],
      [{ maxIter: 0 }, /LBFGS: maxIter must be an integer >= 1, got 0/],
      [{ maxIter: 2.5 }, /maxIter must be an integer/],
      [{ maxEval: 0 }, /maxEval must be an integer >= 1/],
      [{ toleranceGrad: -1e-3 }, /toleranceGrad must be >= 0/],
      [{ toleranceChange: NaN }, /toleranceChange must be >= 0, got NaN/],
      [{ historySize: 0 }, /historySize must be an integer >= 1/],
      [{ lineSearchFn: "backtracking" as never }, /lineSearchFn must be null or "strong_wolfe", got "backtracking"/],
    ];
    for (const [options, message] of bad) expect(() => new LBFGS([x()], options)).toThrow(message);
  });

  it("allows one parameter group only, of one dtype", () => {
    expect(() => new LBFGS([{ params: [x()] }, { params: [x()], lr: 0.1 }])).toThrow(/doesn't support per-parameter options \(parameter groups\)/);
    const opt = new LBFGS([x()]);
    expect(() => opt.addParamGroup({ params: [x()] })).toThrow(/parameter groups/);
    expect(opt.paramGroups).toHaveLength(1);
    expect(() => new LBFGS([x(), nb.tensor([1], { dtype: "float32" })])).toThrow(/one dtype .*params\[0\] is float64, params\[1\] is float32/);
    expect(() => new LBFGS([])).toThrow(/empty parameter list/);
  });
});

describe("LBFGS.step", () => {
  it("requires a closure returning the loss, and changes nothing when it is missing or bad", () => {
    const p = nb.tensor([-1.5, 2], { dtype: "float64" });
    const opt = new LBFGS([p]);
    expect(() => (opt.step as (c?: () => number) => number)()).toThrow(/LBFGS.step: a closure is required/);
    const { closure } = rosenbrock(p);
    expect(() => opt.step((() => void closure()) as unknown as () => number)).toThrow(/the closure must return the loss .*got undefined/);
    expect(Array.from(p.data)).toEqual([-1.5, 2]);
    expect(opt.state.size).toBe(0);
  });

  it("takes t = min(1, 1/Σ|g|)·lr along −g first, then the BFGS direction from one curvature pair", () => {
    // f = ½ Σ a x², so g = a ⊙ x; one iteration per step, no line search.
    const a = [1, 4, 2];
    const x0 = [1, -0.5, 0.25];
    const lr = 0.8;
    const p = nb.tensor(x0, { dtype: "float64" });
    const opt = new LBFGS([p], { lr, maxIter: 1 });
    const closure = diagonalQuadratic(p, a);

    const g0 = x0.map((v, i) => a[i]! * v); // [1, -2, 0.5], Σ|g| = 3.5
    const t0 = (1 / 3.5) * lr;
    const loss0 = opt.step(closure);
    expect(loss0).toBeCloseTo(0.5 * (1 + 4 * 0.25 + 2 * 0.0625), 15);
    const x1 = x0.map((v, i) => v - t0 * g0[i]!);
    Array.from(p.data).forEach((v, i) => expect(v).toBeCloseTo(x1[i]!, 14));

    // Second step: s = t0·(−g0), y = g1 − g0, ρ = 1/(y·s), H0 = (y·s)/(y·y)·I,
    // H = (I − ρ s yᵀ) H0 (I − ρ y sᵀ) + ρ s sᵀ, d = −H g1, x2 = x1 + lr·d.
    const g1 = x1.map((v, i) => a[i]! * v);
    const s = g0.map((g) => -t0 * g);
    const y = g1.map((g, i) => g - g0[i]!);
    const dotv = (u: number[], v: number[]): number => u.reduce((acc, ui, i) => acc + ui * v[i]!, 0);
    const rho = 1 / dotv(y, s);
    const h0 = dotv(y, s) / dotv(y, y);
    const n = a.length;
    const eye = (i: number, j: number): number => (i === j ? 1 : 0);
    const left = (i: number, j: number): number => eye(i, j) - rho * s[i]! * y[j]!;
    const H = (i: number, j: number): number => {
      let acc = rho * s[i]! * s[j]!;
      for (let k = 0; k < n; k++) acc += left(i, k) * h0 * left(j, k);
      return acc;
    };
    const d = Array.from({ length: n }, (_, i) => -Array.from({ length: n }, (_, j) => H(i, j) * g1[j]!).reduce((u, v) => u + v, 0));
    const loss1 = opt.step(closure);
    expect(loss1).toBeCloseTo(0.5 * dotv(a, x1.map((v) => v * v)), 14);
    Array.from(p.data).forEach((v, i) => expect(v).toBeCloseTo(x1[i]! + lr * d[i]!, 13));

    const st = opt.state.get(p)!;
    expect(st.funcEvals).toBe(2);
    expect(st.nIter).toBe(2);
    expect(st.ro).toHaveLength(1);
    expect(st.ro![0]).toBeCloseTo(rho, 10);
    expect(st.hDiag).toBeCloseTo(h0, 14);
  });

  it("returns at once, with one evaluation and nothing moved, when max|g| <= toleranceGrad", () => {
    const p = nb.tensor([0, 0], { dtype: "float64" });
    const opt = new LBFGS([p]);
    let calls = 0;
    const loss = opt.step(() => {
      calls++;
      return diagonalQuadratic(p, [1, 2])() + 3;
    });
    expect(loss).toBe(3);
    expect(calls).toBe(1);
    expect(Array.from(p.data)).toEqual([0, 0]);
    expect(opt.state.get(p)).toMatchObject({ funcEvals: 1, nIter: 0, d: null, oldDirs: null });
  });

  it("without line search evaluates maxIter times per step at most (not after the last iteration), and stops at maxEval", () => {
    const p = nb.tensor([-1, 1.5], { dtype: "float64" });
    const r = rosenbrock(p);
    const opt = new LBFGS([p], { lr: 0.1, maxIter: 4 });
    opt.step(r.closure);
    expect(r.calls()).toBe(4); // the initial evaluation and one after each of iterations 1..3
    expect(opt.state.get(p)).toMatchObject({ funcEvals: 4, nIter: 4 });

    const q = nb.tensor([-1, 1.5], { dtype: "float64" });
    const rq = rosenbrock(q);
    const capped = new LBFGS([q], { lr: 0.1, maxIter: 10, maxEval: 3 });
    capped.step(rq.closure);
    expect(rq.calls()).toBe(3);
    expect(capped.state.get(q)).toMatchObject({ funcEvals: 3, nIter: 2 });
  });

  it("keeps at most historySize curvature pairs", () => {
    const p = nb.tensor([-1.2, 1], { dtype: "float64" });
    const opt = new LBFGS([p], { historySize: 3, lineSearchFn: "strong_wolfe" });
    opt.step(rosenbrock(p).closure);
    const st = opt.state.get(p)!;
    expect(st.nIter).toBeGreaterThan(5);
    expect(st.oldDirs).toHaveLength(3);
    expect(st.oldStps).toHaveLength(3);
    expect(st.ro).toHaveLength(3);
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-6 of (1, 1) in 3 steps with strong Wolfe (float64)", () => {
    const p = nb.tensor([-1.5, 2], { dtype: "float64" });
    const { closure } = rosenbrock(p);
    // toleranceChange 1e-14: with the default 1e-9, |Δloss| < 1e-9 ends the
    // search once the loss is about 1e-10, 2.7e-6 away from (1, 1).
    const opt = new LBFGS([p], { lineSearchFn: "strong_wolfe", toleranceChange: 1e-14 });
    const losses = [0, 1, 2].map(() => opt.step(closure));
    expect(distanceToOne(p)).toBeLessThan(1e-6);
    expect(losses[0]).toBeCloseTo(2.5 ** 2 + 100 * (2 - 2.25) ** 2, 12); // the loss at the start
    expect(losses[1]!).toBeLessThan(losses[0]!);
    expect(losses[2]!).toBeLessThan(losses[1]!);
  });

  it("works in float32: buffers in float32, Rosenbrock solved to float32 precision", () => {
    const p = nb.tensor([-1.5, 2], { dtype: "float32" });
    const opt = new LBFGS([p], { lineSearchFn: "strong_wolfe", toleranceChange: 1e-12 });
    const { closure } = rosenbrock(p);
    for (let k = 0; k < 3; k++) opt.step(closure);
    expect(p.data).toBeInstanceOf(Float32Array);
    expect(distanceToOne(p)).toBeLessThan(1e-5);
    const st = opt.state.get(p)!;
    expect(st.d).toBeInstanceOf(Float32Array);
    expect(st.prevFlatGrad).toBeInstanceOf(Float32Array);
    expect(st.oldDirs![0]).toBeInstanceOf(Float32Array);
  });

  it("optimises several tensors as one flat vector through autograd, with a closure returning a Tensor", () => {
    const target = [
      [0.5, -1, 2],
      [3, 0, -0.25],
    ];
    const W = nb.zeros([2, 3], { dtype: "float64", requiresGrad: true });
    const v = nb.zeros([2], { dtype: "float64", requiresGrad: true });
    const tW = nb.tensor(target, { dtype: "float64" });
    const tv = nb.tensor([1, -2], { dtype: "float64" });
    const opt = new LBFGS([W, v], { lineSearchFn: "strong_wolfe", toleranceChange: 1e-15 });
    const closure = (): nb.Tensor => {
      opt.zeroGrad();
      const dW = W.sub(tW);
      const dv = v.sub(tv);
      const loss = dW.mul(dW).sum().add(dv.mul(dv).sum().mul(3));
      loss.backward();
      return loss;
    };
    const first = opt.step(closure);
    expect(first).toBeCloseTo(target.flat().reduce((s, t) => s + t * t, 0) + 3 * 5, 12);
    opt.step(closure);
    // It stops once max|g| <= toleranceGrad (1e-7); the gradient is 2·ΔW and
    // 6·Δv, so every element is then within 5e-8 of its target.
    Array.from(W.data).forEach((w, i) => expect(Math.abs(w - target.flat()[i]!)).toBeLessThanOrEqual(5e-8));
    expect(Math.abs(v.data[0]! - 1)).toBeLessThanOrEqual(5e-8);
    expect(Math.abs(v.data[1]! + 2)).toBeLessThanOrEqual(5e-8);
  });

  it("restores the parameters and keeps its state when the closure throws mid-step", () => {
    const p = nb.tensor([-1.5, 2], { dtype: "float64" });
    const { closure } = rosenbrock(p);
    const opt = new LBFGS([p], { lineSearchFn: "strong_wolfe" });
    opt.step(closure);
    const before = opt.stateDict();
    const values = Array.from(p.data);
    let calls = 0;
    expect(() =>
      opt.step(() => {
        if (++calls === 3) throw new Error("boom");
        return closure();
      }),
    ).toThrow("boom");
    expect(Array.from(p.data)).toEqual(values);
    expect(opt.stateDict()).toEqual(before);
  });
});

/** A state dict with typed arrays turned into number arrays, through JSON. */
function throughJson(sd: OptimizerStateDict): OptimizerStateDict {
  return JSON.parse(JSON.stringify(sd, (_k, v: unknown) => (v instanceof Float32Array || v instanceof Float64Array ? Array.from(v) : v))) as OptimizerStateDict;
}

describe("LBFGS state dict", () => {
  const configs: { name: string; dtype: DType; options: Partial<LBFGSOptions> }[] = [
    { name: "strong Wolfe, short history", dtype: "float64", options: { lineSearchFn: "strong_wolfe", historySize: 3, maxIter: 4 } },
    { name: "fixed step", dtype: "float64", options: { lr: 0.1, maxIter: 5 } },
    { name: "strong Wolfe, float32", dtype: "float32", options: { lineSearchFn: "strong_wolfe", maxIter: 3 } },
  ];
  for (const { name, dtype, options } of configs) {
    it(`round-trips exactly: save after 2 steps, load into a fresh optimizer, continue == uninterrupted (${name})`, () => {
      const run = (p: nb.Tensor, opt: LBFGS, steps: number): number[] => {
        const { closure } = rosenbrock(p);
        return Array.from({ length: steps }, () => opt.step(closure));
      };
      const p = nb.tensor([-1.2, 1], { dtype });
      const opt = new LBFGS([p], options);
      const lossesA = run(p, opt, 5);

      const q = nb.tensor([-1.2, 1], { dtype });
      const first = new LBFGS([q], options);
      const lossesB = run(q, first, 2);
      const saved = throughJson(first.stateDict());
      const resumed = new LBFGS([q], {});
      resumed.loadStateDict(saved);
      expect(resumed.paramGroups[0]).toMatchObject(options);
      lossesB.push(...run(q, resumed, 3));

      expect(lossesB).toEqual(lossesA);
      expect(Array.from(q.data)).toEqual(Array.from(p.data));
      expect(resumed.stateDict()).toEqual(opt.stateDict());
    });
  }

  it("keeps the global state in parameter 0's slot, created by the first step", () => {
    const p = nb.tensor([-1.2, 1], { dtype: "float64" });
    const w = nb.tensor([0.5], { dtype: "float64" });
    const opt = new LBFGS([p, w]);
    expect(opt.stateDict().state).toEqual({});
    const { closure } = rosenbrock(p);
    opt.step(() => {
      w.grad = nb.tensor([w.data[0]!], { dtype: "float64" });
      return closure() + 0.5 * w.data[0]! ** 2;
    });
    const state = opt.stateDict().state;
    expect(Object.keys(state)).toEqual(["0"]);
    expect((state[0] as LBFGSState).d).toHaveLength(3); // flat over both tensors
  });

  it("rejects a malformed state and changes nothing", () => {
    const p = nb.tensor([-1.2, 1], { dtype: "float64" });
    const opt = new LBFGS([p], { lineSearchFn: "strong_wolfe", maxIter: 3 });
    opt.step(rosenbrock(p).closure);
    opt.step(rosenbrock(p).closure);
    const good = throughJson(opt.stateDict());
    const with0 = (patch: Record<string, unknown>): OptimizerStateDict => ({ ...good, state: { 0: { ...(good.state[0] as object), ...patch } as LBFGSState } });
    const s0 = good.state[0] as unknown as { oldStps: number[][] };
    const bad: [OptimizerStateDict, RegExp][] = [
      [with0({ d: [1, 2, 3] }), /state\[0\]\.d: expected 2 numbers, got an array of length 3/],
      [with0({ oldStps: s0.oldStps.slice(1) }), /oldDirs, oldStps and ro must have the same length/],
      [with0({ nIter: 0 }), /\.t: expected null while nIter is 0/],
      [with0({ nIter: -1 }), /nIter: expected an integer >= 0, got -1/],
      [with0({ hDiag: "1" }), /hDiag: expected a number, got string/],
      [with0({ extra: 1 }), /expected keys \[funcEvals, nIter, t, hDiag/],
      [{ ...good, state: { 1: good.state[0]! } }, /saved state for parameter 1, which no saved group lists/],
      [{ ...good, paramGroups: [{ ...good.paramGroups[0]!, lineSearchFn: "armijo" }] }, /lineSearchFn must be null or "strong_wolfe"/],
    ];
    const before = opt.stateDict();
    for (const [sd, message] of bad) {
      expect(() => opt.loadStateDict(sd)).toThrow(message);
      expect(opt.stateDict()).toEqual(before);
    }
  });
});
