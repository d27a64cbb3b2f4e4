import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import {
  AveragedModel,
  getEmaAvgFn,
  getEmaMultiAvgFn,
  getSwaMultiAvgFn,
  SWALR,
  updateBn,
} from "../../src/train/averaging/index.js";

const values = (t: nb.Tensor) => Array.from(t.data);
const linear64 = () => new nb.nn.Linear(3, 2, { dtype: "float64" });

function randomize(model: nb.nn.Module, gen: nb.Generator): void {
  for (const p of model.parameters()) p.data.set(nb.randn(p.shape, { generator: gen, dtype: p.dtype }).data);
}

describe("AveragedModel", () => {
  it("starts as a copy of the model (new tensors, same values and mode)", () => {
    const model = linear64().eval();
    const swa = new AveragedModel(model, { factory: linear64 });
    expect(swa.nAveraged).toBe(0);
    expect(values(swa.module.weight)).toEqual(values(model.weight));
    expect(swa.module.weight).not.toBe(model.weight);
    expect(swa.module.training).toBe(false);
    expect(Object.keys(swa.stateDict())).toEqual(["n_averaged", "module.weight", "module.bias"]);
  });

  it("the default rule gives the arithmetic mean of the snapshots", () => {
    const gen = new nb.Generator(11);
    const model = linear64();
    const swa = new AveragedModel(model, { factory: linear64 });
    const snapshots: number[][] = [];
    for (let k = 0; k < 3; k++) {
      randomize(model, gen);
      snapshots.push([...values(model.weight), ...values(model.bias!)]);
      swa.updateParameters(model);
    }
    expect(swa.nAveraged).toBe(3);
    const got = [...values(swa.module.weight), ...values(swa.module.bias!)];
    got.forEach((v, i) => expect(v).toBeCloseTo((snapshots[0]![i]! + snapshots[1]![i]! + snapshots[2]![i]!) / 3, 14));
    // The forward pass is the averaged copy's.
    const x = nb.tensor([[1, -2, 0.5]], { dtype: "float64" });
    expect(values(swa.forward(x))).toEqual(values(swa.module.forward(x)));
  });

  it("the same mean in float32 and with getSwaMultiAvgFn", () => {
    const gen = new nb.Generator(5);
    const model = new nb.nn.Linear(4, 3);
    const a = new AveragedModel(model, { factory: () => new nb.nn.Linear(4, 3) });
    const b = new AveragedModel(model, { factory: () => new nb.nn.Linear(4, 3), multiAvgFn: getSwaMultiAvgFn() });
    const sum = new Float64Array(12);
    for (let k = 0; k < 5; k++) {
      randomize(model, gen);
      model.weight.data.forEach((v, i) => (sum[i] = sum[i]! + v));
      a.updateParameters(model);
      b.updateParameters(model);
    }
    values(a.module.weight).forEach((v, i) => expect(v).toBeCloseTo(sum[i]! / 5, 5));
    values(b.module.weight).forEach((v, i) => expect(v).toBeCloseTo(sum[i]! / 5, 5));
  });

  it("EMA rules: avg = decay * avg + (1 - decay) * w after a first copy, multi and per-tensor alike", () => {
    const model = linear64();
    const multi = new AveragedModel(model, { factory: linear64, multiAvgFn: getEmaMultiAvgFn(0.9) });
    const single = new AveragedModel(model, { factory: linear64, avgFn: getEmaAvgFn(0.9) });
    const ws = [1, 2, 4];
    for (const w of ws) {
      model.weight.data.fill(w);
      multi.updateParameters(model);
      single.updateParameters(model);
    }
    const expected = 0.9 * (0.9 * 1 + 0.1 * 2) + 0.1 * 4; // 1.369
    for (const v of [...values(multi.module.weight), ...values(single.module.weight)]) expect(v).toBeCloseTo(expected, 14);
  });

  it("buffers are copied by default and averaged with useBuffers (integer counters truncated)", () => {
    const make = () => new nb.nn.Sequential(new nb.nn.Linear(2, 2, { dtype: "float64" }), new nb.nn.BatchNorm1d(2, { dtype: "float64" }));
    const model = make();
    const bn = model.at(1) as nb.nn.BatchNorm1d;
    const copied = new AveragedModel(model, { factory: make });
    const averaged = new AveragedModel(model, { factory: make, useBuffers: true });
    const means = [2, 4, 9];
    for (const m of means) {
      bn.runningMean!.data.fill(m);
      bn.numBatchesTracked!.data[0] = m;
      copied.updateParameters(model);
      averaged.updateParameters(model);
    }
    const cb = copied.module.at(1) as nb.nn.BatchNorm1d;
    const ab = averaged.module.at(1) as nb.nn.BatchNorm1d;
    expect(values(cb.runningMean!)).toEqual([9, 9]);
    expect(values(ab.runningMean!)).toEqual([5, 5]);
    // Counter: copy 2, then 2 + (4 - 2) / 2 = 3, then 3 + (9 - 3) / 3 = 5.
    expect(ab.numBatchesTracked!.data[0]).toBe(5);
  });

  it("state dict round trip", () => {
    const gen = new nb.Generator(2);
    const model = linear64();
    const a = new AveragedModel(model, { factory: linear64 });
    randomize(model, gen);
    a.updateParameters(model);
    randomize(model, gen);
    a.updateParameters(model);
    const b = new AveragedModel(linear64(), { factory: linear64 });
    b.loadStateDict(a.stateDict());
    expect(b.nAveraged).toBe(2);
    randomize(model, gen);
    a.updateParameters(model);
    b.updateParameters(model);
    expect(values(b.module.weight)).toEqual(values(a.module.weight));
    expect(b.nAveraged).toBe(3);
  });

  it("refuses bad factories, options and models", () => {
    const model = linear64();
    expect(() => new AveragedModel(model, { factory: () => model })).toThrow(/model itself/);
    expect(() => new AveragedModel(model, { factory: () => new nb.nn.Linear(3, 4, { dtype: "float64" }) })).toThrow(/does not match/);
    expect(() => new AveragedModel(model, { factory: linear64, avgFn: getEmaAvgFn(), multiAvgFn: getEmaMultiAvgFn() })).toThrow(/only one/);
    expect(() => getEmaMultiAvgFn(1.5)).toThrow(/decay/);
    const swa = new AveragedModel(model, { factory: linear64 });
    expect(() => swa.updateParameters(new nb.nn.Linear(2, 2))).toThrow(/shape/);
    expect(swa.nAveraged).toBe(0);
    const bad = new AveragedModel(model, { factory: linear64, avgFn: () => nb.tensor([1]) });
    bad.updateParameters(model);
    const before = values(bad.module.weight);
    expect(() => bad.updateParameters(model)).toThrow(/avgFn must return a tensor of shape \[2,3\], got \[1\]/);
    expect(values(bad.module.weight)).toEqual(before);
  });
});

describe("SWALR", () => {
  /** torch's closed form of SWALR from a constant starting lr. */
  const expectedLr = (lr0: number, swaLr: number, s: number, epochs: number, cos: boolean) => {
    const t = Math.max(0, Math.min(1, s / Math.max(1, epochs)));
    const alpha = cos ? (1 - Math.cos(Math.PI * t)) / 2 : t;
    return swaLr * alpha + lr0 * (1 - alpha);
  };

  it("anneals with a cosine to swaLr over annealEpochs, then holds it", () => {
    const p = nb.tensor([1], { requiresGrad: true });
    const opt = new nb.optim.SGD([p], { lr: 1 });
    const sched = new SWALR(opt, { swaLr: 0.1, annealEpochs: 4 });
    expect((opt.paramGroups[0] as { swaLr?: number }).swaLr).toBe(0.1);
    const lrs = [opt.paramGroups[0]!.lr];
    for (let s = 1; s <= 7; s++) {
      sched.step();
      lrs.push(opt.paramGroups[0]!.lr);
    }
    // By hand: s=1 alpha = (1 - cos(pi/4)) / 2 = 0.14645; s=2 alpha = 0.5; s=4.. alpha = 1.
    expect(lrs[0]).toBe(1);
    expect(lrs[1]).toBeCloseTo(0.1 * 0.1464466094067262 + 0.8535533905932737, 12);
    expect(lrs[2]).toBeCloseTo(0.55, 12);
    lrs.forEach((lr, s) => expect(lr).toBeCloseTo(expectedLr(1, 0.1, s, 4, true), 12));
    expect(lrs.slice(4)).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(sched.getLastLr()[0]).toBe(lrs[7]);
  });

  it("anneals linearly, per group", () => {
    const a = nb.tensor([1], { requiresGrad: true });
    const b = nb.tensor([1], { requiresGrad: true });
    const opt = new nb.optim.SGD([{ params: [a], lr: 1 }, { params: [b], lr: 0.5 }], { lr: 1 });
    const sched = new SWALR(opt, { swaLr: [0.2, 0.1], annealEpochs: 5, annealStrategy: "linear" });
    for (let s = 0; s <= 8; s++) {
      if (s > 0) sched.step();
      expect(opt.paramGroups[0]!.lr).toBeCloseTo(expectedLr(1, 0.2, s, 5, false), 12);
      expect(opt.paramGroups[1]!.lr).toBeCloseTo(expectedLr(0.5, 0.1, s, 5, false), 12);
    }
    // s=1: 0.2 * 0.2 + 1 * 0.8 = 0.84, by hand.
    const fresh = new nb.optim.SGD([nb.tensor([1], { requiresGrad: true })], { lr: 1 });
    new SWALR(fresh, { swaLr: 0.2, annealEpochs: 5, annealStrategy: "linear" }).step();
    expect(fresh.paramGroups[0]!.lr).toBeCloseTo(0.84, 12);
  });

  it("annealEpochs 0 switches to swaLr at once", () => {
    const opt = new nb.optim.SGD([nb.tensor([1], { requiresGrad: true })], { lr: 1 });
    const sched = new SWALR(opt, { swaLr: 0.05, annealEpochs: 0 });
    expect(opt.paramGroups[0]!.lr).toBe(0.05);
    sched.step();
    expect(opt.paramGroups[0]!.lr).toBe(0.05);
  });

  it("state round trip: a restored scheduler continues the same trajectory", () => {
    const make = () => new nb.optim.SGD([nb.tensor([1], { requiresGrad: true })], { lr: 0.8 });
    const optA = make();
    const a = new SWALR(optA, { swaLr: 0.1, annealEpochs: 6 });
    a.step();
    a.step();
    const saved = JSON.parse(JSON.stringify(a.stateDict())) as ReturnType<SWALR["stateDict"]>;
    const optB = make();
    const b = new SWALR(optB, { swaLr: 0.1, annealEpochs: 6 });
    b.loadStateDict(saved);
    optB.paramGroups[0]!.lr = optA.paramGroups[0]!.lr; // the lr is the optimizer's state
    for (let i = 0; i < 6; i++) {
      a.step();
      b.step();
      expect(optB.paramGroups[0]!.lr).toBe(optA.paramGroups[0]!.lr);
    }
  });

  it("validates options", () => {
    const opt = new nb.optim.SGD([nb.tensor([1], { requiresGrad: true })], { lr: 1 });
    expect(() => new SWALR(opt, { swaLr: 0.1, annealStrategy: "exp" as never })).toThrow(/annealStrategy/);
    expect(() => new SWALR(opt, { swaLr: 0.1, annealEpochs: -1 })).toThrow(/annealEpochs/);
    expect(() => new SWALR(opt, { swaLr: 0.1, annealEpochs: 1.5 })).toThrow(/annealEpochs/);
    expect(() => new SWALR(opt, { swaLr: [0.1, 0.2] })).toThrow(/one per param group/);
    expect(() => new SWALR(opt, { swaLr: 0.1, anneal: 3 } as never)).toThrow(/unknown option "anneal"/);
  });
});

describe("updateBn", () => {
  /** Per-channel mean and unbiased variance of a [N, C] tensor. */
  function stats(t: nb.Tensor): { mean: number[]; varUnbiased: number[] } {
    const [n, c] = t.shape as [number, number];
    const mean: number[] = [];
    const varUnbiased: number[] = [];
    for (let j = 0; j < c; j++) {
      let s = 0;
      for (let i = 0; i < n; i++) s += t.data[i * c + j]!;
      const m = s / n;
      let q = 0;
      for (let i = 0; i < n; i++) q += (t.data[i * c + j]! - m) ** 2;
      mean.push(m);
      varUnbiased.push(q / (n - 1));
    }
    return { mean, varUnbiased };
  }

  const make = () => {
    nb.manualSeed(4);
    return new nb.nn.Sequential(new nb.nn.Linear(2, 3, { dtype: "float64" }), new nb.nn.BatchNorm1d(3, { dtype: "float64" }), new nb.nn.ReLU());
  };

  it("one batch: the running statistics are the data's mean and unbiased variance at the BatchNorm input", () => {
    const model = make().eval();
    const bn = model.at(1) as nb.nn.BatchNorm1d;
    bn.runningMean!.data.fill(100); // stale statistics, to be reset
    const x = nb.randn([16, 2], { generator: new nb.Generator(9), dtype: "float64" });
    const y = nb.zeros([16]);
    updateBn([[x, y]], model);
    const inner = stats((model.at(0) as nb.nn.Linear).forward(x));
    values(bn.runningMean!).forEach((v, j) => expect(v).toBeCloseTo(inner.mean[j]!, 12));
    values(bn.runningVar!).forEach((v, j) => expect(v).toBeCloseTo(inner.varUnbiased[j]!, 12));
    expect(bn.numBatchesTracked!.data[0]).toBe(1);
    expect(bn.momentum).toBe(0.1);
    expect(model.training).toBe(false);
    expect(bn.training).toBe(false);
  });

  it("several batches from a DataLoader: the cumulative average of the batch statistics", () => {
    const model = make();
    const bn = model.at(1) as nb.nn.BatchNorm1d;
    const x = nb.randn([12, 2], { generator: new nb.Generator(10), dtype: "float64" });
    const ds = new nb.data.TensorDataset(x, nb.zeros([12]));
    updateBn(new nb.data.DataLoader(ds, { batchSize: 4 }), model);
    const h = (model.at(0) as nb.nn.Linear).forward(x);
    const whole = stats(h);
    const perBatch = [0, 1, 2].map((k) => stats(nb.tensor(Array.from(h.data.slice(k * 12, k * 12 + 12)), { dtype: "float64" }).reshape([4, 3])));
    // Equal batches: the mean of batch means is the data mean; the variance is the mean of the batch variances.
    values(bn.runningMean!).forEach((v, j) => expect(v).toBeCloseTo(whole.mean[j]!, 12));
    values(bn.runningVar!).forEach((v, j) => expect(v).toBeCloseTo(perBatch.reduce((s, b) => s + b.varUnbiased[j]!, 0) / 3, 12));
    expect(bn.numBatchesTracked!.data[0]).toBe(3);
    expect(model.training).toBe(true);
  });

  it("works on an AveragedModel after SWA, and leaves models without BatchNorm alone", () => {
    const model = make();
    const swa = new AveragedModel(model, { factory: make });
    swa.updateParameters(model);
    const x = nb.randn([8, 2], { generator: new nb.Generator(1), dtype: "float64" });
    updateBn([x], swa);
    const bn = swa.module.at(1) as nb.nn.BatchNorm1d;
    const inner = stats((swa.module.at(0) as nb.nn.Linear).forward(x));
    values(bn.runningMean!).forEach((v, j) => expect(v).toBeCloseTo(inner.mean[j]!, 12));

    const noBn = nb.mlp(2, [3], 1);
    const untouched: Iterable<nb.Tensor> = {
      [Symbol.iterator]() {
        throw new Error("the loader should not be read");
      },
    };
    expect(() => updateBn(untouched, noBn)).not.toThrow();
    expect(() => updateBn([{ input: x }], model)).toThrow(/batch 0 must be a Tensor/);
    expect((model.at(1) as nb.nn.BatchNorm1d).momentum).toBe(0.1);
  });
});

describe("stochastic weight averaging end to end", () => {
  it("the SWA average of noisy SGD fits better than the last iterate", () => {
    const gen = new nb.Generator(21);
    const n = 64;
    const x = nb.randn([n, 3], { generator: gen, dtype: "float64" });
    const wTrue = nb.tensor([[1.5], [-2], [0.5]], { dtype: "float64" });
    const y = x.matmul(wTrue).add(nb.randn([n, 1], { generator: gen, dtype: "float64" }).mul(0.3));
    const make = () => new nb.nn.Linear(3, 1, { dtype: "float64" });
    const model = make();
    const opt = new nb.optim.SGD(model.parameters(), { lr: 0.3 });
    const swa = new AveragedModel(model, { factory: make });
    const sched = new SWALR(opt, { swaLr: 0.2, annealEpochs: 3 });
    const loader = new nb.data.DataLoader(new nb.data.TensorDataset(x, y), { batchSize: 4, shuffle: true, generator: gen });
    const lossOf = (m: nb.nn.Module) => nb.nn.functional.mseLoss((m as nb.nn.Linear).forward(x), y).item();
    for (let epoch = 0; epoch < 20; epoch++) {
      for (const [xb, yb] of loader) {
        opt.zeroGrad();
        nb.nn.functional.mseLoss(model.forward(xb!), yb!).backward();
        opt.step();
      }
      if (epoch >= 5) {
        swa.updateParameters(model);
        sched.step();
      }
    }
    expect(swa.nAveraged).toBe(15);
    expect(opt.paramGroups[0]!.lr).toBe(0.2);
    expect(lossOf(swa.module)).toBeLessThan(lossOf(model));
    // An AveragedModel is a model in its own right: evaluate takes it.
    const ev = nb.evaluate(swa, new nb.data.TensorDataset(x, y), { loss: (o, t) => nb.nn.functional.mseLoss(o, t) });
    expect(ev.loss).toBeCloseTo(lossOf(swa.module), 10);
  });
});
