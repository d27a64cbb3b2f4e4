import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

describe("GradientMonitor", () => {
  it("reports each step's per-layer gradient norm and exact update/weight ratio", async () => {
    const data = nb.data.gaussianBlobs({ n: 96, centers: 3, seed: 1 });
    const model = nb.mlp(2, [4], 3);
    const lr = 0.1;
    const monitor = new nb.GradientMonitor(model);
    await nb.fit(model, { optimizer: new nb.optim.SGD(model.parameters(), { lr }), loss: nb.nn.functional.crossEntropy, trainData: data.train, epochs: 1, batchSize: 32, shuffle: false, callbacks: [monitor] });
    expect(monitor.records.map((r) => r.step)).toEqual([1, 2, 3]);
    // For plain SGD the update is -lr * grad, so ||update|| = lr * ||grad|| for every layer.
    for (const r of monitor.records) {
      for (const p of r.stats.params) expect(p.updateNorm!).toBeCloseTo(lr * p.gradNorm!, 6);
      expect(r.vanishing || r.exploding).toBe(false);
    }
  });

  it("flags exploding gradients", async () => {
    const data = nb.data.gaussianBlobs({ n: 32, centers: 2, seed: 2 });
    const model = nb.mlp(2, [4], 2);
    const monitor = new nb.GradientMonitor(model, { explodingAbove: 1e-9 });
    await nb.fit(model, { optimizer: new nb.optim.SGD(model.parameters(), { lr: 0 }), loss: nb.nn.functional.crossEntropy, trainData: data.train, epochs: 1, batchSize: 32, callbacks: [monitor] });
    expect(monitor.records[0]!.exploding).toBe(true);
  });
});
