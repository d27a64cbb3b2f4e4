// Schedule-free SGD and AdamW (Defazio et al. 2024): step-by-step against
// the paper's x/y/z recursion, the classes against the scheduleFree
// transformation, train()/eval(), checkpoints, validation, Rosenbrock and
// two moons through nb.fit.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { AdamWScheduleFree } from "../../src/optim/optimizers/AdamWScheduleFree.js";
import { SGDScheduleFree } from "../../src/optim/optimizers/SGDScheduleFree.js";
import { scheduleFree, scheduleFreeEvalParams, type ScheduleFreeState } from "../../src/optim/transforms/scheduleFree.js";
import { scheduleFreeAdamw } from "../../src/optim/transforms/scheduleFreeAdamw.js";
import { scheduleFreeSgd } from "../../src/optim/transforms/scheduleFreeSgd.js";
import { copyParams, randomGradients, randomParams, relDiff, setGradients } from "./helpers.js";
import { distanceToMinimum, expectExactResume, runRosenbrock, trainTwoMoons } from "./problems-c.js";

// A smooth test objective with a closed-form gradient: Σ a_i(w_i − b_i)²/2 + 0.025·Σ w_i⁴.
const A = [1, 2, 0.5, 3, 1.5];
const B = [0.5, -1, 2, 0.25, -0.75];
const W0 = [1, 0.5, -1, 2, 0];
const gradF = (w: readonly number[]) => w.map((wi, i) => A[i] * (wi - B[i]) + 0.1 * wi ** 3);

type Hyper = { lr: number; beta: number; wd: number; warmup: number; r: number; power: number };

/** The averaging weight of step t (from 1): t^r · max_{s≤t} γ_s^power over the running sum (the reference's c_{t+1}). */
function averager(h: Hyper) {
  let lrMax = 0;
  let sum = 0;
  return (t: number, gamma: number) => {
    lrMax = Math.max(lrMax, gamma);
    const w = t ** h.r * lrMax ** h.power;
    sum += w;
    return w / sum;
  };
}

/**
 * Schedule-free SGD written from the paper's recursion with x, y and z kept
 * explicitly (the reference implementation's simplified form):
 * y_t = (1−β)z_t + βx_t, z_{t+1} = z_t − γ_t(∇f(y_t) + wd·y_t),
 * x_{t+1} = (1−c)x_t + c·z_{t+1}. Returns the y after each step and the last x.
 */
function sgdReference(h: Hyper, steps: number): { ys: number[][]; x: number[] } {
  let z = W0.slice();
  let x = W0.slice();
  const weight = averager(h);
  const ys: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    const y = z.map((zi, i) => (1 - h.beta) * zi + h.beta * x[i]);
    const g = gradF(y).map((gi, i) => gi + h.wd * y[i]);
    const gamma = h.lr * Math.min(1, t / h.warmup);
    z = z.map((zi, i) => zi - gamma * g[i]);
    const c = weight(t, gamma);
    x = x.map((xi, i) => (1 - c) * xi + c * z[i]);
    ys.push(z.map((zi, i) => (1 - h.beta) * zi + h.beta * x[i]));
  }
  return { ys, x };
}

/**
 * Schedule-free AdamW the same way, with the reference implementation's
 * bias correction inside the root: v ← β2·v + (1−β2)g²,
 * ĝ = g/(√(v/(1−β2^t)) + eps) + wd·y_t, z_{t+1} = z_t − γ_t ĝ.
 */
function adamwReference(h: Hyper & { b2: number; eps: number }, steps: number): { ys: number[][]; x: number[] } {
  let z = W0.slice();
  let x = W0.slice();
  let v = W0.map(() => 0);
  const weight = averager(h);
  const ys: number[][] = [];
  for (let t = 1; t <= steps; t++) {
    const y = z.map((zi, i) => (1 - h.beta) * zi + h.beta * x[i]);
    const g = gradF(y);
    v = v.map((vi, i) => h.b2 * vi + (1 - h.b2) * g[i] * g[i]);
    const gh = g.map((gi, i) => gi / (Math.sqrt(v[i] / (1 - h.b2 ** t)) + h.eps) + h.wd * y[i]);
    const gamma = h.lr * Math.min(1, t / h.warmup);
    z = z.map((zi, i) => zi - gamma * gh[i]);
    const c = weight(t, gamma);
    x = x.map((xi, i) => (1 - c) * xi + c * z[i]);
    ys.push(z.map((zi, i) => (1 - h.beta) * zi + h.beta * x[i]));
  }
  return { ys, x };
}

/** Steps `opt` on gradF at its parameter, returning the parameter after each step. */
function runOn(p: nb.Tensor, opt: { step(): unknown }, steps: number): number[][] {
  const out: number[][] = [];
  for (let k = 0; k < steps; k++) {
    p.grad = nb.tensor(gradF(Array.from(p.data)), { dtype: "float64" });
    opt.step();
    out.push(Array.from(p.data));
  }
  return out;
}

const STEPS = 8;

describe("SGDScheduleFree", () => {
  const h: Hyper = { lr: 0.1, beta: 0.8, wd: 0.1, warmup: 3, r: 0.5, power: 2 };

  it("follows the paper's x/y/z recursion step by step (float64, warmup, r, weight decay)", () => {
    const p = nb.tensor(W0, { dtype: "float64" });
    const opt = new SGDScheduleFree([p], { lr: h.lr, momentum: h.beta, weightDecay: h.wd, warmupSteps: h.warmup, r: h.r, weightLrPower: h.power });
    const got = runOn(p, opt, STEPS);
    const ref = sgdReference(h, STEPS);
    got.forEach((y, k) => expect(relDiff(y, ref.ys[k]), `step ${k}`).toBeLessThan(1e-13));
    // eval() puts x in the parameters, train() puts y back.
    opt.eval();
    expect(relDiff(p.data, ref.x)).toBeLessThan(1e-13);
    opt.train();
    expect(relDiff(p.data, ref.ys[STEPS - 1])).toBeLessThan(1e-13);
    expect(opt.paramGroups[0].k).toBe(STEPS);
  });

  it("with weightLrPower 0 and no warmup averages the z iterates uniformly (c_t = 1/t)", () => {
    const p = nb.tensor([2], { dtype: "float64" });
    const opt = new SGDScheduleFree([p], { lr: 0.5, momentum: 0.5, weightLrPower: 0 });
    // f = w²/2, g = y: z_{t+1} = z_t − 0.5·y_t; x_{t+1} = x_t + (z_{t+1} − x_t)/t.
    let x = 2;
    let z = 2;
    for (let t = 1; t <= 6; t++) {
      const y = 0.5 * z + 0.5 * x;
      p.grad = nb.tensor([p.data[0]], { dtype: "float64" });
      expect(p.data[0]).toBeCloseTo(y, 14);
      opt.step();
      z -= 0.5 * y;
      x += (z - x) / t;
    }
    opt.eval();
    expect(p.data[0]).toBeCloseTo(x, 14);
  });

  it("equals scheduleFreeSgd run through fromTransform, and scheduleFreeEvalParams equals eval()", () => {
    const a = randomParams(1, "float64");
    const b = copyParams(a);
    const grads = randomGradients(2, 10, "float64");
    const options = { momentum: 0.9, weightDecay: 0.05, warmupSteps: 4, r: 1, weightLrPower: 1.5 };
    const cls = new SGDScheduleFree(a, { lr: 0.05, ...options });
    const viaTx = nb.optim.fromTransform(b, scheduleFreeSgd(0.05, options));
    for (let k = 0; k < 10; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      cls.step();
      viaTx.step();
      a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThan(1e-11));
    }
    const txState = viaTx.state.get(b[0]) as ScheduleFreeState;
    const xs = scheduleFreeEvalParams(txState, b);
    cls.eval();
    a.forEach((p, i) => expect(relDiff(p.data, xs[i]), `x of param ${i}`).toBeLessThan(1e-11));
  });

  it("runs in float32 close to float64", () => {
    const a = randomParams(3, "float32");
    const b = randomParams(3, "float64");
    const grads = randomGradients(4, 10, "float32");
    const o32 = new SGDScheduleFree(a, { lr: 0.05, warmupSteps: 2 });
    const o64 = new SGDScheduleFree(b, { lr: 0.05, warmupSteps: 2 });
    for (let k = 0; k < 10; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      o32.step();
      o64.step();
    }
    expect(a[0].data).toBeInstanceOf(Float32Array);
    a.forEach((p, i) => expect(relDiff(p.data, b[i].data)).toBeLessThan(1e-5));
  });

  it("refuses to step in eval mode; train() and eval() are idempotent and skip parameters without state", () => {
    const [w, u] = [nb.tensor([1, 2], { dtype: "float64" }), nb.tensor([3], { dtype: "float64" })];
    const opt = new SGDScheduleFree([w, u], { lr: 0.1 });
    w.grad = nb.tensor([1, -1], { dtype: "float64" });
    opt.step();
    opt.eval();
    const x = Array.from(w.data);
    opt.eval();
    expect(Array.from(w.data)).toEqual(x);
    expect(Array.from(u.data)).toEqual([3]);
    expect(() => opt.step()).toThrow("SGDScheduleFree.step: param group 0 is in eval mode (its parameters hold the average x); call train() before stepping");
    expect(Array.from(w.data)).toEqual(x);
    opt.train();
    opt.train();
    expect(() => opt.step()).not.toThrow();
  });

  it("validates its options", () => {
    const x = () => [nb.tensor([1], { dtype: "float64" })];
    expect(() => new SGDScheduleFree(x(), { momentum: 1 })).toThrow(new RangeError("SGDScheduleFree: momentum must be in (0, 1), got 1"));
    expect(() => new SGDScheduleFree(x(), { momentum: 0 })).toThrow(RangeError);
    expect(() => new SGDScheduleFree(x(), { lr: -1 })).toThrow("SGDScheduleFree: lr must be >= 0, got -1");
    expect(() => new SGDScheduleFree(x(), { warmupSteps: 2.5 })).toThrow("SGDScheduleFree: warmupSteps must be an integer >= 0, got 2.5");
    expect(() => new SGDScheduleFree(x(), { r: -1 })).toThrow("SGDScheduleFree: r must be >= 0, got -1");
    expect(() => new SGDScheduleFree(x(), { weightLrPower: -2 })).toThrow("SGDScheduleFree: weightLrPower must be >= 0, got -2");
    expect(() => new SGDScheduleFree(x(), { weightDecay: -0.1 })).toThrow("SGDScheduleFree: weightDecay must be >= 0, got -0.1");
    expect(() => scheduleFree(nb.optim.sgd(0.1), 0.1, { b1: 0 })).toThrow("scheduleFree: b1 must be in (0, 1), got 0");
  });

  it("round-trips its state dict exactly, counters and mode included", () => {
    const params = randomParams(5, "float64");
    const grads = randomGradients(6, 10, "float64");
    expectExactResume((ps) => new SGDScheduleFree(ps, { lr: 0.05, warmupSteps: 3, r: 1 }), params, grads, 4);
    const opt = new SGDScheduleFree(copyParams(params), { lr: 0.05 });
    opt.eval();
    const sd = opt.stateDict();
    expect(sd.paramGroups[0]).toMatchObject({ k: 0, weightSum: 0, lrMax: 0, trainMode: false });
    const other = new SGDScheduleFree(copyParams(params), { lr: 0.05 });
    other.loadStateDict(sd);
    expect(() => other.step()).toThrow(/eval mode/);
    const bad = opt.stateDict();
    bad.paramGroups[0].trainMode = 1;
    expect(() => other.loadStateDict(bad)).toThrow("SGDScheduleFree: trainMode must be a boolean, got 1");
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 10000 steps (lr 0.002, momentum 0.98, r 8), evaluated at x", () => {
    const point = runRosenbrock((p) => new SGDScheduleFree([p], { lr: 0.002, momentum: 0.98, r: 8 }), 10_000, {
      finish: (opt) => (opt as SGDScheduleFree).eval(),
    });
    expect(distanceToMinimum(point)).toBeLessThan(1e-3);
  });
});

describe("AdamWScheduleFree", () => {
  const h = { lr: 0.05, beta: 0.9, wd: 0.02, warmup: 4, r: 1, power: 2, b2: 0.99, eps: 1e-8 };

  it("follows the paper's x/y/z recursion step by step (float64, warmup, r, weight decay)", () => {
    const p = nb.tensor(W0, { dtype: "float64" });
    const opt = new AdamWScheduleFree([p], {
      lr: h.lr,
      betas: [h.beta, h.b2],
      eps: h.eps,
      weightDecay: h.wd,
      warmupSteps: h.warmup,
      r: h.r,
      weightLrPower: h.power,
    });
    const got = runOn(p, opt, STEPS);
    const ref = adamwReference(h, STEPS);
    got.forEach((y, k) => expect(relDiff(y, ref.ys[k]), `step ${k}`).toBeLessThan(1e-13));
    opt.eval();
    expect(relDiff(p.data, ref.x)).toBeLessThan(1e-13);
  });

  it("equals scheduleFreeAdamw run through fromTransform", () => {
    const a = randomParams(7, "float64");
    const b = copyParams(a);
    const grads = randomGradients(8, 10, "float64");
    const cls = new AdamWScheduleFree(a, { lr: 0.01, betas: [0.95, 0.99], weightDecay: 0.1, warmupSteps: 3 });
    const viaTx = nb.optim.fromTransform(b, scheduleFreeAdamw(0.01, { b1: 0.95, b2: 0.99, weightDecay: 0.1, warmupSteps: 3 }));
    for (let k = 0; k < 10; k++) {
      setGradients(a, grads, k);
      setGradients(b, grads, k);
      cls.step();
      viaTx.step();
      a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThan(1e-11));
    }
  });

  it("validates its options and round-trips its state dict exactly", () => {
    const x = () => [nb.tensor([1], { dtype: "float64" })];
    expect(() => new AdamWScheduleFree(x(), { betas: [0, 0.999] })).toThrow("AdamWScheduleFree: betas[0] must be in (0, 1), got 0");
    expect(() => new AdamWScheduleFree(x(), { betas: [0.9, 1] })).toThrow("AdamWScheduleFree: betas[1] must be in [0, 1), got 1");
    expect(() => new AdamWScheduleFree(x(), { eps: -1 })).toThrow("AdamWScheduleFree: eps must be >= 0, got -1");
    expectExactResume((ps) => new AdamWScheduleFree(ps, { lr: 0.01, warmupSteps: 2 }), randomParams(9, "float32"), randomGradients(10, 9, "float32"), 5);
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 2000 steps (lr 0.1, betas [0.98, 0.999], r 8), evaluated at x", () => {
    const point = runRosenbrock((p) => new AdamWScheduleFree([p], { lr: 0.1, betas: [0.98, 0.999], r: 8 }), 2000, {
      finish: (opt) => (opt as AdamWScheduleFree).eval(),
    });
    expect(distanceToMinimum(point)).toBeLessThan(1e-3);
  });
});

describe("schedule-free optimizers in nb.fit", () => {
  it("fit calls train() before each epoch and eval() before validation: it validates at x (97% on two moons in 20 epochs) and resumes at y", async () => {
    let opt: AdamWScheduleFree | undefined;
    const { history, model, data } = await trainTwoMoons((ps) => (opt = new AdamWScheduleFree(ps, { lr: 0.05, warmupSteps: 10 })), 20);
    const o = opt!;
    // After fit the optimizer is in eval mode and the model holds x...
    expect(o.paramGroups[0].trainMode).toBe(false);
    const evalAcc = nb.evaluate(model, data.test, { loss: (a, b) => nb.nn.functional.crossEntropy(a, b), metrics: ["accuracy"] }).accuracy;
    expect(evalAcc).toBe(history.epochs[19]!.val_accuracy);
    expect(evalAcc).toBeGreaterThanOrEqual(0.97);
    // ...which is (y − (1−β)z)/β for the y that train() restores.
    const xs = model.parameters().map((p) => Array.from(p.data));
    o.train();
    model.parameters().forEach((p, i) => {
      const z = o.state.get(p)!.z;
      const x = Array.from(p.data, (y, j) => (y - 0.1 * z[j]) / 0.9);
      expect(relDiff(x, xs[i])).toBeLessThan(1e-5);
    });
    // A second fit starts with train(): stepping from eval mode would throw.
    o.eval();
    await expect(
      nb.fit(model, { optimizer: o, loss: (a, b) => nb.nn.functional.crossEntropy(a, b), trainData: data.train, valData: data.test, epochs: 1 }),
    ).resolves.toBeDefined();
    expect(o.paramGroups[0].trainMode).toBe(false);
  });

  it("SGDScheduleFree trains the two-moons MLP to at least 97% accuracy in 20 epochs (lr 2, warmupSteps 10)", async () => {
    const { accuracy } = await trainTwoMoons((ps) => new SGDScheduleFree(ps, { lr: 2, warmupSteps: 10 }), 20);
    expect(accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
