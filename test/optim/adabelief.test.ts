// AdaBelief: scaleByBelief against hand values, the class and the alias
// against a loop written from the paper's Algorithm 2, fused == chain,
// round trips, validation, Rosenbrock and two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { adabelief } from "../../src/optim/aliases/adabelief.js";
import { AdaBelief } from "../../src/optim/optimizers/AdaBelief.js";
import { scaleByBelief } from "../../src/optim/transforms/scaleByBelief.js";
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

const make: Make = (params, options) => new AdaBelief(params, options);

/**
 * Zhuang et al. 2020, Algorithm 2 (AdaBelief), with decoupled weight decay
 * θ ← θ − α·λ·θ: m ← β1·m + (1−β1)·g, s ← β2·s + (1−β2)·(g − m)² + ε,
 * m̂ = m/(1−β1^t), ŝ = s/(1−β2^t), θ ← θ − α·m̂/(√ŝ + ε).
 */
function paperAdaBelief(start: Values, grads: Values[], lr: number, b1: number, b2: number, eps: number, wd: number): Values[] {
  const theta = start.map((v) => Float64Array.from(v));
  const m = start.map((v) => new Float64Array(v.length));
  const s = start.map((v) => new Float64Array(v.length));
  return grads.map((gs, k) => {
    const t = k + 1;
    gs.forEach((g, l) => {
      for (let i = 0; i < g.length; i++) {
        m[l][i] = b1 * m[l][i] + (1 - b1) * g[i];
        s[l][i] = b2 * s[l][i] + (1 - b2) * (g[i] - m[l][i]) ** 2 + eps;
        const mHat = m[l][i] / (1 - b1 ** t);
        const sHat = s[l][i] / (1 - b2 ** t);
        theta[l][i] = theta[l][i] - lr * wd * theta[l][i] - (lr * mHat) / (Math.sqrt(sHat) + eps);
      }
    });
    return theta.map((a) => Float64Array.from(a));
  });
}

describe("scaleByBelief", () => {
  it("first step: s = (1−b2)·(b1·g)², so u = sign(g)/b1 when eps = epsRoot = 0", () => {
    const tx = scaleByBelief({ eps: 0, epsRoot: 0 });
    const p = { data: new Float64Array(2), shape: [2] };
    const state = tx.init([p]);
    const u = Float64Array.of(4, -0.01);
    tx.update([u], state, [p]);
    expect(u[0]).toBeCloseTo(1 / 0.9, 14);
    expect(u[1]).toBeCloseTo(-1 / 0.9, 14);
    expect(state.nu[0][0]).toBeCloseTo((1 - 0.999) * (0.9 * 4) ** 2, 15);
  });

  it("takes steps larger than Adam's (1) while the gradient matches its prediction, smaller when it flips", () => {
    const [b1, b2, eps, epsRoot] = [0.9, 0.999, 1e-16, 1e-16];
    const tx = scaleByBelief();
    const p = { data: new Float64Array(1), shape: [1] };
    const state = tx.init([p]);
    let last = 0;
    for (let k = 0; k < 20; k++) {
      const u = Float64Array.of(1);
      tx.update([u], state, [p]);
      last = u[0];
    }
    // g = 1 throughout: m_j = 1 − b1^j, so g − m_j = b1^j, m̂ = 1 and
    // s_20 = Σ_j b2^(20−j)·((1−b2)·b1^(2j) + epsRoot).
    let s20 = 0;
    for (let j = 1; j <= 20; j++) s20 += b2 ** (20 - j) * ((1 - b2) * b1 ** (2 * j) + epsRoot);
    expect(last).toBeCloseTo(1 / (Math.sqrt(s20 / (1 - b2 ** 20)) + eps), 12);
    expect(last).toBeGreaterThan(2);
    // A surprising g = −1: s grows (g − m = −1.69), so the step shrinks
    // (it still follows m, which stays positive).
    const flip = Float64Array.of(-1);
    tx.update([flip], state, [p]);
    expect(flip[0]).toBeGreaterThan(0);
    expect(flip[0]).toBeLessThan(0.7 * last);
  });

  it("validates b1, b2, eps and epsRoot", () => {
    expect(() => scaleByBelief({ b2: 1 })).toThrow(new RangeError("scaleByBelief: b2 must be in [0, 1), got 1"));
    expect(() => scaleByBelief({ epsRoot: -1 })).toThrow(new RangeError("scaleByBelief: epsRoot must be >= 0, got -1"));
  });
});

describe("AdaBelief", () => {
  const { start, grads } = referenceProblem(6);

  it("follows the paper's Algorithm 2 step by step (float64, 6 steps, eps 1e-8, decoupled decay 0.1)", () => {
    const expected = paperAdaBelief(start, grads, 0.01, 0.9, 0.999, 1e-8, 0.1);
    expectFollowsReference((p) => new AdaBelief(p, { lr: 0.01, eps: 1e-8, weightDecay: 0.1 }), start, grads, expected);
    expectFollowsReference((p) => Object.assign(new AdaBelief(p, { lr: 0.01, eps: 1e-8, weightDecay: 0.1 }), { fused: false }), start, grads, expected);
  });

  it("follows it with the defaults (lr 1e-3, betas [0.9, 0.999], eps 1e-16), as does the adabelief alias", () => {
    const expected = paperAdaBelief(start, grads, 1e-3, 0.9, 0.999, 1e-16, 0);
    expectFollowsReference((p) => new AdaBelief(p), start, grads, expected);
    expectFollowsReference(viaAlias(adabelief(1e-3)), start, grads, expected);
  });

  const configs = [{ lr: 0.01 }, { lr: 0.01, betas: [0.8, 0.99], eps: 1e-6, weightDecay: 0.1, maximize: true }];
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
    expect(() => new AdaBelief(x(), { lr: -1 })).toThrow(new RangeError("AdaBelief: lr must be >= 0, got -1"));
    expect(() => new AdaBelief(x(), { eps: -1 })).toThrow(new RangeError("AdaBelief: eps must be >= 0, got -1"));
    expect(() => new AdaBelief(x(), { betas: [0.9, 1] })).toThrow(new RangeError("AdaBelief: betas[1] must be in [0, 1), got 1"));
    expect(() => new AdaBelief(x(), { weightDecay: -1 })).toThrow(new RangeError("AdaBelief: weightDecay must be >= 0, got -1"));
    expect(() => new AdaBelief(x(), { maximize: "no" as unknown as boolean })).toThrow(new TypeError('AdaBelief: maximize must be a boolean, got "no"'));
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 2500 steps (constant lr 5e-3, betas [0.9, 0.99])", () => {
    expect(rosenbrockDistance((p) => new AdaBelief(p, { lr: 5e-3, betas: [0.9, 0.99] }), 2500)).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to >= 95% test accuracy in 20 epochs (lr 1e-2)", async () => {
    expect(await twoMoonsAccuracy((p) => new AdaBelief(p, { lr: 1e-2 }))).toBeGreaterThanOrEqual(0.95);
  });
});
