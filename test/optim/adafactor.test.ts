// Adafactor: the class, its transformations and alias against a float64
// reference written from torch.optim.Adafactor's documented algorithm, the
// kernel against the chain, state dicts, validation, Rosenbrock, two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { adafactor } from "../../src/optim/aliases/adafactor.js";
import { Adafactor, type AdafactorOptions } from "../../src/optim/optimizers/Adafactor.js";
import { scaleByAdafactor } from "../../src/optim/transforms/scaleByAdafactor.js";
import { scaleByFactoredRms } from "../../src/optim/transforms/scaleByFactoredRms.js";
import { scaleByParamBlockRms } from "../../src/optim/transforms/scaleByParamBlockRms.js";
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

type RefOptions = { lr: number; beta2Decay: number; eps1: number; eps2: number; d: number; weightDecay: number; maximize: boolean };

const rmsOf = (a: ArrayLike<number>): number => Math.sqrt(Array.from(a).reduce((s, v) => s + v * v, 0) / a.length);

/**
 * torch.optim.Adafactor's algorithm, step by step, for one parameter of
 * `shape` (factored over the last two dimensions when it has 2 or more):
 * returns the parameter after each step.
 */
function adafactorReference(shape: number[], p0: number[], grads: Float64Array[], o: RefOptions): number[][] {
  const p = p0.slice();
  const n = p.length;
  const factored = shape.length >= 2;
  const rows = factored ? shape[shape.length - 2] : 1;
  const cols = factored ? shape[shape.length - 1] : n;
  const batch = factored ? n / (rows * cols) : 1;
  const R = new Array<number>(batch * rows).fill(0);
  const C = new Array<number>(batch * cols).fill(0);
  const V = new Array<number>(n).fill(0);
  const out: number[][] = [];
  grads.forEach((raw, k) => {
    const t = k + 1;
    const g = Array.from(raw, (x) => (o.maximize ? -x : x));
    const beta2 = 1 - t ** o.beta2Decay;
    const rho = Math.min(o.lr, 1 / Math.sqrt(t));
    const alpha = Math.max(o.eps2, rmsOf(p)) * rho;
    for (let i = 0; i < n; i++) p[i] -= o.lr * o.weightDecay * p[i];
    const vHat = new Array<number>(n);
    if (factored) {
      for (let b = 0; b < batch; b++) {
        const at = (i: number, j: number): number => b * rows * cols + i * cols + j;
        for (let i = 0; i < rows; i++) {
          let s = 0;
          for (let j = 0; j < cols; j++) s += g[at(i, j)] ** 2;
          R[b * rows + i] = beta2 * R[b * rows + i] + (1 - beta2) * (s / cols);
        }
        for (let j = 0; j < cols; j++) {
          let s = 0;
          for (let i = 0; i < rows; i++) s += g[at(i, j)] ** 2;
          C[b * cols + j] = beta2 * C[b * cols + j] + (1 - beta2) * (s / rows);
        }
        let rowSum = 0;
        for (let i = 0; i < rows; i++) rowSum += R[b * rows + i];
        const denom = Math.max(rowSum / rows, o.eps1);
        for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) vHat[at(i, j)] = (R[b * rows + i] * C[b * cols + j]) / denom;
      }
    } else {
      for (let i = 0; i < n; i++) {
        V[i] = beta2 * V[i] + (1 - beta2) * g[i] ** 2;
        vHat[i] = V[i];
      }
    }
    const U = g.map((gi, i) => gi / Math.max(Math.sqrt(vHat[i]), o.eps1));
    const clipDenom = Math.max(1, rmsOf(U) / o.d);
    for (let i = 0; i < n; i++) p[i] -= (alpha * U[i]) / clipDenom;
    out.push(p.slice());
  });
  return out;
}

const DEFAULTS: RefOptions = { lr: 1e-2, beta2Decay: -0.8, eps1: 2 ** -52, eps2: 1e-3, d: 1, weightDecay: 0, maximize: false };

describe("Adafactor against a float64 reference from torch's algorithm (6 steps)", () => {
  const cases: { name: string; shape: number[]; options: Partial<AdafactorOptions>; ref: Partial<RefOptions> }[] = [
    { name: "matrix, defaults", shape: [3, 4], options: {}, ref: {} },
    { name: "vector, defaults", shape: [5], options: {}, ref: {} },
    { name: "3-D (factored over the last two), defaults", shape: [2, 3, 4], options: {}, ref: {} },
    {
      name: "matrix, weight decay, maximize, eps, d, beta2Decay, large lr",
      shape: [4, 2],
      options: { lr: 0.5, weightDecay: 0.1, maximize: true, eps: [1e-3, 0.2], d: 1.5, beta2Decay: -0.5 },
      ref: { lr: 0.5, weightDecay: 0.1, maximize: true, eps1: 1e-3, eps2: 0.2, d: 1.5, beta2Decay: -0.5 },
    },
    { name: "vector, clipping at d = 1 with a small parameter", shape: [6], options: { lr: 0.3, eps: [null, 0.5] }, ref: { lr: 0.3, eps2: 0.5 } },
  ];
  for (const { name, shape, options, ref } of cases) {
    it(name, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const grads = referenceGradients(11, 6, n);
      const p0 = Array.from(nb.randn([n], { generator: new nb.Generator(12), dtype: "float64" }).data);
      const expected = adafactorReference(shape, p0, grads, { ...DEFAULTS, ...ref });
      for (const fused of [true, false]) {
        const p = nb.tensor(p0, { dtype: "float64" }).reshape(shape).detach();
        const opt = new Adafactor([p], options);
        opt.fused = fused;
        grads.forEach((g, k) => {
          p.grad = nb.tensor(Array.from(g), { dtype: "float64" }).reshape(shape);
          opt.step();
          expect(relDiff(p.data, expected[k]), `${fused ? "kernel" : "chain"}, step ${k + 1}`).toBeLessThanOrEqual(1e-12);
        });
      }
    });
  }

  it("keeps rows + cols numbers for a matrix and the full second moment for a vector", () => {
    const w = nb.zeros([3, 4], { dtype: "float64" });
    const b = nb.zeros([4], { dtype: "float64" });
    const opt = new Adafactor([w, b]);
    w.grad = nb.ones([3, 4], { dtype: "float64" });
    b.grad = nb.ones([4], { dtype: "float64" });
    opt.step();
    const sw = opt.state.get(w) as { rowVar: Float64Array; colVar: Float64Array };
    expect([sw.rowVar.length, sw.colVar.length]).toEqual([3, 4]);
    expect(Object.keys(opt.state.get(b) as object).sort()).toEqual(["step", "variance"]);
    // A zero parameter moves by eps2·lr (RMS floor) along the normalised gradient: U = 1, RMS(U) = 1.
    expect(Array.from(w.data)).toEqual(new Array<number>(12).fill(-1e-3 * 1e-2));
  });
});

describe("Adafactor: kernel == chain, state dicts, alias", () => {
  const configs: Partial<AdafactorOptions>[] = [{}, { lr: 0.1, weightDecay: 0.05, maximize: true, eps: [1e-6, 1e-2], d: 2, beta2Decay: -0.6 }];
  for (const config of configs) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`kernel == chain ${JSON.stringify(config)} [${dtype}]`, () => expectFusedMatchesChain((p) => new Adafactor(p, config), dtype));
    }
    for (const json of [false, true]) {
      it(`state dict round trip ${JSON.stringify(config)}${json ? " (through JSON)" : ""}`, () =>
        expectStateDictRoundTrip((p) => new Adafactor(p, config), json));
    }
  }
  it("adafactor(lr, ...) through fromTransform == the class", () => {
    expectAliasMatchesClass(
      () => adafactor(0.05, { weightDecay: 0.1, d: 1.2, eps: [null, 0.01] }),
      (p) => new Adafactor(p, { lr: 0.05, weightDecay: 0.1, d: 1.2, eps: [null, 0.01] }),
    );
    expectAliasMatchesClass(() => adafactor(), (p) => new Adafactor(p));
  });
  it("scaleByAdafactor is scaleByFactoredRms, then RMS clipping, then the parameter scale", () => {
    const p = nb.tensor([[3, 4], [0, 0]], { dtype: "float64" });
    const g = Float64Array.from([1, 2, 3, 4]);
    const tx = scaleByAdafactor();
    const u = [g.slice()];
    tx.update(u, tx.init([p]), [p]);
    // First step: R = row means of g², C = column means, V̂ = R·C/mean(R).
    const R = [2.5, 12.5];
    const C = [5, 10];
    const v = [0, 1, 2, 3].map((k) => (R[k >> 1] * C[k & 1]) / 7.5);
    const U = Array.from(g, (x, k) => x / Math.sqrt(v[k]));
    const clip = Math.max(1, rmsOf(U));
    const scaleP = Math.max(1e-3, rmsOf([3, 4, 0, 0]));
    expect(relDiff(u[0], U.map((x) => (x / clip) * scaleP))).toBeLessThanOrEqual(1e-15);
  });
  it("scaleByParamBlockRms floors the parameter scale at minScale", () => {
    const p = nb.tensor([1e-6, -1e-6], { dtype: "float64" });
    const tx = scaleByParamBlockRms(0.5);
    const u = [Float64Array.from([2, 4])];
    tx.update(u, tx.init([p]), [p]);
    expect(Array.from(u[0])).toEqual([1, 2]);
  });
});

describe("Adafactor validation", () => {
  const p = (): nb.Tensor[] => [nb.zeros([2, 2])];
  const bad: [Partial<AdafactorOptions>, RegExp][] = [
    [{ lr: -1 }, /Adafactor: lr must be >= 0, got -1/],
    [{ beta2Decay: 0.5 }, /Adafactor: beta2Decay must be <= 0, got 0.5/],
    [{ eps: [-1, 1e-3] }, /Adafactor: eps\[0\] must be >= 0, got -1/],
    [{ eps: [null, -1] }, /Adafactor: eps\[1\] must be >= 0, got -1/],
    [{ eps: [1e-3] as unknown as [number, number] }, /Adafactor: eps must be a pair/],
    [{ d: 0.5 }, /Adafactor: d must be >= 1, got 0.5/],
    [{ weightDecay: -0.1 }, /Adafactor: weightDecay must be >= 0, got -0.1/],
    [{ maximize: 1 as unknown as boolean }, /Adafactor: maximize must be a boolean, got 1/],
    [{ foreach: "yes" as unknown as boolean }, /Adafactor: foreach must be a boolean, got "yes"/],
  ];
  for (const [options, message] of bad) it(`rejects ${JSON.stringify(options)}`, () => expect(() => new Adafactor(p(), options)).toThrow(message));
  it("rejects bad transformation options and calls without parameters", () => {
    expect(() => scaleByFactoredRms({ beta2Decay: 1 })).toThrow(/scaleByFactoredRms: beta2Decay must be <= 0/);
    expect(() => adafactor(0.01, { d: 0 })).toThrow(/scaleByAdafactor: d must be >= 1, got 0/);
    const tx = scaleByFactoredRms();
    const q = nb.zeros([2, 2]);
    expect(() => tx.update([new Float32Array(4)], tx.init([q]))).toThrow(/scaleByFactoredRms: this transformation needs the parameters/);
    expect(() => tx.update([new Float32Array(4)], tx.init([q]), [nb.zeros([4])])).toThrow(/parameter 0 has shape \[4\], which does not match/);
  });
});

describe("Adafactor in practice", () => {
  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 10000 steps (lr 0.02·e^(-4k/10000))", () => {
    const p = rosenbrockStart();
    const opt = new Adafactor([p], { lr: 0.02 });
    const [x, y] = rosenbrock(opt, p, 10000, (k) => (opt.paramGroups[0].lr = 0.02 * Math.exp((-4 * k) / 10000)));
    expect(Math.abs(x - 1)).toBeLessThan(1e-3);
    expect(Math.abs(y - 1)).toBeLessThan(1e-3);
  });
  it("trains the two-moons MLP to >= 97% validation accuracy in 20 epochs (lr 0.05)", async () => {
    expect(await twoMoonsAccuracy((m) => new Adafactor(m.parameters(), { lr: 0.05 }), 20)).toBeGreaterThanOrEqual(0.97);
  });
});
