// Checks every new paramwise optimizer runs (Lion, LAMB, LARS, AdaBelief,
// Yogi, NovoGrad): fused kernel == chain, exact state round trips, alias ==
// class, a step-by-step float64 reference, Rosenbrock and two moons.
import { expect } from "vitest";
import * as nb from "../../src/index.js";
import { TransformOptimizer } from "../../src/optim/fromTransform.js";
import { copyParams, expectStateClose, randomGradients, randomParams, relDiff, setGradients, viaJson, type DType } from "./helpers.js";

/** What the checks need of an optimizer: the paramwise class surface. */
export type Checked = {
  fused: boolean;
  step(): unknown;
  readonly state: Map<nb.Tensor, unknown>;
  readonly paramGroups: { lr: number }[];
  stateDict(): nb.optim.OptimizerStateDict;
  loadStateDict(sd: nb.optim.OptimizerStateDict): void;
};

/** Builds an optimizer of one class from parameters and a set of options. */
export type Make = (params: nb.Tensor[], options: Record<string, unknown>) => Checked;

/** Float64 parameter values, one array per tensor. */
export type Values = Float64Array[];

/** Shapes of the reference runs: a matrix and a vector (two "layers"), and an empty tensor. */
export const REF_SHAPES: number[][] = [[3, 4], [5], [0]];

/**
 * Runs `steps` steps of the fused kernel and of the chain (fused = false)
 * on the same seeded data and expects the same parameters after every step
 * and the same state at the end (float64: to rounding; float32: to float32 precision).
 */
export function expectFusedMatchesChain(make: Make, config: Record<string, unknown>, dtype: DType, steps = 12): void {
  const tol = dtype === "float64" ? 1e-12 : 2e-6;
  const a = randomParams(1, dtype);
  const b = copyParams(a);
  const grads = randomGradients(2, steps, dtype);
  const fused = make(a, config);
  const reference = make(b, config);
  reference.fused = false;
  for (let k = 0; k < steps; k++) {
    setGradients(a, grads, k);
    setGradients(b, grads, k);
    fused.step();
    reference.step();
    a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThanOrEqual(tol));
  }
  expect(relDiff(a[0].data, randomParams(1, dtype)[0].data), "the parameters moved").toBeGreaterThan(1e-4);
  a.forEach((p, i) => expectStateClose(fused.state.get(p), reference.state.get(b[i]), tol, `state[${i}]`));
}

/**
 * 10 steps, save, load into a fresh optimizer, 10 more steps must equal 20
 * uninterrupted steps bit for bit (directly or through JSON); the saved
 * dict must not change when the optimizer it came from keeps stepping.
 */
export function expectExactRoundTrip(make: Make, config: Record<string, unknown>, json: boolean): void {
  const grads = randomGradients(5, 20, "float32");
  const straight = randomParams(6, "float32");
  const first = copyParams(straight);
  const a = make(straight, config);
  const b = make(first, config);
  for (let k = 0; k < 10; k++) {
    setGradients(straight, grads, k);
    setGradients(first, grads, k);
    a.step();
    b.step();
  }
  const saved = b.stateDict();
  const snapshot = viaJson(saved);
  const resumed = copyParams(first);
  const c = make(resumed, config);
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
  expect(viaJson(saved)).toEqual(snapshot);
}

/**
 * Seeded float64 parameters and `steps` steps of gradients for the
 * reference runs. The vector starts at zero, like a bias, so that the
 * trust-ratio optimizers meet ‖p‖ = 0; the gradients include an all-zero
 * step (the 4th) and a sign flip (the 6th).
 */
export function referenceProblem(steps: number): { start: Values; grads: Values[] } {
  const start = randomParams(11, "float64", REF_SHAPES).map((p) => Float64Array.from(p.data));
  start[1].fill(0);
  return { start, grads: randomGradients(12, steps, "float64", REF_SHAPES) };
}

/**
 * Runs an optimizer over the reference problem and expects its parameters
 * after every step to equal `expected[k]` (from a reference loop written
 * from the paper) to float64 rounding.
 */
export function expectFollowsReference(opt: (params: nb.Tensor[]) => { step(): unknown }, start: Values, grads: Values[], expected: Values[], tol = 1e-12): void {
  const params = start.map((v, i) => nb.tensor(Float64Array.from(v), { shape: REF_SHAPES[i] }));
  const o = opt(params);
  grads.forEach((_, k) => {
    setGradients(params, grads, k);
    o.step();
    params.forEach((p, i) => expect(relDiff(p.data, expected[k][i]), `step ${k + 1} param ${i}`).toBeLessThanOrEqual(tol));
  });
}

/** A stateful optimizer running an alias (fromTransform, lr 1: the alias's own lr applies). */
export function viaAlias(alias: nb.optim.GradientTransformation): (params: nb.Tensor[]) => { step(): unknown } {
  return (params) => new TransformOptimizer(params, alias);
}

/** Sets `p.grad` to the gradient of Rosenbrock f = (1 − x)² + 100(y − x²)² at p = (x, y). */
function rosenbrockGradient(p: nb.Tensor): void {
  const [x, y] = [p.data[0], p.data[1]];
  const g = nb.zeros([2], { dtype: p.dtype });
  g.data[0] = -2 * (1 - x) - 400 * x * (y - x * x);
  g.data[1] = 200 * (y - x * x);
  p.grad = g;
}

/** Cosine decay of the learning rate from `lr0` to 0 over `steps` (torch's CosineAnnealingLR, eta_min 0). */
export const cosine = (lr0: number, steps: number) => (k: number) => 0.5 * lr0 * (1 + Math.cos((Math.PI * k) / steps));

/**
 * Minimises Rosenbrock from (−1.5, 2) in float64 for `steps` steps, setting
 * the group's lr from `schedule` before each step when given, and returns
 * the distance to the minimum (1, 1).
 */
export function rosenbrockDistance(make: (params: nb.Tensor[]) => { step(): unknown; paramGroups: { lr: number }[] }, steps: number, schedule?: (k: number) => number): number {
  const p = nb.tensor([-1.5, 2], { dtype: "float64" });
  const opt = make([p]);
  for (let k = 0; k < steps; k++) {
    if (schedule !== undefined) opt.paramGroups[0].lr = schedule(k);
    rosenbrockGradient(p);
    opt.step();
  }
  return Math.hypot(p.data[0] - 1, p.data[1] - 1);
}

/**
 * Trains nb.mlp(2, [16], 2) on two moons (400 points, noise 0.1, seed 1)
 * for `epochs` epochs of batches of 32 and returns the test accuracy.
 */
export async function twoMoonsAccuracy(make: (params: nb.Tensor[]) => nb.StepOptimizer, epochs = 20): Promise<number> {
  const data = nb.data.twoMoons({ n: 400, noise: 0.1, seed: 1 });
  nb.manualSeed(1);
  const model = nb.mlp(2, [16], 2);
  const history = await nb.fit(model, {
    optimizer: make(model.parameters()),
    loss: (out, y) => nb.nn.functional.crossEntropy(out, y),
    trainData: data.train,
    valData: data.test,
    epochs,
    batchSize: 32,
    generator: new nb.Generator(1),
    metrics: ["accuracy"],
  });
  const last = history.epochs[epochs - 1]!;
  expect(last.loss).toBeLessThan(history.epochs[0]!.loss);
  return last.val_accuracy as number;
}

/** The Euclidean norm of an array. */
export function norm(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return Math.sqrt(s);
}
