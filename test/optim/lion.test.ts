// Lion: the transformation against hand values, the class and the alias
// against a loop written from the paper's Algorithm 2, fused == chain,
// state round trips, validation, Rosenbrock and two moons.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { lion } from "../../src/optim/aliases/lion.js";
import { Lion } from "../../src/optim/optimizers/Lion.js";
import { scaleByLion } from "../../src/optim/transforms/scaleByLion.js";
import { copyParams, randomGradients, randomParams, relDiff, setGradients } from "./helpers.js";
import {
  cosine,
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

const make: Make = (params, options) => new Lion(params, options);

/**
 * Chen et al. 2023, Algorithm 2 (with decoupled weight decay), written
 * out: c = β1·m + (1−β1)·g; θ ← θ − lr·(sign(c) + λ·θ); m ← β2·m + (1−β2)·g.
 */
function paperLion(start: Values, grads: Values[], lr: number, b1: number, b2: number, wd: number): Values[] {
  const theta = start.map((v) => Float64Array.from(v));
  const m = start.map((v) => new Float64Array(v.length));
  return grads.map((gs) => {
    gs.forEach((g, l) => {
      for (let i = 0; i < g.length; i++) {
        const c = b1 * m[l][i] + (1 - b1) * g[i];
        theta[l][i] = theta[l][i] - lr * (Math.sign(c) + wd * theta[l][i]);
        m[l][i] = b2 * m[l][i] + (1 - b2) * g[i];
      }
    });
    return theta.map((t) => Float64Array.from(t));
  });
}

describe("scaleByLion", () => {
  it("outputs sign(b1·m + (1−b1)·g), then moves m with b2", () => {
    const tx = scaleByLion({ b1: 0.9, b2: 0.99 });
    const p = { data: new Float64Array(3), shape: [3] };
    const state = tx.init([p]);
    // Step 1: m = 0, so the update is sign(g); m ← (1 − 0.99)·g.
    const u1 = Float64Array.of(2, -0.5, 0);
    tx.update([u1], state, [p]);
    expect(Array.from(u1)).toEqual([1, -1, 0]);
    expect(Array.from(state.mu[0])).toEqual([(1 - 0.99) * 2, (1 - 0.99) * -0.5, 0]);
    // Step 2: g = (−0.001, 1, 0): 0.9·0.02 + 0.1·(−0.001) = 0.0179 > 0, so the
    // momentum wins against a small opposite gradient; 0.9·(−0.005) + 0.1 > 0.
    const u2 = Float64Array.of(-0.001, 1, 0);
    tx.update([u2], state, [p]);
    expect(Array.from(u2)).toEqual([1, 1, 0]);
    expect(state.count).toBe(2);
    expect(state.mu[0][0]).toBeCloseTo(0.99 * 0.02 + 0.01 * -0.001, 16);
  });

  it("rejects b1, b2 outside [0, 1)", () => {
    expect(() => scaleByLion({ b1: 1 })).toThrow(new RangeError("scaleByLion: b1 must be in [0, 1), got 1"));
    expect(() => scaleByLion({ b2: -0.1 })).toThrow(new RangeError("scaleByLion: b2 must be in [0, 1), got -0.1"));
  });
});

describe("Lion", () => {
  const { start, grads } = referenceProblem(6);

  it("follows the paper's Algorithm 2 step by step (float64, 6 steps, decoupled decay)", () => {
    const expected = paperLion(start, grads, 0.01, 0.9, 0.99, 0.1);
    expectFollowsReference((p) => new Lion(p, { lr: 0.01, weightDecay: 0.1 }), start, grads, expected);
    expectFollowsReference((p) => Object.assign(new Lion(p, { lr: 0.01, weightDecay: 0.1 }), { fused: false }), start, grads, expected);
    expectFollowsReference(viaAlias(lion(0.01, { weightDecay: 0.1 })), start, grads, expected);
  });

  it("uses the torch-style defaults lr 1e-4, betas [0.9, 0.99], no weight decay", () => {
    const opt = new Lion([nb.tensor([1], { dtype: "float64" })]);
    expect(opt.defaults).toEqual({ lr: 1e-4, betas: [0.9, 0.99], weightDecay: 0, maximize: false });
    expectFollowsReference((p) => new Lion(p), start, grads, paperLion(start, grads, 1e-4, 0.9, 0.99, 0));
  });

  it("maximize steps along +sign, i.e. minimises −f", () => {
    const { start: s, grads: gs } = referenceProblem(4);
    const flipped = gs.map((step) => step.map((g) => g.map((x) => -x)));
    expectFollowsReference((p) => new Lion(p, { lr: 0.01, maximize: true }), s, gs, paperLion(s, flipped, 0.01, 0.9, 0.99, 0));
  });

  it("the alias's mask matches a group without weight decay", () => {
    const shapes = [[3, 2], [4]];
    const a = randomParams(7, "float64", shapes);
    const b = copyParams(a);
    const grads = randomGradients(8, 6, "float64", shapes);
    const alias = viaAlias(lion(0.01, { weightDecay: 0.5, mask: [true, false] }))(a);
    const cls = new Lion([{ params: [b[0]] }, { params: [b[1]], weightDecay: 0 }], { lr: 0.01, weightDecay: 0.5 });
    for (let k = 0; k < 6; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      alias.step();
      cls.step();
    }
    a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `param ${i}`).toBeLessThanOrEqual(1e-13));
  });

  const configs = [{ lr: 0.01 }, { lr: 0.01, betas: [0.5, 0.9], weightDecay: 0.3, maximize: true }];
  for (const config of configs) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`fused kernel == chain ${JSON.stringify(config)} [${dtype}]`, () => expectFusedMatchesChain(make, config, dtype));
    }
    for (const json of [false, true]) {
      it(`state dict round trip is exact ${JSON.stringify(config)}${json ? " (through JSON)" : ""}`, () => expectExactRoundTrip(make, config, json));
    }
  }

  it("keeps one float32 buffer per parameter (4 bytes per float32 parameter)", () => {
    const p = nb.zeros([7]);
    const opt = new Lion([p]);
    p.grad = nb.ones([7]);
    opt.step();
    const s = opt.state.get(p)!;
    expect(Object.keys(s)).toEqual(["expAvg"]);
    expect(s.expAvg).toBeInstanceOf(Float32Array);
    expect(s.expAvg.length).toBe(7);
  });

  it("validates its options", () => {
    const x = () => [nb.tensor([1, 2])];
    expect(() => new Lion(x(), { lr: -1 })).toThrow(new RangeError("Lion: lr must be >= 0, got -1"));
    expect(() => new Lion(x(), { betas: [0.9, 1] })).toThrow(new RangeError("Lion: betas[1] must be in [0, 1), got 1"));
    expect(() => new Lion(x(), { weightDecay: -0.1 })).toThrow(new RangeError("Lion: weightDecay must be >= 0, got -0.1"));
    expect(() => new Lion(x(), { maximize: 1 as unknown as boolean })).toThrow(new TypeError("Lion: maximize must be a boolean, got 1"));
    expect(() => new Lion([{ params: x(), betas: [1.5, 0.9] }])).toThrow(new RangeError("Lion: betas[0] must be in [0, 1), got 1.5"));
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 2000 steps (lr 5e-3 cosine-decayed to 0, betas [0.95, 0.98])", () => {
    // Sign steps have a fixed size lr, so the lr must decay to settle.
    const d = rosenbrockDistance((p) => new Lion(p, { lr: 5e-3, betas: [0.95, 0.98] }), 2000, cosine(5e-3, 2000));
    expect(d).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to >= 95% test accuracy in 20 epochs (lr 1e-2)", async () => {
    expect(await twoMoonsAccuracy((p) => new Lion(p, { lr: 1e-2 }))).toBeGreaterThanOrEqual(0.95);
  });
});
