// LARS: the class and the alias against a loop written from the paper's
// Algorithm 1 (in optax's form), the trust ratio's effect, fused == chain,
// round trips, validation, Rosenbrock and two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { lars } from "../../src/optim/aliases/lars.js";
import { LARS } from "../../src/optim/optimizers/LARS.js";
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

const make: Make = (params, options) => new LARS(params, options);

/**
 * You et al. 2017, Algorithm 1 (LARS), per layer w, in optax.lars's form
 * (trust ratio on the decayed gradient): d = g + β·w,
 * λ = η·‖w‖/(‖d‖ + ε) (1 when either norm is 0), v ← m·v + γ·λ·d,
 * w ← w − v; Nesterov: w ← w − (γ·λ·d + m·v).
 */
function paperLars(start: Values, grads: Values[], o: { lr: number; momentum: number; wd: number; eta: number; eps: number; nesterov: boolean }): Values[] {
  const w = start.map((a) => Float64Array.from(a));
  const v = start.map((a) => new Float64Array(a.length));
  return grads.map((gs) => {
    gs.forEach((g, l) => {
      const d = g.map((gi, i) => gi + o.wd * w[l][i]);
      const wn = norm(w[l]);
      const dn = norm(d);
      const local = wn > 0 && dn > 0 ? (o.eta * wn) / (dn + o.eps) : 1;
      for (let i = 0; i < g.length; i++) {
        const step = o.lr * local * d[i];
        v[l][i] = o.momentum * v[l][i] + step;
        w[l][i] -= o.nesterov ? step + o.momentum * v[l][i] : v[l][i];
      }
    });
    return w.map((a) => Float64Array.from(a));
  });
}

describe("LARS", () => {
  const { start, grads } = referenceProblem(6);

  it("follows the paper's Algorithm 1 step by step (float64, 6 steps, momentum 0.9, weight decay 0.01)", () => {
    const expected = paperLars(start, grads, { lr: 2, momentum: 0.9, wd: 0.01, eta: 1e-3, eps: 0, nesterov: false });
    expectFollowsReference((p) => new LARS(p, { lr: 2, weightDecay: 0.01 }), start, grads, expected);
    expectFollowsReference((p) => Object.assign(new LARS(p, { lr: 2, weightDecay: 0.01 }), { fused: false }), start, grads, expected);
    expectFollowsReference(viaAlias(lars(2, { weightDecay: 0.01 })), start, grads, expected);
  });

  it("follows it with Nesterov momentum, eps and another trust coefficient", () => {
    const o = { lr: 0.5, momentum: 0.8, wd: 0.1, eta: 0.02, eps: 0.3, nesterov: true };
    const expected = paperLars(start, grads, o);
    const options = { lr: 0.5, momentum: 0.8, weightDecay: 0.1, trustCoefficient: 0.02, eps: 0.3, nesterov: true };
    expectFollowsReference((p) => new LARS(p, options), start, grads, expected);
    expectFollowsReference(viaAlias(lars(0.5, { momentum: 0.8, weightDecay: 0.1, trustCoefficient: 0.02, eps: 0.3, nesterov: true })), start, grads, expected);
  });

  it("without momentum, moves every layer by exactly lr·c·‖p‖ per step, whatever the gradient scale", () => {
    for (const gradScale of [1e-6, 1e6]) {
      const params = randomParams(3, "float64", [[4, 3], [6]]);
      const before = params.map((p) => Float64Array.from(p.data));
      const grads = randomGradients(4, 1, "float64", [[4, 3], [6]]).map((step) => step.map((g) => g.map((x) => x * gradScale)));
      setGradients(params, grads, 0);
      new LARS(params, { lr: 2, momentum: 0, trustCoefficient: 0.01 }).step();
      params.forEach((p, i) => {
        const delta = before[i].map((x, j) => p.data[j] - x);
        expect(norm(delta) / (2 * 0.01 * norm(before[i]))).toBeCloseTo(1, 12);
      });
    }
  });

  it("with trustRatio false in a group, takes torch.optim.SGD momentum steps there", () => {
    const shapes = [[3, 2], [4]];
    for (const nesterov of [false, true]) {
      const a = randomParams(5, "float64", shapes);
      const b = copyParams(a);
      const grads = randomGradients(6, 5, "float64", shapes);
      const opt = new LARS([{ params: [a[0]] }, { params: [a[1]], trustRatio: false }], { lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov });
      const sgd = new nb.optim.SGD([b[1]], { lr: 0.1, momentum: 0.9, weightDecay: 0.01, nesterov });
      for (let k = 0; k < 5; k++) {
        setGradients(a, grads, k);
        setGradients(b, grads, k);
        opt.step();
        sgd.step();
      }
      expect(relDiff(a[1].data, b[1].data)).toBeLessThanOrEqual(1e-14);
      // The adapted group moved (b[0] is the untouched start).
      expect(relDiff(a[0].data, b[0].data)).toBeGreaterThan(1e-5);
    }
  });

  it("the alias's masks match groups: no decay and no trust ratio for biases", () => {
    const shapes = [[3, 2], [4]];
    const a = randomParams(7, "float64", shapes);
    const b = copyParams(a);
    const grads = randomGradients(8, 6, "float64", shapes);
    const weightsOnly = (p: nb.optim.ParamView) => p.shape.length > 1;
    const alias = viaAlias(lars(0.5, { weightDecay: 0.1, weightDecayMask: weightsOnly, trustRatioMask: weightsOnly, trustCoefficient: 0.01 }))(a);
    const cls = new LARS([{ params: [b[0]] }, { params: [b[1]], weightDecay: 0, trustRatio: false }], { lr: 0.5, weightDecay: 0.1, trustCoefficient: 0.01 });
    for (let k = 0; k < 6; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      alias.step();
      cls.step();
    }
    a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `param ${i}`).toBeLessThanOrEqual(1e-13));
  });

  const configs = [
    { lr: 1 },
    { lr: 1, momentum: 0 },
    { lr: 0.5, momentum: 0.8, nesterov: true, weightDecay: 0.1, trustCoefficient: 0.01, eps: 1e-3, maximize: true },
    { lr: 0.05, trustRatio: false, weightDecay: 0.1 },
  ];
  for (const config of configs) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`fused kernel == chain ${JSON.stringify(config)} [${dtype}]`, () => expectFusedMatchesChain(make, config, dtype));
    }
    for (const json of [false, true]) {
      it(`state dict round trip is exact ${JSON.stringify(config)}${json ? " (through JSON)" : ""}`, () => expectExactRoundTrip(make, config, json));
    }
  }

  it("keeps no buffer without momentum, and creates a zero one when momentum is switched on", () => {
    const p = nb.tensor([3, 4], { dtype: "float64" });
    const opt = new LARS([p], { lr: 1, momentum: 0, trustCoefficient: 0.1 });
    p.grad = nb.tensor([0.6, 0.8], { dtype: "float64" });
    opt.step();
    expect(opt.state.get(p)).toEqual({ momentumBuffer: null });
    // λ = 0.1·5/1 = 0.5, so p ← p − 0.5·g.
    expect(Array.from(p.data)).toEqual([3 - 0.3, 4 - 0.4]);
    opt.paramGroups[0].momentum = 0.9;
    opt.step();
    expect(opt.state.get(p)?.momentumBuffer).toBeInstanceOf(Float64Array);
  });

  it("validates its options", () => {
    const x = () => [nb.tensor([1, 2])];
    expect(() => new LARS(x(), { lr: -1 })).toThrow(new RangeError("LARS: lr must be >= 0, got -1"));
    expect(() => new LARS(x(), { momentum: -0.1 })).toThrow(new RangeError("LARS: momentum must be >= 0, got -0.1"));
    expect(() => new LARS(x(), { trustCoefficient: -1 })).toThrow(new RangeError("LARS: trustCoefficient must be >= 0, got -1"));
    expect(() => new LARS(x(), { eps: Number.NaN })).toThrow(new RangeError("LARS: eps must be >= 0, got NaN"));
    expect(() => new LARS(x(), { weightDecay: -1 })).toThrow(new RangeError("LARS: weightDecay must be >= 0, got -1"));
    expect(() => new LARS(x(), { nesterov: true, momentum: 0 })).toThrow(new RangeError("LARS: nesterov requires momentum > 0, got momentum 0"));
    expect(() => new LARS(x(), { trustRatio: 0 as unknown as boolean })).toThrow(new TypeError("LARS: trustRatio must be a boolean, got 0"));
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 3000 steps (lr 3 cosine-decayed to 0, momentum 0.9, c 1e-3)", () => {
    expect(rosenbrockDistance((p) => new LARS(p, { lr: 3 }), 3000, cosine(3, 3000))).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to >= 95% test accuracy in 20 epochs (lr 10, biases without trust ratio)", async () => {
    const acc = await twoMoonsAccuracy((params) => {
      const weights = params.filter((p) => p.ndim > 1);
      const biases = params.filter((p) => p.ndim <= 1);
      return new LARS([{ params: weights }, { params: biases, trustRatio: false, lr: 0.1 }], { lr: 10 });
    });
    expect(acc).toBeGreaterThanOrEqual(0.95);
  });
});
