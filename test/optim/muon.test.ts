// Muon: Newton–Schulz against naive matrix products and its known action on
// matrices with equal singular values; the class (with its AdamW fallback),
// transformation and alias against a float64 reference written from
// torch.optim.Muon's algorithm; kernel == chain, state dicts, validation,
// Rosenbrock, two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { muon } from "../../src/optim/aliases/muon.js";
import { Muon, type MuonOptions } from "../../src/optim/optimizers/Muon.js";
import { newtonSchulz, newtonSchulzConfig, orthogonalizeByNewtonSchulz } from "../../src/optim/transforms/newtonSchulz.js";
import { scaleByMuon } from "../../src/optim/transforms/scaleByMuon.js";
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

type Matrix = number[][];
const matmul = (x: Matrix, y: Matrix): Matrix => x.map((row) => y[0].map((_, j) => row.reduce((s, v, k) => s + v * y[k][j], 0)));
const transpose = (x: Matrix): Matrix => x[0].map((_, j) => x.map((row) => row[j]));
const combine = (a: number, x: Matrix, b: number, y: Matrix): Matrix => x.map((row, i) => row.map((v, j) => a * v + b * y[i][j]));
const toMatrix = (flat: ArrayLike<number>, rows: number, cols: number): Matrix =>
  Array.from({ length: rows }, (_, i) => Array.from({ length: cols }, (_, j) => flat[i * cols + j]));

const ABC: [number, number, number] = [3.4445, -4.775, 2.0315];

/** Jordan et al. 2024 / torch's _zeropower_via_newtonschulz with naive products. */
function newtonSchulzReference(g: Matrix, steps: number, [a, b, c]: [number, number, number] = ABC, eps = 1e-7): Matrix {
  const tall = g.length > g[0].length;
  let x = tall ? transpose(g) : g;
  const norm = Math.sqrt(x.flat().reduce((s, v) => s + v * v, 0));
  x = combine(1 / Math.max(norm, eps), x, 0, x);
  for (let k = 0; k < steps; k++) {
    const A = matmul(x, transpose(x));
    const B = combine(b, A, c, matmul(A, A));
    x = combine(a, x, 1, matmul(B, x));
  }
  return tall ? transpose(x) : x;
}

/** φ(σ) = aσ + bσ³ + cσ⁵, the iteration's action on each singular value. */
const phi = (s: number, [a, b, c] = ABC): number => a * s + b * s ** 3 + c * s ** 5;

describe("Newton–Schulz", () => {
  const config = newtonSchulzConfig("test", {});
  for (const [rows, cols] of [
    [3, 5],
    [6, 2],
    [4, 4],
  ]) {
    it(`matches naive products on a random ${rows}x${cols} matrix`, () => {
      const g = nb.randn([rows * cols], { generator: new nb.Generator(rows * 10 + cols), dtype: "float64" }).data as Float64Array;
      const out = new Float64Array(rows * cols);
      newtonSchulz(g, rows, cols, config, out);
      expect(relDiff(out, newtonSchulzReference(toMatrix(g, rows, cols), 5).flat())).toBeLessThanOrEqual(1e-13);
    });
  }

  it("maps a rank-one matrix σ·uvᵀ to φ⁵(1)·uvᵀ (unit u, v)", () => {
    const u = [0.6, 0.8];
    const v = [2 / 3, -1 / 3, 2 / 3];
    const g = Float64Array.from(u.flatMap((ui) => v.map((vj) => 7 * ui * vj)));
    const out = new Float64Array(6);
    newtonSchulz(g, 2, 3, config, out);
    let s = 1;
    for (let k = 0; k < 5; k++) s = phi(s);
    expect(s).toBeGreaterThan(0.6);
    expect(s).toBeLessThan(1.3);
    expect(relDiff(out, Array.from(g, (x) => (x / 7) * s))).toBeLessThanOrEqual(1e-14);
  });

  it("maps an orthogonal 3x3 matrix Q to φ⁵(1/√3)·Q, and with the cubic (1.5, −0.5, 0) converges to Q", () => {
    const c = Math.cos(0.7);
    const s = Math.sin(0.7);
    const q = Float64Array.from([c, -s, 0, s, c, 0, 0, 0, 1]);
    const out = new Float64Array(9);
    newtonSchulz(q, 3, 3, config, out);
    let sigma = 1 / Math.sqrt(3);
    for (let k = 0; k < 5; k++) sigma = phi(sigma);
    expect(relDiff(out, Array.from(q, (x) => x * sigma))).toBeLessThanOrEqual(1e-14);
    newtonSchulz(q, 3, 3, newtonSchulzConfig("test", { nsCoefficients: [1.5, -0.5, 0], nsSteps: 40 }), out);
    expect(relDiff(out, q)).toBeLessThanOrEqual(1e-12);
  });

  it("with the cubic iteration, a random wide matrix becomes orthonormal by rows (XXᵀ = I)", () => {
    const g = nb.randn([12], { generator: new nb.Generator(5), dtype: "float64" }).data as Float64Array;
    const out = new Float64Array(12);
    newtonSchulz(g, 3, 4, newtonSchulzConfig("test", { nsCoefficients: [1.5, -0.5, 0], nsSteps: 60 }), out);
    const x = toMatrix(out, 3, 4);
    const gram = matmul(x, transpose(x));
    expect(relDiff(gram.flat(), [1, 0, 0, 0, 1, 0, 0, 0, 1])).toBeLessThanOrEqual(1e-10);
  });

  it("leaves a zero matrix at zero (the norm is floored at eps)", () => {
    const out = Float64Array.from([1, 1, 1, 1]);
    newtonSchulz(new Float64Array(4), 2, 2, config, out);
    expect(Array.from(out)).toEqual([0, 0, 0, 0]);
  });

  it("orthogonalizeByNewtonSchulz rejects parameters that are not 2-D", () => {
    const tx = orthogonalizeByNewtonSchulz();
    const p = nb.zeros([3]);
    expect(() => tx.update([new Float32Array(3)], tx.init([p]), [p])).toThrow(/parameter 0 has shape \[3\]; only 2-D parameters can be orthogonalised/);
  });
});

type RefOptions = {
  lr: number;
  wd: number;
  momentum: number;
  nesterov: boolean;
  steps: number;
  adjust: "original" | "match_rms_adamw";
  adam: { b1: number; b2: number; eps: number; wd: number; lrRatio: number };
};

/**
 * torch.optim.Muon for a 2-D parameter: B ← μB + (1−μ)g,
 * M = nesterov ? (1−μ)g + μB : B, θ ← θ(1 − lr·wd) − lr·r(A,B)·NS(M);
 * other parameters: AdamW with lr·lrRatio.
 */
function muonReference(shape: number[], p0: number[], grads: Float64Array[], o: RefOptions): number[][] {
  const p = p0.slice();
  const n = p.length;
  const buf = p.map(() => 0);
  const m = p.map(() => 0);
  const v = p.map(() => 0);
  return grads.map((g, k) => {
    if (shape.length === 2) {
      const [rows, cols] = shape;
      for (let i = 0; i < n; i++) buf[i] = o.momentum * buf[i] + (1 - o.momentum) * g[i];
      const mixed = buf.map((b, i) => (o.nesterov ? (1 - o.momentum) * g[i] + o.momentum * b : b));
      const orth = newtonSchulzReference(toMatrix(mixed, rows, cols), o.steps).flat();
      const ratio = o.adjust === "original" ? Math.sqrt(Math.max(1, rows / cols)) : 0.2 * Math.sqrt(Math.max(rows, cols));
      for (let i = 0; i < n; i++) p[i] = p[i] * (1 - o.lr * o.wd) - o.lr * ratio * orth[i];
    } else {
      const t = k + 1;
      const lr = o.lr * o.adam.lrRatio;
      for (let i = 0; i < n; i++) {
        m[i] = o.adam.b1 * m[i] + (1 - o.adam.b1) * g[i];
        v[i] = o.adam.b2 * v[i] + (1 - o.adam.b2) * g[i] * g[i];
        const step = m[i] / (1 - o.adam.b1 ** t) / (Math.sqrt(v[i] / (1 - o.adam.b2 ** t)) + o.adam.eps);
        p[i] = p[i] * (1 - lr * o.adam.wd) - lr * step;
      }
    }
    return p.slice();
  });
}

const DEFAULTS: RefOptions = {
  lr: 1e-3,
  wd: 0.1,
  momentum: 0.95,
  nesterov: true,
  steps: 5,
  adjust: "original",
  adam: { b1: 0.9, b2: 0.999, eps: 1e-8, wd: 0.01, lrRatio: 1 },
};

describe("Muon against a float64 reference from torch.optim.Muon's algorithm (6 steps)", () => {
  const cases: { name: string; shape: number[]; options: Partial<MuonOptions>; ref: Partial<RefOptions> }[] = [
    { name: "tall matrix, defaults", shape: [5, 3], options: {}, ref: {} },
    {
      name: "wide matrix, no nesterov, match_rms_adamw, 3 NS steps",
      shape: [2, 6],
      options: { lr: 0.05, nesterov: false, adjustLrFn: "match_rms_adamw", nsSteps: 3, momentum: 0.8, weightDecay: 0 },
      ref: { lr: 0.05, nesterov: false, adjust: "match_rms_adamw", steps: 3, momentum: 0.8, wd: 0 },
    },
    {
      name: "vector: the AdamW fallback",
      shape: [4],
      options: { lr: 0.05, adamBetas: [0.8, 0.99], adamEps: 1e-6, adamWeightDecay: 0.2, adamLrRatio: 0.5 },
      ref: { lr: 0.05, adam: { b1: 0.8, b2: 0.99, eps: 1e-6, wd: 0.2, lrRatio: 0.5 } },
    },
  ];
  for (const { name, shape, options, ref } of cases) {
    it(name, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      const grads = referenceGradients(51, 6, n);
      const p0 = Array.from(nb.randn([n], { generator: new nb.Generator(52), dtype: "float64" }).data);
      const expected = muonReference(shape, p0, grads, { ...DEFAULTS, ...ref });
      for (const fused of [true, false]) {
        const p = nb.tensor(p0, { dtype: "float64" }).reshape(shape).detach();
        const opt = new Muon([p], options);
        opt.fused = fused;
        grads.forEach((g, k) => {
          p.grad = nb.tensor(Array.from(g), { dtype: "float64" }).reshape(shape);
          opt.step();
          expect(relDiff(p.data, expected[k]), `${fused ? "kernel" : "chain"}, step ${k + 1}`).toBeLessThanOrEqual(1e-12);
        });
      }
    });
  }

  it("a group with useMuon: false is AdamW (torch.optim.AdamW)", () => {
    const a = nb.randn([3, 4], { generator: new nb.Generator(53), dtype: "float64" });
    const b = nb.tensor(a.data, { dtype: "float64" }).reshape([3, 4]).detach();
    const x = new Muon([{ params: [a], useMuon: false }], { lr: 0.01, adamWeightDecay: 0.05 });
    const y = new nb.optim.AdamW([b], { lr: 0.01, weightDecay: 0.05 });
    for (const g of referenceGradients(54, 6, 12)) {
      a.grad = nb.tensor(Array.from(g), { dtype: "float64" }).reshape([3, 4]);
      b.grad = nb.tensor(Array.from(g), { dtype: "float64" }).reshape([3, 4]);
      x.step();
      y.step();
    }
    expect(relDiff(a.data, b.data)).toBeLessThanOrEqual(1e-14);
    expect(Object.keys(x.state.get(a) as object).sort()).toEqual(["expAvg", "expAvgSq", "step"]);
  });
});

describe("Muon: kernel == chain, state dicts, alias", () => {
  const configs: Partial<MuonOptions>[] = [
    { lr: 0.02 },
    { lr: 0.02, nesterov: false, adjustLrFn: "match_rms_adamw", weightDecay: 0.3, adamLrRatio: 0.3, adamWeightDecay: 0 },
  ];
  for (const config of configs) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`kernel == chain ${JSON.stringify(config)} [${dtype}]`, () => expectFusedMatchesChain((p) => new Muon(p, config), dtype));
    }
    for (const json of [false, true]) {
      it(`state dict round trip ${JSON.stringify(config)}${json ? " (through JSON)" : ""}`, () => expectStateDictRoundTrip((p) => new Muon(p, config), json));
    }
  }
  it("muon(lr, ...) through fromTransform == the class (2-D to Muon, the rest to AdamW)", () => {
    expectAliasMatchesClass(
      () => muon(0.02, { momentum: 0.9, adjustLrFn: "match_rms_adamw", weightDecay: 0.05, adamLrRatio: 0.5, adamBetas: [0.85, 0.99] }),
      (p) => new Muon(p, { lr: 0.02, momentum: 0.9, adjustLrFn: "match_rms_adamw", weightDecay: 0.05, adamLrRatio: 0.5, adamBetas: [0.85, 0.99] }),
    );
  });
  it("muon's mask and the class's groups choose the same way", () => {
    const shapes = [[3, 4], [4, 2], [2]];
    const mask = [true, false, false];
    expectAliasMatchesClass(
      () => muon(0.02, { muonMask: mask }),
      (p) => new Muon([{ params: [p[0]] }, { params: [p[1], p[2]], useMuon: false }], { lr: 0.02 }),
      8,
      shapes,
    );
  });
  it("scaleByMuon's first step on a rank-one gradient is φ⁵(1) times its direction", () => {
    const tx = scaleByMuon({ nesterov: false });
    const p = nb.zeros([1, 3], { dtype: "float64" });
    const u = [Float64Array.from([3, 0, -4])];
    tx.update(u, tx.init([p]), [p]);
    let s = 1;
    for (let k = 0; k < 5; k++) s = phi(s);
    expect(relDiff(u[0], [0.6 * s, 0, -0.8 * s])).toBeLessThanOrEqual(1e-14);
  });
});

describe("Muon validation", () => {
  const bad: [Partial<MuonOptions>, RegExp][] = [
    [{ lr: -1 }, /Muon: lr must be >= 0, got -1/],
    [{ weightDecay: -1 }, /Muon: weightDecay must be >= 0, got -1/],
    [{ momentum: 1.5 }, /Muon: momentum must be in \[0, 1\], got 1.5/],
    [{ nsSteps: 100 }, /Muon: nsSteps must be < 100, got 100/],
    [{ nsSteps: 2.5 }, /Muon: nsSteps must be an integer >= 0, got 2.5/],
    [{ nsCoefficients: [1, 2] as unknown as [number, number, number] }, /Muon: nsCoefficients must be three numbers/],
    [{ adjustLrFn: "spectral" as unknown as "original" }, /Muon: adjustLrFn must be "original", "match_rms_adamw" or null, got "spectral"/],
    [{ adamBetas: [0.9, 1] }, /Muon: adamBetas\[1\] must be in \[0, 1\), got 1/],
    [{ adamLrRatio: -1 }, /Muon: adamLrRatio must be >= 0, got -1/],
    [{ useMuon: 1 as unknown as boolean }, /Muon: useMuon must be a boolean, got 1/],
  ];
  for (const [options, message] of bad) it(`rejects ${String(Object.keys(options))}`, () => expect(() => new Muon([nb.zeros([2, 2])], options)).toThrow(message));
  it("rejects useMuon: true on a group with a parameter that is not 2-D", () => {
    expect(() => new Muon([{ params: [nb.zeros([2, 2]), nb.zeros([3])], useMuon: true }])).toThrow(
      /Muon: useMuon is true but params\[1\] has shape \[3\]; Muon only takes 2-D parameters/,
    );
  });
});

describe("Muon groups", () => {
  it("refuses to step a parameter whose group was switched between Muon and AdamW after it has state", () => {
    const w = nb.zeros([2, 2]);
    const opt = new Muon([w]);
    w.grad = nb.ones([2, 2]);
    opt.step();
    opt.paramGroups[0].useMuon = false;
    const before = Array.from(w.data);
    expect(() => opt.step()).toThrow(/Muon: a parameter of shape \[2, 2\] has Muon state but its group now sends it to AdamW/);
    expect(Array.from(w.data)).toEqual(before);
  });
});

describe("Muon in practice", () => {
  it("minimises Rosenbrock from (-1.5, 2) (as a 1x2 matrix) to within 1e-3 of (1, 1) in 3000 steps (lr 0.05·e^(-8k/3000), no decay)", () => {
    const p = rosenbrockStart([1, 2]);
    const opt = new Muon([p], { lr: 0.05, weightDecay: 0 });
    const [x, y] = rosenbrock(opt, p, 3000, (k) => (opt.paramGroups[0].lr = 0.05 * Math.exp((-8 * k) / 3000)));
    expect(Math.abs(x - 1)).toBeLessThan(1e-3);
    expect(Math.abs(y - 1)).toBeLessThan(1e-3);
  });
  it("trains the two-moons MLP to >= 93% validation accuracy in 20 epochs (lr 0.02; biases on AdamW)", async () => {
    expect(await twoMoonsAccuracy((m) => new Muon(m.parameters(), { lr: 0.02 }), 20)).toBeGreaterThanOrEqual(0.93);
  });
});
