// NovoGrad: scaleByNovograd against hand values, the class and the alias
// against a loop written from the paper's Algorithm 1, fused == chain,
// round trips, validation, Rosenbrock and two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { novograd } from "../../src/optim/aliases/novograd.js";
import { NovoGrad } from "../../src/optim/optimizers/NovoGrad.js";
import { scaleByNovograd } from "../../src/optim/transforms/scaleByNovograd.js";
import {
  cosine,
  expectExactRoundTrip,
  expectFollowsReference,
  expectFusedMatchesChain,
  norm,
  referenceProblem,
  rosenbrockDistance,
  twoMoonsAccuracy,
  viaAlias,
  type Make,
  type Values,
} from "./paramwiseChecks.js";

const make: Make = (params, options) => new NovoGrad(params, options);

/**
 * Ginsburg et al. 2019, Algorithm 1 (NovoGrad), per layer w:
 * t = 1: v = ‖g‖², m = g/(√v + ε) + d·w; then v ← β2·v + (1−β2)·‖g‖²,
 * m ← β1·m + (g/(√v + ε) + d·w); w ← w − λ·m.
 */
function paperNovoGrad(start: Values, grads: Values[], lr: number, b1: number, b2: number, eps: number, wd: number): Values[] {
  const w = start.map((a) => Float64Array.from(a));
  const m = start.map((a) => new Float64Array(a.length));
  const v = start.map(() => 0);
  return grads.map((gs, k) => {
    gs.forEach((g, l) => {
      const sq = norm(g) ** 2;
      v[l] = k === 0 ? sq : b2 * v[l] + (1 - b2) * sq;
      for (let i = 0; i < g.length; i++) {
        const normalised = g[i] / (Math.sqrt(v[l]) + eps) + wd * w[l][i];
        m[l][i] = k === 0 ? normalised : b1 * m[l][i] + normalised;
        w[l][i] -= lr * m[l][i];
      }
    });
    return w.map((a) => Float64Array.from(a));
  });
}

describe("scaleByNovograd", () => {
  it("normalises each layer's gradient by its running norm before the momentum", () => {
    const tx = scaleByNovograd({ eps: 0, b1: 0.5, b2: 0.5 });
    const params = [
      { data: new Float64Array(2), shape: [2] },
      { data: new Float64Array(1), shape: [1] },
    ];
    const state = tx.init(params);
    const u = [Float64Array.of(3, 4), Float64Array.of(-10)];
    tx.update(u, state, params);
    // Step 1: v = ‖g‖² per layer, so each layer's update has unit norm.
    expect(Array.from(state.nu)).toEqual([25, 100]);
    expect(u[0][0]).toBeCloseTo(0.6, 15);
    expect(u[0][1]).toBeCloseTo(0.8, 15);
    expect(u[1][0]).toBeCloseTo(-1, 15);
    const u2 = [Float64Array.of(0, 0), Float64Array.of(-20)];
    tx.update(u2, state, params);
    // Step 2: v = 0.5·25 + 0 for the first layer, 0.5·100 + 0.5·400 = 250 for the second.
    expect(Array.from(state.nu)).toEqual([12.5, 250]);
    expect(u2[0][0]).toBeCloseTo(0.3, 15);
    expect(u2[0][1]).toBeCloseTo(0.4, 15);
    expect(u2[1][0]).toBeCloseTo(-0.5 - 20 / Math.sqrt(250), 15);
  });

  it("adds weight decay inside the momentum and needs the parameters only then", () => {
    const tx = scaleByNovograd({ eps: 0, weightDecay: 0.1 });
    const params = [{ data: Float64Array.of(2), shape: [1] }];
    const u = [Float64Array.of(5)];
    tx.update(u, tx.init(params), params);
    expect(u[0][0]).toBeCloseTo(1 + 0.1 * 2, 15);
    expect(() => tx.update([Float64Array.of(1)], tx.init(params))).toThrow(/scaleByNovograd: this transformation needs the parameters/);
    expect(() => scaleByNovograd({ b2: 1 })).toThrow(new RangeError("scaleByNovograd: b2 must be in [0, 1), got 1"));
  });
});

describe("NovoGrad", () => {
  const { start, grads } = referenceProblem(6);

  it("follows the paper's Algorithm 1 step by step (float64, 6 steps, weight decay 0.01)", () => {
    const expected = paperNovoGrad(start, grads, 0.01, 0.95, 0.98, 1e-8, 0.01);
    expectFollowsReference((p) => new NovoGrad(p, { lr: 0.01, weightDecay: 0.01 }), start, grads, expected);
    expectFollowsReference((p) => Object.assign(new NovoGrad(p, { lr: 0.01, weightDecay: 0.01 }), { fused: false }), start, grads, expected);
  });

  it("follows it with optax's defaults through the novograd alias (b1 0.9, b2 0.25, eps 1e-6)", () => {
    expectFollowsReference(viaAlias(novograd(0.01)), start, grads, paperNovoGrad(start, grads, 0.01, 0.9, 0.25, 1e-6, 0));
  });

  it("keeps one number per parameter tensor for the second moment", () => {
    const p = nb.zeros([2, 3]);
    const opt = new NovoGrad([p]);
    p.grad = nb.ones([2, 3]);
    opt.step();
    const s = opt.state.get(p)!;
    expect(s.expAvgSq).toBe(6);
    expect(s.expAvg).toBeInstanceOf(Float32Array);
    expect(s.step).toBe(1);
  });

  const configs = [{ lr: 0.01 }, { lr: 0.01, betas: [0.8, 0.5], eps: 1e-3, weightDecay: 0.1, maximize: true }];
  for (const config of configs) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`fused kernel == chain ${JSON.stringify(config)} [${dtype}]`, () => expectFusedMatchesChain(make, config, dtype));
    }
    for (const json of [false, true]) {
      it(`state dict round trip is exact ${JSON.stringify(config)}${json ? " (through JSON)" : ""}`, () => expectExactRoundTrip(make, config, json));
    }
  }

  it("validates its options, and checks the saved second moment is a number", () => {
    const x = () => [nb.tensor([1, 2])];
    expect(() => new NovoGrad(x(), { lr: -1 })).toThrow(new RangeError("NovoGrad: lr must be >= 0, got -1"));
    expect(() => new NovoGrad(x(), { eps: -1 })).toThrow(new RangeError("NovoGrad: eps must be >= 0, got -1"));
    expect(() => new NovoGrad(x(), { betas: [1, 0.9] })).toThrow(new RangeError("NovoGrad: betas[0] must be in [0, 1), got 1"));
    expect(() => new NovoGrad(x(), { weightDecay: -1 })).toThrow(new RangeError("NovoGrad: weightDecay must be >= 0, got -1"));
    const p = nb.tensor([1, 2]);
    const opt = new NovoGrad([p]);
    p.grad = nb.tensor([1, 1]);
    opt.step();
    const sd = opt.stateDict();
    (sd.state[0] as Record<string, unknown>).expAvgSq = [2];
    expect(() => new NovoGrad([nb.tensor([1, 2])]).loadStateDict(sd)).toThrow(/state\[0\]\.expAvgSq: expected a number/);
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 1500 steps (lr 3e-3 cosine-decayed to 0)", () => {
    expect(rosenbrockDistance((p) => new NovoGrad(p, { lr: 3e-3 }), 1500, cosine(3e-3, 1500))).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to >= 95% test accuracy in 20 epochs (lr 3e-2)", async () => {
    expect(await twoMoonsAccuracy((p) => new NovoGrad(p, { lr: 3e-2 }))).toBeGreaterThanOrEqual(0.95);
  });
});
