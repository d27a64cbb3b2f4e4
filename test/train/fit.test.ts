import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const ce = (out: nb.Tensor, y: nb.Tensor) => nb.nn.functional.crossEntropy(out, y);

describe("fit", () => {
  it("trains an MLP on two moons to at least 97% test accuracy", async () => {
    const data = nb.data.twoMoons({ n: 1000, noise: 0.1, seed: 1 });
    nb.manualSeed(1);
    const model = nb.mlp(2, [32, 32], 2);
    const history = await nb.fit(model, {
      optimizer: new nb.optim.Adam(model.parameters(), { lr: 0.01 }),
      loss: ce,
      trainData: data.train,
      valData: data.test,
      epochs: 40,
      batchSize: 32,
      generator: new nb.Generator(1),
      metrics: ["accuracy"],
    });
    expect(history.epochs).toHaveLength(40);
    expect(history.steps).toHaveLength(40 * Math.ceil(data.train.length / 32));
    expect(history.epochs[39]!.loss).toBeLessThan(history.epochs[0]!.loss);
    expect(history.epochs[39]!.val_accuracy).toBeGreaterThanOrEqual(0.97);
    const ev = nb.evaluate(model, data.test, { loss: ce, metrics: ["accuracy"] });
    expect(ev.accuracy).toBe(history.epochs[39]!.val_accuracy);
  });

  it("logs the learning rate and time per epoch, and restores eval/train mode in evaluate", async () => {
    const data = nb.data.gaussianBlobs({ n: 200, centers: 3, seed: 2 });
    const model = nb.mlp(2, [8], 3);
    const opt = new nb.optim.SGD(model.parameters(), { lr: 0.05 });
    const history = await nb.fit(model, { optimizer: opt, loss: ce, trainData: data.train, epochs: 2, batchSize: 16 });
    expect(history.epochs.map((e) => e.lr)).toEqual([0.05, 0.05]);
    expect(history.epochs.every((e) => e.seconds > 0 && e.samplesPerSecond > 0)).toBe(true);
    model.train();
    nb.evaluate(model, data.test, { loss: ce });
    expect(model.training).toBe(true);
  });

  it("stops with an error naming the step when the loss is not finite, before updating weights", async () => {
    const x = nb.tensor([[1], [2]]);
    const y = nb.tensor([0, 1], { dtype: "int32" });
    const model = nb.mlp(1, [4], 2);
    const before = model.parameters().map((p) => Array.from(p.data));
    const nanLoss = (out: nb.Tensor) => out.sum().mul(NaN);
    await expect(
      nb.fit(model, { optimizer: new nb.optim.SGD(model.parameters(), { lr: 0.1 }), loss: nanLoss, trainData: new nb.data.TensorDataset(x, y), epochs: 1 }),
    ).rejects.toThrow(/loss is NaN at step 1 \(epoch 1, batch 1\)/);
    expect(model.parameters().map((p) => Array.from(p.data))).toEqual(before);
  });

  it("EarlyStopping ends training once the monitored value stops improving", async () => {
    const data = nb.data.twoMoons({ n: 200, noise: 0.1, seed: 3 });
    const model = nb.mlp(2, [8], 2);
    // lr 0 means no learning: val_loss never improves after the first epoch.
    const stop = new nb.EarlyStopping({ monitor: "val_loss", patience: 2 });
    const history = await nb.fit(model, {
      optimizer: new nb.optim.SGD(model.parameters(), { lr: 0 }),
      loss: ce,
      trainData: data.train,
      valData: data.test,
      epochs: 20,
      callbacks: [stop],
    });
    expect(history.epochs).toHaveLength(4);
    expect(stop.stoppedEpoch).toBe(3);
  });
});

describe("a small CNN on MNIST", () => {
  it("gets well above chance (10%) after one short epoch on a slice", async () => {
    const data = nb.data.mnist({ trainSize: 1024, testSize: 500 });
    nb.manualSeed(0);
    const model = nb.lenet(1, 28, 28, 10);
    const history = await nb.fit(model, {
      optimizer: new nb.optim.Adam(model.parameters(), { lr: 3e-3 }),
      loss: ce,
      trainData: data.train,
      valData: data.test,
      epochs: 1,
      batchSize: 32,
      generator: new nb.Generator(0),
      metrics: ["accuracy"],
    });
    expect(history.epochs[0]!.val_accuracy).toBeGreaterThan(0.5);
  });
});

describe("fit with closure-driven optimizers", () => {
  it("drives L-BFGS with a closure over the full batch and solves least squares", async () => {
    const data = nb.data.linearRegression({ n: 200, features: 3, noise: 0, seed: 5 });
    const model = new nb.nn.Linear(3, 1, { dtype: "float32" });
    const optimizer = new nb.optim.LBFGS(model.parameters(), { lineSearchFn: "strong_wolfe" });
    const history = await nb.fit(model, {
      optimizer,
      loss: (out, y) => nb.nn.functional.mseLoss(out, y),
      trainData: data.train,
      batchSize: data.train.length,
      shuffle: false,
      epochs: 5,
    });
    expect(history.epochs[4]!.loss).toBeLessThan(1e-6);
    Array.from(model.weight.data).forEach((w, i) => expect(w).toBeCloseTo(data.weights[i]!, 3));
  });
});
