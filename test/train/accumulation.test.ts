import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { SAM } from "../../src/optim/optimizers/SAM.js";
import { GradScaler } from "../../src/amp/index.js";
import type { LossScaler } from "../../src/train/lossScaler.js";

const ce = (out: nb.Tensor, y: nb.Tensor) => nb.nn.functional.crossEntropy(out, y);

/** n samples of 3 features in 3 classes, from their own generator. */
function dataset(n: number, seed = 11): nb.data.TensorDataset {
  const g = new nb.Generator(seed);
  return new nb.data.TensorDataset(nb.randn([n, 3], { generator: g }), nb.randint(0, 3, [n], { generator: g }));
}

/** The same small MLP every time (weights from a fixed seed). */
function model(): nb.nn.Sequential {
  nb.manualSeed(3);
  return nb.mlp(3, [6], 3);
}

type MakeOpt = (params: nb.Tensor[]) => nb.optim.SGD | nb.optim.Adam | nb.optim.TransformOptimizer | SAM;

async function train(makeOpt: MakeOpt, options: { batchSize: number; accumulationSteps?: number; n?: number; epochs?: number; clipGradNorm?: number; gradScaler?: LossScaler }) {
  const m = model();
  const optimizer = makeOpt(m.parameters());
  const history = await nb.fit(m, {
    optimizer,
    loss: ce,
    trainData: dataset(options.n ?? 24),
    epochs: options.epochs ?? 2,
    batchSize: options.batchSize,
    generator: new nb.Generator(5),
    ...(options.accumulationSteps !== undefined ? { accumulationSteps: options.accumulationSteps } : {}),
    ...(options.clipGradNorm !== undefined ? { clipGradNorm: options.clipGradNorm } : {}),
    ...(options.gradScaler !== undefined ? { gradScaler: options.gradScaler } : {}),
  });
  return { weights: m.parameters().map((p) => Array.from(p.data)), history };
}

function expectClose(a: number[][], b: number[][], tol: number): void {
  expect(a.length).toBe(b.length);
  a.forEach((row, i) => row.forEach((v, j) => expect(Math.abs(v - b[i]![j]!)).toBeLessThanOrEqual(tol * (1 + Math.abs(b[i]![j]!)))));
}

function maxDiff(a: number[][], b: number[][]): number {
  return Math.max(...a.flatMap((row, i) => row.map((v, j) => Math.abs(v - b[i]![j]!))));
}

const sgd: MakeOpt = (p) => new nb.optim.SGD(p, { lr: 0.3, momentum: 0.9 });
const adam: MakeOpt = (p) => new nb.optim.Adam(p, { lr: 0.05 });

describe("fit accumulationSteps", () => {
  for (const [name, makeOpt] of [["SGD with momentum", sgd], ["Adam", adam]] as const) {
    it(`${name}: 3 accumulated batches of 4 give the update of one batch of 12`, async () => {
      const big = await train(makeOpt, { batchSize: 12 });
      const acc = await train(makeOpt, { batchSize: 4, accumulationSteps: 3 });
      const small = await train(makeOpt, { batchSize: 4 });
      expect(acc.history.steps).toHaveLength(4); // 2 epochs x 24/12 optimizer steps
      expect(big.history.steps).toHaveLength(4);
      expectClose(acc.weights, big.weights, 2e-6);
      acc.history.steps.forEach((s, i) => expect(s.loss).toBeCloseTo(big.history.steps[i]!.loss, 6));
      acc.history.epochs.forEach((e, i) => expect(e.loss).toBeCloseTo(big.history.epochs[i]!.loss, 6));
      // Stepping on every small batch is a different run: the comparison above can fail.
      expect(maxDiff(small.weights, big.weights)).toBeGreaterThan(1e-3);
    });

    it(`${name}: clipping acts on the accumulated gradient, as on the large batch's`, async () => {
      const big = await train(makeOpt, { batchSize: 12, clipGradNorm: 0.05 });
      const acc = await train(makeOpt, { batchSize: 4, accumulationSteps: 3, clipGradNorm: 0.05 });
      const unclipped = await train(makeOpt, { batchSize: 12 });
      expectClose(acc.weights, big.weights, 2e-6);
      expect(maxDiff(unclipped.weights, big.weights)).toBeGreaterThan(1e-3);
    });
  }

  it("a short last group still steps, weighted so that it is the mean over its samples", async () => {
    // 22 samples in batches of 4: 4,4,4 | 4,4,2 -> the same as batches of 12: 12 | 10.
    const big = await train(sgd, { batchSize: 12, n: 22 });
    const acc = await train(sgd, { batchSize: 4, accumulationSteps: 3, n: 22 });
    expect(acc.history.steps).toHaveLength(4);
    expectClose(acc.weights, big.weights, 2e-6);
    // 5 batches of 4 with k = 3: one full group, then a group of two.
    const odd = await train(sgd, { batchSize: 4, accumulationSteps: 3, n: 20, epochs: 1 });
    const oddBig = await train(sgd, { batchSize: 12, n: 20, epochs: 1 });
    expect(odd.history.steps).toHaveLength(2);
    expectClose(odd.weights, oddBig.weights, 2e-6);
  });

  it("equals optax-style multiSteps stepping on every batch", async () => {
    const k = 3;
    const viaFit = await train(adam, { batchSize: 4, accumulationSteps: k });
    const viaTransform = await train(
      (p) => nb.optim.fromTransform(p, nb.optim.multiSteps(nb.optim.adam(0.05), { everyK: k })),
      { batchSize: 4 },
    );
    expectClose(viaFit.weights, viaTransform.weights, 2e-6);
  });

  it("re-evaluates every batch of the group in the closure of SAM (which evaluates twice per step)", async () => {
    const sam: MakeOpt = (p) => new SAM(new nb.optim.SGD(p, { lr: 0.3, momentum: 0.9 }), { rho: 0.05 });
    const big = await train(sam, { batchSize: 12 });
    const acc = await train(sam, { batchSize: 4, accumulationSteps: 3 });
    const plain = await train(sgd, { batchSize: 12 });
    expectClose(acc.weights, big.weights, 2e-6);
    expect(maxDiff(plain.weights, big.weights)).toBeGreaterThan(1e-4);
  });

  it("counts optimizer steps in history, logs and schedules", async () => {
    const m = model();
    const opt = new nb.optim.SGD(m.parameters(), { lr: 0.1 });
    const scheduler = new nb.optim.lrScheduler.StepLR(opt, { stepSize: 1, gamma: 0.5 });
    const logs: nb.BatchLogs[] = [];
    let stepsPerEpoch = 0;
    const history = await nb.fit(m, {
      optimizer: opt,
      loss: ce,
      trainData: dataset(40),
      epochs: 2,
      batchSize: 4,
      accumulationSteps: 4, // 10 batches: groups of 4, 4, 2
      schedule: scheduler,
      scheduleInterval: "batch",
      callbacks: [{ onBatchEnd: (l) => logs.push(l), onTrainBegin: (c) => (stepsPerEpoch = c.stepsPerEpoch) }],
    });
    expect(stepsPerEpoch).toBe(3);
    expect(history.steps.map((s) => s.step)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(history.steps.map((s) => s.lr)).toEqual([0.1, 0.05, 0.025, 0.0125, 0.00625, 0.003125]);
    expect(logs.map((l) => [l.batch, l.batchSize])).toEqual([[0, 16], [1, 16], [2, 8], [0, 16], [1, 16], [2, 8]]);
    expect(opt.stepCount).toBe(6);
  });

  it("rejects a bad accumulationSteps", async () => {
    const m = model();
    for (const k of [0, 1.5, -2]) {
      await expect(
        nb.fit(m, { optimizer: new nb.optim.SGD(m.parameters(), { lr: 0.1 }), loss: ce, trainData: dataset(8), epochs: 1, accumulationSteps: k }),
      ).rejects.toThrow(/accumulationSteps must be a positive integer/);
    }
  });

  it("names the optimizer step and the batch of a non-finite loss, before any update", async () => {
    const m = model();
    const before = m.parameters().map((p) => Array.from(p.data));
    let calls = 0;
    // The fifth batch's loss is NaN: batch 5 of the epoch, in optimizer step 2 (batches 4-6).
    const loss = (out: nb.Tensor, y: nb.Tensor) => (++calls === 5 ? ce(out, y).mul(NaN) : ce(out, y));
    const opt = new nb.optim.SGD(m.parameters(), { lr: 0.1 });
    await expect(nb.fit(m, { optimizer: opt, loss, trainData: dataset(24), epochs: 1, batchSize: 4, accumulationSteps: 3, shuffle: false })).rejects.toThrow(
      /loss is NaN at step 2 \(epoch 1, batch 5\); stopped before the update/,
    );
    expect(opt.stepCount).toBe(1);
    const after = m.parameters().map((p) => Array.from(p.data));
    expect(maxDiff(after, before)).toBeGreaterThan(0); // step 1 was taken
  });
});

describe("fit gradScaler", () => {
  it("is satisfied by nb.amp.GradScaler", () => {
    const scaler: LossScaler = new GradScaler();
    expect(scaler.getScale()).toBe(2 ** 16);
  });

  it("scales each accumulated loss, unscales before clipping: the same update as the unscaled large batch", async () => {
    const scaler = new GradScaler({ initScale: 1024, growthInterval: 1000 });
    const big = await train(adam, { batchSize: 12, clipGradNorm: 0.05 });
    const acc = await train(adam, { batchSize: 4, accumulationSteps: 3, clipGradNorm: 0.05, gradScaler: scaler });
    expectClose(acc.weights, big.weights, 2e-6);
    expect(acc.history.steps.map((s) => s.lossScale)).toEqual([1024, 1024, 1024, 1024]);
    // The logged loss is the unscaled one.
    acc.history.steps.forEach((s, i) => expect(s.loss).toBeCloseTo(big.history.steps[i]!.loss, 6));
  });

  it("skips a step with a non-finite loss instead of stopping, and backs the scale off", async () => {
    const m = model();
    const opt = new nb.optim.SGD(m.parameters(), { lr: 0.1 });
    const scaler = new GradScaler({ initScale: 1024, growthInterval: 2 });
    let calls = 0;
    const loss = (out: nb.Tensor, y: nb.Tensor) => (++calls === 2 ? ce(out, y).mul(Infinity) : ce(out, y));
    const history = await nb.fit(m, { optimizer: opt, loss, trainData: dataset(24), epochs: 1, batchSize: 4, gradScaler: scaler });
    expect(history.steps).toHaveLength(6);
    expect(opt.stepCount).toBe(5);
    // torch's rule: halve on Inf; double after 2 consecutive finite steps.
    expect(history.steps.map((s) => s.lossScale)).toEqual([1024, 512, 512, 1024, 1024, 2048]);
    expect(m.parameters().every((p) => Array.from(p.data).every(Number.isFinite))).toBe(true);
  });

  it("refuses an optimizer that needs a closure", async () => {
    const m = model();
    await expect(
      nb.fit(m, { optimizer: new SAM(new nb.optim.SGD(m.parameters(), { lr: 0.1 })), loss: ce, trainData: dataset(8), epochs: 1, gradScaler: new GradScaler() }),
    ).rejects.toThrow(/gradScaler cannot drive an optimizer that re-evaluates/);
  });
});
