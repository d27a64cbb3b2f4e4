// Gradient transformations, each against values worked out by hand from its
// formula, plus chain (fused == link by link) and applyUpdates.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { relDiff } from "./helpers.js";

const { optim } = nb;
type Tx = nb.optim.GradientTransformation;

const f64 = (values: number[]): Float64Array => Float64Array.from(values);
const param = (values: number[], shape = [values.length]): nb.optim.ParamView => ({ data: f64(values), shape });

/** Runs `tx` on successive gradients (one leaf each), returning each step's output. */
function run(tx: Tx, grads: number[][], p: nb.optim.ParamView = param(grads[0].map(() => 0))): number[][] {
  let state = tx.init([p]);
  return grads.map((g) => {
    const u = f64(g);
    state = tx.update([u], state, [p]);
    return Array.from(u);
  });
}

function expectClose(actual: number[], expected: number[], digits = 14): void {
  expect(actual.length).toBe(expected.length);
  actual.forEach((a, i) => expect(a, `element ${i}`).toBeCloseTo(expected[i], digits));
}

describe("scaling transforms", () => {
  it("scale: u ← factor·u", () => {
    expect(run(optim.scale(2), [[1, -2]])).toEqual([[2, -4]]);
  });

  it("scaleByLearningRate: u ← −lr(count)·u, schedules read the count from 0", () => {
    expect(run(optim.scaleByLearningRate(0.5), [[1, -2]])).toEqual([[-0.5, 1]]);
    expect(run(optim.scaleByLearningRate((c) => 0.5 * (c + 1)), [[2], [2], [2]])).toEqual([[-1], [-2], [-3]]);
    expect(run(optim.scaleByLearningRate(0.5, { flipSign: false }), [[2]])).toEqual([[1]]);
  });

  it("scaleByMomentum: buf ← g first, then μ·buf + (1−τ)g; Nesterov adds μ·buf to g", () => {
    // μ = 0.9: 1, 0.9·1 + 1 = 1.9, 0.9·1.9 + 1 = 2.71
    expectClose(run(optim.scaleByMomentum({ momentum: 0.9 }), [[1], [1], [1]]).flat(), [1, 1.9, 2.71]);
    // dampening 0.5 is skipped on the first step: 1, then 0.9·1 + 0.5·1 = 1.4
    expectClose(run(optim.scaleByMomentum({ momentum: 0.9, dampening: 0.5 }), [[1], [1]]).flat(), [1, 1.4]);
    // Nesterov: buf = 1 → 1 + 0.9·1 = 1.9; buf = 1.9 → 1 + 0.9·1.9 = 2.71
    expectClose(run(optim.scaleByMomentum({ momentum: 0.9, nesterov: true }), [[1], [1]]).flat(), [1.9, 2.71]);
    // optax.trace: t ← g + decay·t from 0
    expectClose(run(optim.trace({ decay: 0.5 }), [[2], [2], [0]]).flat(), [2, 3, 1.5]);
  });

  it("scaleByAdam: bias-corrected moments, eps outside the root; amsgrad keeps max v", () => {
    const [b1, b2, eps] = [0.9, 0.999, 1e-8];
    const out = run(optim.scaleByAdam(), [[2, -0.5], [1, 0]]);
    // Step 1: m̂ = g, v̂ = g², so u = g/(|g| + eps).
    expectClose(out[0], [2 / (2 + eps), -0.5 / (0.5 + eps)]);
    // Step 2 for the first element, from the formulas.
    const m = (1 - b1) * 2 * b1 + (1 - b1) * 1;
    const v = (1 - b2) * 4 * b2 + (1 - b2) * 1;
    expect(out[1][0]).toBeCloseTo(m / (1 - b1 ** 2) / (Math.sqrt(v) / Math.sqrt(1 - b2 ** 2) + eps), 12);
    // amsgrad: after g = 1 then g = 0, v = 0.000999 < max 0.001.
    const tx = optim.scaleByAdam({ amsgrad: true });
    const p = param([0]);
    const s = tx.init([p]);
    tx.update([f64([1])], s, [p]);
    tx.update([f64([0])], s, [p]);
    expect(s.nu[0][0]).toBeCloseTo(0.000999, 15);
    expect(s.nuMax![0][0]).toBeCloseTo(0.001, 15);
    expect(s.count).toBe(2);
  });

  it("scaleByAdamax: n ← max(b2·n, |g| + eps), u ← m/n/(1−b1^t)", () => {
    const out = run(optim.scaleByAdamax({ eps: 0.5 }), [[2], [0]]);
    expectClose(out[0], [(0.2 / 2.5) / 0.1]);
    // Step 2: m = 0.18, n = max(0.999·2.5, 0.5) = 2.4975, bias 1 − 0.81.
    expectClose(out[1], [0.18 / 2.4975 / 0.19]);
  });

  it("scaleByNadam's first step", () => {
    const [b1, b2, eps, psi] = [0.9, 0.999, 1e-8, 0.004];
    const mu1 = b1 * (1 - 0.5 * 0.96 ** psi);
    const mu2 = b1 * (1 - 0.5 * 0.96 ** (2 * psi));
    const g = 3;
    const d = Math.sqrt((1 - b2) * g * g) / Math.sqrt(1 - b2) + eps;
    const expected = ((1 - mu1) / (1 - mu1)) * (g / d) + (mu2 / (1 - mu1 * mu2)) * (((1 - b1) * g) / d);
    expectClose(run(optim.scaleByNadam(), [[g]])[0], [expected], 12);
  });

  it("scaleByRadam: bias-corrected momentum until ρ_t > 5, then rectified", () => {
    const out = run(optim.scaleByRadam({ b1: 0.5, b2: 0.9 }), [[1], [1], [1], [1], [1], [1], [1], [1]]);
    // Constant g = 1: m̂ = 1 every step; unrectified steps give exactly 1.
    const rhoInf = 2 / (1 - 0.9) - 1;
    out.forEach((u, k) => {
      const t = k + 1;
      const rho = rhoInf - (2 * t * 0.9 ** t) / (1 - 0.9 ** t);
      if (rho <= 5) expect(u[0]).toBeCloseTo(1, 14);
      else {
        const r = Math.sqrt(((rho - 4) * (rho - 2) * rhoInf) / ((rhoInf - 4) * (rhoInf - 2) * rho));
        // v = 1 − 0.9^t, so √(1−b2^t)/√v = 1: u = r/(1 + eps/√v) ≈ r.
        expect(u[0]).toBeCloseTo(r, 6);
      }
    });
    expect(out[0][0]).toBe(1);
    expect(out[7][0]).toBeLessThan(1);
  });

  it("scaleByRms: g/(√v + eps), centered uses v − ḡ²", () => {
    expectClose(run(optim.scaleByRms({ decay: 0.5, eps: 0 }), [[2]])[0], [2 / Math.sqrt(2)]);
    // centered: v = 2, ḡ = 1 → √(2 − 1) = 1
    expectClose(run(optim.scaleByRms({ decay: 0.5, eps: 0, centered: true }), [[2]])[0], [2]);
  });

  it("scaleByAdagrad: s starts at initialAccumulatorValue, u = g/(√s + eps)", () => {
    expectClose(run(optim.scaleByAdagrad({ initialAccumulatorValue: 5, eps: 0 }), [[2], [1]]).flat(), [2 / 3, 1 / Math.sqrt(10)]);
  });

  it("scaleByAdadelta: d = √(δ + eps)/√(e + eps)·g", () => {
    // ρ = 0.5, eps = 0.01: e = 2, d = √0.01/√2.01·2; δ = 0.5·d².
    const d1 = (Math.sqrt(0.01) / Math.sqrt(2.01)) * 2;
    const e2 = 0.5 * 2 + 0.5 * 1;
    const d2 = (Math.sqrt(0.5 * d1 * d1 + 0.01) / Math.sqrt(e2 + 0.01)) * 1;
    expectClose(run(optim.scaleByAdadelta({ rho: 0.5, eps: 0.01 }), [[2], [1]]).flat(), [d1, d2]);
  });

  it("scaleByRprop: step sizes grow, shrink (zeroing g) and clamp", () => {
    const tx = optim.scaleByRprop({ initialStepSize: 0.1, etaMinus: 0.5, etaPlus: 2, minStepSize: 0.04, maxStepSize: 0.3 });
    // Same sign: 0.1 → 0.2 → 0.3 (clamped from 0.4). Sign flip: 0.15, output 0 and prev ← 0, so the
    // next step sees g·prev = 0 and keeps 0.15; then 0.15·2 = 0.3.
    expectClose(run(tx, [[1], [3], [1], [-1], [-1], [-1]]).flat(), [0.1, 0.2, 0.3, 0, -0.15, -0.3]);
  });

  it("polyakAverage: ax follows the new parameters until t0, then averages", () => {
    const tx = optim.polyakAverage({ t0: 1 });
    const p = param([0]);
    const s = tx.init([p]);
    // Step t uses μ from step t−1 (μ = 1/max(1, t − t0)): 1, 1, 1, ½. The
    // parameter stays 0, so the new parameter is u: ax = 1, 2, 4, then 4 + ½(6 − 4).
    for (const [u, ax] of [
      [1, 1],
      [2, 2],
      [4, 4],
      [6, 5],
    ]) {
      tx.update([f64([u])], s, [p]);
      expect(s.ax[0][0]).toBe(ax);
    }
    expect(s.mu).toBe(1 / 3);
  });
});

describe("weight decay and penalties", () => {
  it("addDecayedWeights / addWeightDecay: u ← u + wd·p; addL1Penalty: u ← u + l1·sign(p)", () => {
    const p = param([2, -3, 0]);
    expect(run(optim.addDecayedWeights(0.1), [[1, 1, 1]], p)).toEqual([[1.2, 1 - 0.30000000000000004, 1]]);
    expect(run(optim.addWeightDecay(0.5), [[0, 0, 0]], p)).toEqual([[1, -1.5, 0]]);
    expect(run(optim.addL1Penalty(0.1), [[0, 0, 0]], p)).toEqual([[0.1, -0.1, 0]]);
    expect(() => optim.addDecayedWeights(0.1).update([f64([1])], optim.addDecayedWeights(0.1).init([p]))).toThrow(/needs the parameters/);
  });

  it("maskedBy applies the inner transformation to the selected leaves only", () => {
    const params = [param([1, 2, 3, 4], [2, 2]), param([5, 6])];
    const tx = optim.maskedBy(optim.addDecayedWeights(1), (p) => p.shape.length > 1);
    const s = tx.init(params);
    const u = [f64([0, 0, 0, 0]), f64([0, 0])];
    tx.update(u, s, params);
    expect(Array.from(u[0])).toEqual([1, 2, 3, 4]);
    expect(Array.from(u[1])).toEqual([0, 0]);
    expect(Array.from(s.selected)).toEqual([0]);
    expect(() => optim.maskedBy(optim.identity(), [true]).init(params)).toThrow("maskedBy: the mask has 1 entries but there are 2 parameters");
  });
});

describe("clipping", () => {
  it("clip: clamps to [−max, max]", () => {
    expect(run(optim.clip(1), [[2, -3, 0.5]])).toEqual([[1, -1, 0.5]]);
  });

  it("clipByGlobalNorm: ‖(3, 4)‖ = 5 → scaled to norm 1; small norms unchanged", () => {
    const tx = optim.clipByGlobalNorm(1);
    const params = [param([0]), param([0])];
    const u = [f64([3]), f64([4])];
    tx.update(u, tx.init(params), params);
    expectClose([u[0][0], u[1][0]], [0.6, 0.8]);
    const v = [f64([0.3]), f64([0.4])];
    tx.update(v, tx.init(params), params);
    expect([v[0][0], v[1][0]]).toEqual([0.3, 0.4]);
  });

  it("clipByBlockRms: each buffer to RMS ≤ threshold", () => {
    const tx = optim.clipByBlockRms(1);
    const params = [param([0, 0]), param([0])];
    const u = [f64([3, 4]), f64([0.5])];
    tx.update(u, tx.init(params), params);
    const rms = Math.sqrt(12.5);
    expectClose(Array.from(u[0]), [3 / rms, 4 / rms]);
    expect(u[1][0]).toBe(0.5);
  });

  it("adaptiveGradClip: unit-wise ‖g‖ ≤ clipping·max(‖p‖, eps)", () => {
    // Rows of W: ‖p‖ = 5 → limit 0.5; ‖p‖ = 0 → limit 0.1·1e-3. The bias is one unit with limit 0.1.
    const params = [param([3, 4, 0, 0], [2, 2]), param([1], [1])];
    const tx = optim.adaptiveGradClip(0.1);
    const u = [f64([1, 0, 0, 2]), f64([0.05])];
    tx.update(u, tx.init(params), params);
    expectClose(Array.from(u[0]), [0.5, 0, 0, 1e-4]);
    expect(u[1][0]).toBe(0.05);
  });

  it("property: after clipByGlobalNorm(c) the norm is ≤ c and the direction is unchanged", () => {
    fc.assert(
      fc.property(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 20 }), fc.double({ min: 0.1, max: 10, noNaN: true }), (xs, c) => {
        const tx = optim.clipByGlobalNorm(c);
        const u = [f64(xs)];
        tx.update(u, tx.init([param(xs)]));
        const n = optim.globalNorm(u);
        const n0 = optim.globalNorm([f64(xs)]);
        expect(n).toBeLessThanOrEqual(c * (1 + 1e-12));
        if (n0 > 0) xs.forEach((x, i) => expect(u[0][i] * n0).toBeCloseTo(x * Math.min(n0, c), 6));
      }),
    );
  });
});

describe("wrappers", () => {
  it("applyIfFinite skips a non-finite step (zero updates, inner state untouched) and counts it", () => {
    const tx = optim.applyIfFinite(optim.scaleByAdam());
    const p = param([0, 0]);
    const s = tx.init([p]);
    const u = f64([Number.NaN, 1]);
    tx.update([u], s, [p]);
    expect(Array.from(u)).toEqual([0, 0]);
    expect(s).toMatchObject({ notfiniteCount: 1, totalNotfinite: 1, lastFinite: false });
    expect((s.inner as nb.optim.ScaleByAdamState).count).toBe(0);
    tx.update([f64([Infinity, 1])], s, [p]);
    expect(s.notfiniteCount).toBe(2);
    tx.update([f64([1, 1])], s, [p]);
    expect(s).toMatchObject({ notfiniteCount: 0, totalNotfinite: 2, lastFinite: true });
    expect((s.inner as nb.optim.ScaleByAdamState).count).toBe(1);
    const strict = optim.applyIfFinite(optim.identity(), { maxConsecutiveErrors: 1 });
    const s2 = strict.init([p]);
    strict.update([f64([Number.NaN, 0])], s2, [p]);
    expect(() => strict.update([f64([-Infinity, 0])], s2, [p])).toThrow(/2 non-finite updates in a row/);
    expect(s2.notfiniteCount).toBe(1);
  });

  it("multiSteps: k accumulated small batches equal one SGD step on the large batch", () => {
    // Least squares on 32 rows, in 4 batches of 8: the mean of the batch
    // gradients is the full-batch gradient.
    const gen = new nb.Generator(3);
    const X = nb.randn([32, 3], { generator: gen, dtype: "float64" }).data;
    const y = nb.randn([32], { generator: gen, dtype: "float64" }).data;
    const grad = (w: Float64Array, lo: number, hi: number): Float64Array => {
      const g = new Float64Array(3);
      for (let r = lo; r < hi; r++) {
        const e = X[3 * r] * w[0] + X[3 * r + 1] * w[1] + X[3 * r + 2] * w[2] - y[r];
        for (let j = 0; j < 3; j++) g[j] += (X[3 * r + j] * e) / (hi - lo);
      }
      return g;
    };
    const big = param([0.1, -0.2, 0.3]);
    const small = param([0.1, -0.2, 0.3]);
    const sgd = optim.sgd(0.1, { momentum: 0.9 });
    const acc = optim.multiSteps(optim.sgd(0.1, { momentum: 0.9 }), { everyK: 4 });
    let sBig = sgd.init([big]);
    let sSmall = acc.init([small]);
    for (let step = 0; step < 3; step++) {
      const g = grad(big.data as Float64Array, 0, 32);
      sBig = sgd.update([g], sBig, [big]);
      optim.applyUpdates([big], [g]);
      for (let b = 0; b < 4; b++) {
        const before = Array.from(small.data);
        const u = grad(small.data as Float64Array, 8 * b, 8 * b + 8);
        sSmall = acc.update([u], sSmall, [small]);
        optim.applyUpdates([small], [u]);
        if (b < 3) expect(Array.from(small.data)).toEqual(before);
      }
      expect(relDiff(small.data, big.data)).toBeLessThan(1e-14);
    }
    expect(sSmall).toMatchObject({ miniStep: 0, gradientStep: 3 });
  });
});

describe("chain", () => {
  const gen = new nb.Generator(5);
  const n = 5000; // several tiles
  const params = [param(Array.from(nb.randn([n], { generator: gen, dtype: "float64" }).data)), param([0.5, -2])];
  const grads = () => [Float64Array.from(nb.randn([n], { generator: new nb.Generator(6), dtype: "float64" }).data), f64([1, -1])];
  const links = (): Tx[] => [
    optim.addWeightDecay(0.01),
    optim.clipByGlobalNorm(10),
    optim.scaleByAdam({ amsgrad: true }),
    optim.addDecayedWeights(0.1),
    optim.clip(0.5),
    optim.scaleByMomentum({ momentum: 0.5 }),
    optim.scaleByLearningRate((c) => 0.1 / (c + 1)),
  ];

  it("runs neighbouring elementwise links in one pass with the same result, bit for bit, as link by link", () => {
    const fused = optim.chain(...links());
    const separate = links();
    let fs = fused.init(params);
    const ss = separate.map((l) => l.init(params));
    for (let step = 0; step < 3; step++) {
      const a = grads();
      const b = grads();
      fs = fused.update(a, fs, params);
      separate.forEach((l, i) => (ss[i] = l.update(b, ss[i], params)));
      expect(Array.from(a[0])).toEqual(Array.from(b[0]));
      expect(Array.from(a[1])).toEqual(Array.from(b[1]));
    }
  });

  it("nests: chain(chain(a, b), c) == chain(a, chain(b, c))", () => {
    const [a1, b1, c1] = [optim.scaleByAdam(), optim.clipByGlobalNorm(1), optim.scaleByLearningRate(0.1)];
    const [a2, b2, c2] = [optim.scaleByAdam(), optim.clipByGlobalNorm(1), optim.scaleByLearningRate(0.1)];
    const left = optim.chain(optim.chain(a1, b1), c1);
    const right = optim.chain(a2, optim.chain(b2, c2));
    const [l, r] = [grads(), grads()];
    left.update(l, left.init(params), params);
    right.update(r, right.init(params), params);
    expect(Array.from(l[0])).toEqual(Array.from(r[0]));
  });

  it("rejects a state it did not make, and mismatched leaves, before any work", () => {
    const tx = optim.chain(optim.scale(2), optim.scaleByAdam());
    const u = [f64([1])];
    expect(() => tx.update(u, [tx.init([param([0])])[0]])).toThrow("chain: expected 2 states, got 1; call init() first");
    expect(() => tx.update([f64([1]), f64([1])], tx.init([param([0])]))).toThrow(/got 2 update buffers but the state was initialized for 1/);
    expect(u[0][0]).toBe(1);
  });

  it("property: scale(a) then scale(b) equals scale(a·b)", () => {
    fc.assert(
      fc.property(fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -100, max: 100, noNaN: true }), fc.double({ min: -1e3, max: 1e3, noNaN: true }), (a, b, x) => {
        const two = run(optim.chain(optim.scale(a), optim.scale(b)), [[x]])[0][0];
        const one = run(optim.scale(a * b), [[x]])[0][0];
        expect(Math.abs(two - one)).toBeLessThanOrEqual(1e-13 * Math.max(1, Math.abs(one)));
      }),
    );
  });
});

describe("applyUpdates", () => {
  it("adds in place, checking every length first", () => {
    const a = param([1, 2]);
    const b = param([3]);
    optim.applyUpdates([a, b], [f64([0.5, -0.5]), f64([1])]);
    expect(Array.from(a.data)).toEqual([1.5, 1.5]);
    expect(() => optim.applyUpdates([a, b], [f64([1, 1]), f64([1, 1])])).toThrow("applyUpdates: update 1 has 2 elements but parameter 1 has 1");
    expect(Array.from(a.data)).toEqual([1.5, 1.5]);
  });
});
