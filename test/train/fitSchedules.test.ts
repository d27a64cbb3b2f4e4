import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const ce = (out: nb.Tensor, y: nb.Tensor) => nb.nn.functional.crossEntropy(out, y);
const data = nb.data.gaussianBlobs({ n: 160, centers: 3, seed: 4 });

describe("fit with schedules, schedulers and clipping", () => {
  it("writes a schedule function's value into every group before each step and logs it", async () => {
    const model = nb.mlp(2, [8], 3);
    const opt = new nb.optim.SGD(model.parameters(), { lr: 1 });
    const schedule = nb.schedules.exponentialDecay({ initValue: 0.1, decayRate: 0.5, transitionSteps: 1 });
    const history = await nb.fit(model, { optimizer: opt, loss: ce, trainData: data.train, epochs: 2, batchSize: 32, schedule });
    expect(history.steps.map((s) => s.lr)).toEqual(history.steps.map((_, i) => 0.1 * 0.5 ** i));
  });

  it("steps a PyTorch-style scheduler per epoch by default, and per batch when asked", async () => {
    const model = nb.mlp(2, [8], 3);
    const opt = new nb.optim.SGD(model.parameters(), { lr: 0.1 });
    const perEpoch = new nb.optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const h1 = await nb.fit(model, { optimizer: opt, loss: ce, trainData: data.train, epochs: 3, batchSize: 64, schedule: perEpoch });
    expect(h1.epochs.map((e) => e.lr)).toEqual([0.1, 0.05, 0.025]);

    const opt2 = new nb.optim.SGD(model.parameters(), { lr: 0.1 });
    const perBatch = new nb.optim.lrScheduler.StepLR(opt2, { stepSize: 1, gamma: 0.5 });
    const h2 = await nb.fit(model, { optimizer: opt2, loss: ce, trainData: data.train, epochs: 1, batchSize: 64, schedule: perBatch, scheduleInterval: "batch" });
    expect(h2.steps.map((s) => s.lr)).toEqual([0.1, 0.05]);
  });

  it("passes the monitored metric to ReduceLROnPlateau", async () => {
    const model = nb.mlp(2, [8], 3);
    const opt = new nb.optim.SGD(model.parameters(), { lr: 0.2 });
    const plateau = new nb.optim.lrScheduler.ReduceLROnPlateau(opt, { mode: "max", patience: 0, factor: 0.5 });
    // val_loss under mode "max" with lr going down: whenever it does not rise, the lr halves.
    const history = await nb.fit(model, {
      optimizer: opt,
      loss: ce,
      trainData: data.train,
      valData: data.test,
      epochs: 4,
      batchSize: 32,
      schedule: plateau,
      scheduleMetric: "val_loss",
    });
    const lrs = history.epochs.map((e) => e.lr);
    for (let e = 1; e < lrs.length; e++) {
      // torch's rule for mode "max", threshold 1e-4 (rel): better means a > best * (1 + 1e-4).
      const best = Math.max(...history.epochs.slice(0, e - 1).map((r) => r.val_loss!), -Infinity);
      const improved = history.epochs[e - 1]!.val_loss! > best * (1 + 1e-4);
      expect(lrs[e]).toBe(improved ? lrs[e - 1] : lrs[e - 1]! / 2);
    }
    await expect(nb.fit(model, { optimizer: opt, loss: ce, trainData: data.train, epochs: 1, schedule: plateau, scheduleMetric: "val_nope" })).rejects.toThrow(/val_nope/);
  });

  it("clips the global gradient norm before every step", async () => {
    const model = nb.mlp(2, [8], 3);
    const inner = new nb.optim.SGD(model.parameters(), { lr: 0.1 });
    const norms: number[] = [];
    const spy = {
      paramGroups: inner.paramGroups,
      zeroGrad: () => inner.zeroGrad(),
      step: () => {
        let s = 0;
        for (const p of model.parameters()) for (const g of p.grad!.data) s += g * g;
        norms.push(Math.sqrt(s));
        inner.step();
      },
    };
    await nb.fit(model, { optimizer: spy, loss: (o, y) => ce(o, y).mul(1000), trainData: data.train, epochs: 1, batchSize: 32, clipGradNorm: 0.5 });
    expect(norms.length).toBeGreaterThan(0);
    for (const n of norms) expect(n).toBeLessThanOrEqual(0.5 + 1e-6);
  });
});
