// SM3: the class, transformation and alias against a float64 reference
// written from the paper's SM3-II (covers = the slices along each axis) with
// optax's momentum, the step against the chain, state dicts, validation,
// Rosenbrock, two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { sm3 } from "../../src/optim/aliases/sm3.js";
import { SM3, type SM3Options } from "../../src/optim/optimizers/SM3.js";
import { scaleBySm3 } from "../../src/optim/transforms/scaleBySm3.js";
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

type RefOptions = { lr: number; momentum: number; beta2: number; eps: number; maximize: boolean };

/**
 * Anil et al. 2019, SM3-II: each element's accumulator is the smallest of
 * its covers' plus g² (`ν'ᵢ = min_{r∋i} μ_r + gᵢ²`), each cover keeps the
 * largest of its elements' (`μ_r = max_{i∈r} ν'ᵢ`); the step is momentum
 * (optax's EMA) of `g/√(ν' + ε)`. Covers: one per index of every axis
 * (2 or more dimensions), one per element otherwise. With β₂ < 1:
 * `ν'ᵢ = (1−β₂)gᵢ² + β₂·min_{r∋i} μ_r`.
 */
function sm3Reference(shape: number[], p0: number[], grads: Float64Array[], o: RefOptions): number[][] {
  const p = p0.slice();
  const n = p.length;
  const axes = shape.length >= 2 ? shape : [n];
  const covers = axes.map((s) => new Array<number>(s).fill(0));
  const strides = axes.map((_, r) => axes.slice(r + 1).reduce((a, b) => a * b, 1));
  const coverOf = (i: number, r: number): number => Math.floor(i / strides[r]) % axes[r];
  const mom = p.map(() => 0);
  const c = o.beta2 === 1 ? 1 : 1 - o.beta2;
  return grads.map((raw) => {
    const g = Array.from(raw, (x) => (o.maximize ? -x : x));
    const nu = g.map((gi, i) => c * gi * gi + o.beta2 * Math.min(...axes.map((_, r) => covers[r][coverOf(i, r)])));
    covers.forEach((cover, r) => cover.forEach((_, k) => (cover[k] = Math.max(0, ...nu.filter((_v, i) => coverOf(i, r) === k)))));
    for (let i = 0; i < n; i++) {
      const update = nu[i] > 0 ? g[i] / Math.sqrt(nu[i] + o.eps) : 0;
      mom[i] = o.momentum * mom[i] + (1 - o.momentum) * update;
      p[i] -= o.lr * mom[i];
    }
    return p.slice();
  });
}

const DEFAULTS: RefOptions = { lr: 0.1, momentum: 0.9, beta2: 1, eps: 1e-8, maximize: false };

describe("SM3 against a float64 reference from the paper's algorithm (6 steps)", () => {
  const cases: { name: string; shape: number[]; options: Partial<SM3Options>; ref: Partial<RefOptions> }[] = [
    { name: "matrix, defaults", shape: [3, 4], options: {}, ref: {} },
    { name: "vector (Adagrad with momentum)", shape: [5], options: { lr: 0.5 }, ref: { lr: 0.5 } },
    { name: "3-D, no momentum", shape: [2, 3, 2], options: { momentum: 0 }, ref: { momentum: 0 } },
    {
      name: "matrix, EMA accumulators, maximize, eps",
      shape: [4, 3],
      options: { lr: 0.3, beta2: 0.9, maximize: true, eps: 0.01, momentum: 0.5 },
      ref: { lr: 0.3, beta2: 0.9, maximize: true, eps: 0.01, momentum: 0.5 },
    },
  ];
  for (const { name, shape, options, ref } of cases) {
    it(name, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const grads = referenceGradients(41, 6, n);
      const p0 = Array.from(nb.randn([n], { generator: new nb.Generator(42), dtype: "float64" }).data);
      const expected = sm3Reference(shape, p0, grads, { ...DEFAULTS, ...ref });
      for (const fused of [true, false]) {
        const p = nb.tensor(p0, { dtype: "float64" }).reshape(shape).detach();
        const opt = new SM3([p], options);
        opt.fused = fused;
        grads.forEach((g, k) => {
          p.grad = nb.tensor(Array.from(g), { dtype: "float64" }).reshape(shape);
          opt.step();
          expect(relDiff(p.data, expected[k]), `${fused ? "fused" : "chain"}, step ${k + 1}`).toBeLessThanOrEqual(1e-12);
        });
      }
    });
  }

  it("keeps rows + cols accumulators for a matrix: the row and column maxima of g²", () => {
    const tx = scaleBySm3({ b1: 0 });
    const p = nb.zeros([2, 3], { dtype: "float64" });
    const state = tx.init([p]);
    expect(state.mu[0].map((a) => a.length)).toEqual([2, 3]);
    const u = [Float64Array.from([1, -2, 0, 3, 0, 0.5])];
    tx.update(u, state, [p]);
    expect(state.mu[0].map((a) => Array.from(a))).toEqual([
      [4, 9],
      [9, 4, 0.25],
    ]);
    // First step, b1 = 0: g/√(g² + eps) = sign(g) up to eps; 0 where g = 0.
    expect(Array.from(u[0], (x) => Math.round(x * 1e6) / 1e6)).toEqual([1, -1, 0, 1, 0, 1]);
  });
});

describe("SM3: step == chain, state dicts, alias", () => {
  const configs: Partial<SM3Options>[] = [{ lr: 0.05 }, { lr: 0.05, momentum: 0.5, beta2: 0.95, eps: 1e-4, maximize: true }];
  for (const config of configs) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`fused == chain ${JSON.stringify(config)} [${dtype}]`, () => expectFusedMatchesChain((p) => new SM3(p, config), dtype));
    }
    for (const json of [false, true]) {
      it(`state dict round trip ${JSON.stringify(config)}${json ? " (through JSON)" : ""}`, () => expectStateDictRoundTrip((p) => new SM3(p, config), json));
    }
  }
  it("sm3(lr, { momentum }) through fromTransform == the class", () => {
    expectAliasMatchesClass(() => sm3(0.05, { momentum: 0.7 }), (p) => new SM3(p, { lr: 0.05, momentum: 0.7 }));
  });
});

describe("SM3 validation", () => {
  const bad: [Partial<SM3Options>, RegExp][] = [
    [{ lr: -1 }, /SM3: lr must be >= 0, got -1/],
    [{ momentum: 1 }, /SM3: momentum must be in \[0, 1\), got 1/],
    [{ beta2: 1.5 }, /SM3: beta2 must be in \[0, 1\], got 1.5/],
    [{ eps: -1 }, /SM3: eps must be >= 0, got -1/],
    [{ maximize: "no" as unknown as boolean }, /SM3: maximize must be a boolean/],
  ];
  for (const [options, message] of bad) it(`rejects ${String(Object.keys(options))}`, () => expect(() => new SM3([nb.zeros([2])], options)).toThrow(message));
  it("scaleBySm3 needs the parameters, shaped as at init", () => {
    const tx = scaleBySm3();
    const p = nb.zeros([2, 2]);
    const state = tx.init([p]);
    expect(() => tx.update([new Float32Array(4)], state)).toThrow(/scaleBySm3: this transformation needs the parameters/);
    expect(() => tx.update([new Float32Array(4)], state, [nb.zeros([1, 4])])).toThrow(/parameter 0 has shape \[1, 4\], which does not match/);
  });
});

describe("SM3 in practice", () => {
  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 5000 steps (lr 1, momentum 0.9)", () => {
    const p = rosenbrockStart();
    const [x, y] = rosenbrock(new SM3([p], { lr: 1 }), p, 5000);
    expect(Math.abs(x - 1)).toBeLessThan(1e-3);
    expect(Math.abs(y - 1)).toBeLessThan(1e-3);
  });
  it("trains the two-moons MLP to >= 97% validation accuracy in 20 epochs (lr 0.1)", async () => {
    expect(await twoMoonsAccuracy((m) => new SM3(m.parameters(), { lr: 0.1 }), 20)).toBeGreaterThanOrEqual(0.97);
  });
});
