// Every optimizer the CLI offers trains the default MNIST MLP (784-256-128-10)
// to a sensible accuracy on a small budget: 2,000 training images, 3 epochs
// of batch 64 (94 steps), at the optimizer's default learning rate. Muon,
// whose Newton-Schulz iteration costs ~0.4 s a step on the reference GEMM,
// gets 1 epoch (32 steps).
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { OPTIMIZERS } from "../../src/cli/optimizers.js";

const data = nb.data.mnist({ trainSize: 2000, testSize: 500 });
const EPOCHS: Record<string, number> = { muon: 1 };
const ce = (o: nb.Tensor, y: nb.Tensor) => nb.nn.functional.crossEntropy(o, y);

describe("every optimizer trains the MNIST MLP", () => {
  for (const [name, entry] of Object.entries(OPTIMIZERS)) {
    it(`${name} (lr ${entry.lr}) reaches 70% test accuracy`, async () => {
      nb.manualSeed(0);
      const model = nb.mlp(784, [256, 128], 10);
      const optimizer = entry.make(model.parameters(), entry.lr, {});
      const history = await nb.fit(model, {
        optimizer,
        loss: ce,
        trainData: data.train,
        valData: data.test,
        epochs: EPOCHS[name] ?? 3,
        batchSize: 64,
        generator: new nb.Generator(0),
        metrics: ["accuracy"],
      });
      const best = Math.max(...history.epochs.map((e) => e.val_accuracy!));
      expect(best).toBeGreaterThanOrEqual(0.7);
      const steps = history.steps.map((s) => s.loss);
      const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
      expect(mean(steps.slice(-10))).toBeLessThan(mean(steps.slice(0, 10)));
    });
  }
});
