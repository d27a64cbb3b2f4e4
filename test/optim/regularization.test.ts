import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

describe("addL1Proximal", () => {
  it("soft-thresholds the stepped parameter: sign(w + u) max(|w + u| - tau, 0)", () => {
    const w = nb.tensor([1.0, -0.05, 0.3, -2.0, 0.0], { dtype: "float64" });
    const tx = nb.optim.chain(nb.optim.scaleByLearningRate(0.1), nb.optim.addL1Proximal(0.1 * 0.5));
    const state = tx.init([w]);
    const g = new Float64Array([1, 0, -1, 0, 0.2]);
    tx.update([g], state, [w]);
    nb.optim.applyUpdates([w], [g]);
    // w + u = [0.9, -0.05, 0.4, -2.0, -0.02]; threshold 0.05
    const expected = [0.85, 0, 0.35, -1.95, 0];
    expect(Array.from(w.data).map((v) => Math.round(v * 1e12) / 1e12)).toEqual(expected);
  });

  it("drives the weights of an irrelevant feature to exactly zero (lasso)", () => {
    // least squares y = 2 x0 + 0 x1, with x1 pure noise: the proximal L1 step zeroes w1.
    const gen = new nb.Generator(3);
    const n = 200;
    const X = nb.randn([n, 2], { dtype: "float64", generator: gen });
    const y = new Float64Array(n).map((_, i) => 2 * X.data[2 * i]!);
    const w = nb.zeros([2], { dtype: "float64" });
    const lr = 0.1;
    const tx = nb.optim.chain(nb.optim.scaleByLearningRate(lr), nb.optim.addL1Proximal(lr * 0.1));
    const state = tx.init([w]);
    for (let step = 0; step < 300; step++) {
      const g = new Float64Array(2);
      for (let i = 0; i < n; i++) {
        const r = w.data[0]! * X.data[2 * i]! + w.data[1]! * X.data[2 * i + 1]! - y[i]!;
        g[0]! += (r * X.data[2 * i]!) / n;
        g[1]! += (r * X.data[2 * i + 1]!) / n;
      }
      tx.update([g], state, [w]);
      nb.optim.applyUpdates([w], [g]);
    }
    expect(w.data[1]).toBe(0);
    expect(w.data[0]).toBeGreaterThan(1.8);
  });

  it("rejects a negative threshold", () => {
    expect(() => nb.optim.addL1Proximal(-1)).toThrow(/threshold/);
  });
});

describe("weight-decay masks", () => {
  it("decays weight matrices and kernels but not biases or norm parameters", () => {
    const model = new nb.nn.Sequential(new nb.nn.Linear(3, 4), new nb.nn.LayerNorm([4]), new nb.nn.Linear(4, 2));
    expect(nb.optim.decayMask(model)).toEqual([true, false, false, false, true, false]);
    const groups = nb.optim.weightDecayGroups(model, 0.1);
    expect(groups.map((g) => [g.params.length, g.weightDecay])).toEqual([[2, 0.1], [4, 0]]);
    const opt = new nb.optim.AdamW(groups, { lr: 1e-3 });
    expect(opt.paramGroups.map((g) => g.weightDecay)).toEqual([0.1, 0]);
  });

  it("leaves masked-out parameters undecayed under maskedBy", () => {
    const w = nb.ones([2, 2], { dtype: "float64" });
    const b = nb.ones([2], { dtype: "float64" });
    const tx = nb.optim.maskedBy(nb.optim.addDecayedWeights(0.5), nb.optim.decayMask([w, b]));
    const state = tx.init([w, b]);
    const u = [new Float64Array(4), new Float64Array(2)];
    tx.update(u, state, [w, b]);
    expect(Array.from(u[0]!)).toEqual([0.5, 0.5, 0.5, 0.5]);
    expect(Array.from(u[1]!)).toEqual([0, 0]);
  });
});
