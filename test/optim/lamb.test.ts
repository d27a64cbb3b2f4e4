// LAMB and the shared trust ratio: scaleByTrustRatio against hand values,
// the class and the alias against a loop written from the paper's
// Algorithm 2, fused == chain, round trips, validation, Rosenbrock, two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { lamb } from "../../src/optim/aliases/lamb.js";
import { LAMB } from "../../src/optim/optimizers/LAMB.js";
import { scaleByTrustRatio } from "../../src/optim/transforms/scaleByTrustRatio.js";
import { copyParams, randomGradients, randomParams, relDiff, setGradients } from "./helpers.js";
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

const make: Make = (params, options) => new LAMB(params, options);

/**
 * You et al. 2019, Algorithm 2 (LAMB), per layer x with φ(z) = z:
 * m ← β1·m + (1−β1)·g, v ← β2·v + (1−β2)·g², m̂ = m/(1−β1^t), v̂ = v/(1−β2^t),
 * r = m̂/(√v̂ + ε), x ← x − η·φ(‖x‖)/‖r + λx‖·(r + λx), the ratio taken as 1
 * when ‖x‖ or ‖r + λx‖ is 0 (optax's convention).
 */
function paperLamb(start: Values, grads: Values[], lr: number, b1: number, b2: number, eps: number, wd: number): Values[] {
  const x = start.map((v) => Float64Array.from(v));
  const m = start.map((v) => new Float64Array(v.length));
  const v = start.map((a) => new Float64Array(a.length));
  return grads.map((gs, k) => {
    const t = k + 1;
    gs.forEach((g, l) => {
      const u = new Float64Array(g.length);
      for (let i = 0; i < g.length; i++) {
        m[l][i] = b1 * m[l][i] + (1 - b1) * g[i];
        v[l][i] = b2 * v[l][i] + (1 - b2) * g[i] * g[i];
        const mHat = m[l][i] / (1 - b1 ** t);
        const vHat = v[l][i] / (1 - b2 ** t);
        u[i] = mHat / (Math.sqrt(vHat) + eps) + wd * x[l][i];
      }
      const xn = norm(x[l]);
      const un = norm(u);
      const ratio = xn > 0 && un > 0 ? xn / un : 1;
      for (let i = 0; i < g.length; i++) x[l][i] -= lr * ratio * u[i];
    });
    return x.map((a) => Float64Array.from(a));
  });
}

describe("scaleByTrustRatio", () => {
  const run = (p: number[], u: number[], options = {}): number[] => {
    const tx = scaleByTrustRatio(options);
    const params = [{ data: Float64Array.from(p), shape: [p.length] }];
    const updates = [Float64Array.from(u)];
    tx.update(updates, tx.init(params), params);
    return Array.from(updates[0]);
  };

  it("rescales each update to c·‖p‖ (‖p‖ = 5, ‖u‖ = 1: ratio 5)", () => {
    const close = (a: number[], b: number[]) => a.forEach((x, i) => expect(x).toBeCloseTo(b[i], 14));
    close(run([3, 4], [0.6, 0.8]), [3, 4]);
    close(run([3, 4], [0.6, 0.8], { trustCoefficient: 0.5 }), [1.5, 2]);
    // eps joins the update norm: 5 / (1 + 1) = 2.5.
    close(run([3, 4], [0.6, 0.8], { eps: 1 }), [1.5, 2]);
    // minNorm floors ‖u‖ = 0.1 at 1: ratio 5 / 1.
    close(run([3, 4], [0.06, 0.08], { minNorm: 1 }), [0.3, 0.4]);
  });

  it("leaves the update alone when either norm is 0 (a zero bias still moves)", () => {
    expect(run([0, 0], [0.6, 0.8])).toEqual([0.6, 0.8]);
    expect(run([3, 4], [0, 0])).toEqual([0, 0]);
    expect(run([], [])).toEqual([]);
  });

  it("treats each parameter tensor as its own layer, and needs the parameters", () => {
    const tx = scaleByTrustRatio();
    const params = [
      { data: Float64Array.of(3, 4), shape: [2] },
      { data: Float64Array.of(1), shape: [1] },
    ];
    const updates = [Float64Array.of(0.6, 0.8), Float64Array.of(-4)];
    tx.update(updates, tx.init(params), params);
    expect(Array.from(updates[1])).toEqual([-1]);
    expect(() => tx.update(updates, tx.init(params))).toThrow(/scaleByTrustRatio: this transformation needs the parameters/);
    expect(() => scaleByTrustRatio({ trustCoefficient: -1 })).toThrow(new RangeError("scaleByTrustRatio: trustCoefficient must be >= 0, got -1"));
  });
});

describe("LAMB", () => {
  const { start, grads } = referenceProblem(6);

  it("follows the paper's Algorithm 2 step by step (float64, 6 steps, weight decay 0.1)", () => {
    const expected = paperLamb(start, grads, 0.02, 0.9, 0.999, 1e-6, 0.1);
    expectFollowsReference((p) => new LAMB(p, { lr: 0.02, weightDecay: 0.1 }), start, grads, expected);
    expectFollowsReference((p) => Object.assign(new LAMB(p, { lr: 0.02, weightDecay: 0.1 }), { fused: false }), start, grads, expected);
    expectFollowsReference(viaAlias(lamb(0.02, { weightDecay: 0.1 })), start, grads, expected);
    // Without decay, the defaults lr 1e-3, betas [0.9, 0.999], eps 1e-6.
    expectFollowsReference((p) => new LAMB(p), start, grads, paperLamb(start, grads, 1e-3, 0.9, 0.999, 1e-6, 0));
  });

  it("moves every layer by exactly lr·‖p‖ per step, whatever the gradient scale", () => {
    for (const gradScale of [1e-6, 1, 1e6]) {
      const params = randomParams(3, "float64", [[4, 3], [6]]);
      const grads = randomGradients(4, 1, "float64", [[4, 3], [6]]).map((step) => step.map((g) => g.map((x) => x * gradScale)));
      const before = params.map((p) => Float64Array.from(p.data));
      setGradients(params, grads, 0);
      new LAMB(params, { lr: 0.01, weightDecay: 0.1 }).step();
      params.forEach((p, i) => {
        const delta = before[i].map((x, j) => p.data[j] - x);
        expect(norm(delta) / (0.01 * norm(before[i]))).toBeCloseTo(1, 12);
      });
    }
  });

  it("with trustRatio false in a group, takes AdamW steps there", () => {
    const a = randomParams(5, "float64", [[3, 2], [4]]);
    const b = copyParams(a);
    const grads = randomGradients(6, 5, "float64", [[3, 2], [4]]);
    const opt = new LAMB([{ params: [a[0]] }, { params: [a[1]], trustRatio: false }], { lr: 0.01, weightDecay: 0.1, eps: 1e-6 });
    const adamw = new nb.optim.AdamW([b[1]], { lr: 0.01, weightDecay: 0.1, eps: 1e-6 });
    for (let k = 0; k < 5; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      opt.step();
      adamw.step();
    }
    expect(relDiff(a[1].data, b[1].data)).toBeLessThanOrEqual(1e-14);
    expect(relDiff(a[0].data, b[0].data)).toBeGreaterThan(1e-3);
  });

  it("the alias's mask matches a group without weight decay", () => {
    const shapes = [[3, 2], [4]];
    const a = randomParams(7, "float64", shapes);
    const b = copyParams(a);
    const grads = randomGradients(8, 6, "float64", shapes);
    const alias = viaAlias(lamb(0.01, { weightDecay: 0.1, mask: (p) => p.shape.length > 1 }))(a);
    const cls = new LAMB([{ params: [b[0]] }, { params: [b[1]], weightDecay: 0 }], { lr: 0.01, weightDecay: 0.1 });
    for (let k = 0; k < 6; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      alias.step();
      cls.step();
    }
    a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `param ${i}`).toBeLessThanOrEqual(1e-13));
  });

  const configs = [{ lr: 0.01 }, { lr: 0.01, betas: [0.8, 0.99], eps: 1e-3, weightDecay: 0.2, maximize: true }, { lr: 0.01, trustRatio: false, weightDecay: 0.1 }];
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
    expect(() => new LAMB(x(), { lr: -1 })).toThrow(new RangeError("LAMB: lr must be >= 0, got -1"));
    expect(() => new LAMB(x(), { eps: -1 })).toThrow(new RangeError("LAMB: eps must be >= 0, got -1"));
    expect(() => new LAMB(x(), { betas: [1, 0.9] })).toThrow(new RangeError("LAMB: betas[0] must be in [0, 1), got 1"));
    expect(() => new LAMB(x(), { weightDecay: -1 })).toThrow(new RangeError("LAMB: weightDecay must be >= 0, got -1"));
    expect(() => new LAMB(x(), { trustRatio: "yes" as unknown as boolean })).toThrow(new TypeError('LAMB: trustRatio must be a boolean, got "yes"'));
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 3000 steps (lr 0.05 cosine-decayed to 0)", () => {
    // The trust ratio fixes each step at lr·‖p‖, so the lr must decay to settle.
    expect(rosenbrockDistance((p) => new LAMB(p, { lr: 0.05 }), 3000, cosine(0.05, 3000))).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to >= 95% test accuracy in 20 epochs (lr 3e-2)", async () => {
    expect(await twoMoonsAccuracy((p) => new LAMB(p, { lr: 3e-2 }))).toBeGreaterThanOrEqual(0.95);
  });
});
