// Shared by the Adafactor, ADOPT, AdEMAMix, SM3 and Muon tests: the checks
// every optimizer of issue 9 goes through (fused kernel == chain, state-dict
// round trip, alias == class, Rosenbrock, two moons), and seeded gradients
// for the step-by-step references.
import { expect } from "vitest";
import * as nb from "../../src/index.js";
import { copyParams, expectStateClose, randomGradients, randomParams, relDiff, setGradients, viaJson, type AnyOptimizer } from "./helpers.js";

type Make = (params: nb.Tensor[]) => AnyOptimizer;

/** Shapes for the generic checks: a matrix, a 3-D tensor, a vector, a scalar-like and two empty ones. */
export const SHAPES_B: number[][] = [[3, 4], [2, 3, 2], [5], [1], [0], [0, 3]];

/** Steps `fused` and a `fused = false` twin on the same gradients; parameters and state agree after every step. */
export function expectFusedMatchesChain(make: Make, dtype: "float32" | "float64", steps = 12, shapes = SHAPES_B): void {
  const tol = dtype === "float64" ? 1e-12 : 2e-6;
  const a = randomParams(1, dtype, shapes);
  const b = copyParams(a);
  const grads = randomGradients(2, steps, dtype, shapes);
  const fused = make(a);
  const reference = make(b);
  reference.fused = false;
  for (let k = 0; k < steps; k++) {
    setGradients(a, grads, k);
    setGradients(b, grads, k);
    fused.step();
    reference.step();
    a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThanOrEqual(tol));
  }
  expect(relDiff(a[0].data, randomParams(1, dtype, shapes)[0].data), "the parameters moved").toBeGreaterThan(1e-4);
  a.forEach((p, i) => expectStateClose(fused.state.get(p), reference.state.get(b[i]), tol, `state[${i}]`));
}

/** 10 steps, save (directly or through JSON), load into a fresh optimizer, 10 more == 20 uninterrupted, bit for bit. */
export function expectStateDictRoundTrip(make: Make, json: boolean, shapes = SHAPES_B): void {
  const grads = randomGradients(5, 20, "float32", shapes);
  const straight = randomParams(6, "float32", shapes);
  const first = copyParams(straight);
  const a = make(straight);
  const b = make(first);
  for (let k = 0; k < 10; k++) {
    setGradients(straight, grads, k);
    setGradients(first, grads, k);
    a.step();
    b.step();
  }
  const saved = b.stateDict();
  const snapshot = viaJson(saved);
  const resumed = copyParams(first);
  const c = make(resumed);
  c.loadStateDict((json ? viaJson(saved) : saved) as nb.optim.OptimizerStateDict);
  for (let k = 10; k < 20; k++) {
    setGradients(straight, grads, k);
    setGradients(resumed, grads, k);
    setGradients(first, grads, k);
    a.step();
    c.step();
    b.step();
  }
  straight.forEach((p, i) => expect(Array.from(resumed[i].data), `param ${i}`).toEqual(Array.from(p.data)));
  straight.forEach((p, i) => expectStateClose(c.state.get(resumed[i]), a.state.get(p), 0, `state[${i}]`));
  expect(viaJson(saved), "later steps left the saved dict alone").toEqual(snapshot);
}

/** The alias through fromTransform and the class take the same steps (float64). */
export function expectAliasMatchesClass(alias: () => nb.optim.GradientTransformation, make: Make, steps = 12, shapes = SHAPES_B): void {
  const a = randomParams(3, "float64", shapes);
  const b = copyParams(a);
  const grads = randomGradients(4, steps, "float64", shapes);
  const viaAlias = nb.optim.fromTransform(a, alias());
  const viaClass = make(b);
  for (let k = 0; k < steps; k++) {
    setGradients(a, grads, k);
    setGradients(b, grads, k);
    viaAlias.step();
    viaClass.step();
    a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThanOrEqual(1e-12));
  }
}

/**
 * Minimises Rosenbrock `(1 − x)² + 100(y − x²)²` from (−1.5, 2) with the
 * analytic gradient, for `steps` steps, calling `beforeStep(k)` first (to
 * drive a learning-rate schedule). Returns the final point.
 */
export function rosenbrock(opt: { step(): unknown }, p: nb.Tensor, steps: number, beforeStep?: (k: number) => void): [number, number] {
  for (let k = 0; k < steps; k++) {
    beforeStep?.(k);
    const [x, y] = p.data;
    const g = nb.zeros(p.shape, { dtype: p.dtype });
    g.data[0] = -2 * (1 - x) - 400 * x * (y - x * x);
    g.data[1] = 200 * (y - x * x);
    p.grad = g;
    opt.step();
  }
  return [p.data[0], p.data[1]];
}

/** The Rosenbrock starting point as a float64 parameter of `shape` (2 elements). */
export function rosenbrockStart(shape: number[] = [2]): nb.Tensor {
  return nb.tensor([-1.5, 2], { dtype: "float64", requiresGrad: true }).reshape(shape).detach();
}

/** Trains mlp(2, [16], 2) on two moons (n 400) and returns the final validation accuracy. */
export async function twoMoonsAccuracy(makeOpt: (model: nb.nn.Module) => nb.optim.Optimizer, epochs: number): Promise<number> {
  const data = nb.data.twoMoons({ n: 400, noise: 0.1, seed: 1 });
  nb.manualSeed(1);
  const model = nb.mlp(2, [16], 2);
  const history = await nb.fit(model, {
    optimizer: makeOpt(model),
    loss: (out, y) => nb.nn.functional.crossEntropy(out, y),
    trainData: data.train,
    valData: data.test,
    epochs,
    batchSize: 32,
    generator: new nb.Generator(1),
    metrics: ["accuracy"],
  });
  const last = history.epochs[history.epochs.length - 1];
  return last.val_accuracy as number;
}

/**
 * Deterministic float64 gradients for the hand-written references: `steps`
 * arrays of `n` values in about [−2, 2], with step 2 all zeros (the case
 * that separates the update rules).
 */
export function referenceGradients(seed: number, steps: number, n: number): Float64Array[] {
  const gen = new nb.Generator(seed);
  return Array.from({ length: steps }, (_, k) => {
    const g = Float64Array.from(nb.randn([n], { generator: gen, dtype: "float64" }).data);
    return k === 2 ? g.fill(0) : g;
  });
}
