// Every optimizer the CLI offers trains the default MNIST MLP (784-256-128-10)
// to a sensible accuracy on a small budget: 2,000 training images, 3 epochs
// of batch 64 (94 steps), at the optimizer's default learning rate.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { OPTIMIZERS } from "../../src/cli/optimizers.js";

const data = nb.data.mnist({ trainSize: 2000, testSize: 500 });
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
        epochs: 3,
        batchSize: 64,
        generator: new nb.Generator(0),
        metrics: ["accuracy"],
      });
      const best = Math.max(...history.epochs.map((e) => e.val_accuracy!));
      expect(best).toBeGreaterThanOrEqual(0.7);
      expect(history.epochs[2]!.loss).toBeLessThan(history.epochs[0]!.loss);
    });
  }
});
