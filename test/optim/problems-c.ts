// Shared by the tests of the schedule-free, parameter-free, wrapper and
// low-precision optimizers: the Rosenbrock problem and the two-moons MLP.
import * as nb from "../../src/index.js";

/** What the problems need of an optimizer (nb.fit's contract). */
export type AnyStepOptimizer = Parameters<typeof nb.fit>[1]["optimizer"];

/** Rosenbrock's function f(x, y) = (1 − x)² + 100(y − x²)², minimum 0 at (1, 1). */
export function rosenbrock(x: number, y: number): number {
  return (1 - x) ** 2 + 100 * (y - x * x) ** 2;
}

/** ∇f at (x, y): [−2(1 − x) − 400x(y − x²), 200(y − x²)]. */
export function rosenbrockGrad(x: number, y: number): [number, number] {
  return [-2 * (1 - x) - 400 * x * (y - x * x), 200 * (y - x * x)];
}

/** Sets `p.grad` to Rosenbrock's gradient at p (float64, 2 elements) and returns f(p). */
export function setRosenbrockGrad(p: nb.Tensor): number {
  const [x, y] = [p.data[0], p.data[1]];
  p.grad = nb.tensor(rosenbrockGrad(x, y), { dtype: "float64" });
  return rosenbrock(x, y);
}

/**
 * Runs `steps` steps from (−1.5, 2) and returns the final point (read after
 * `finish`, e.g. a schedule-free optimizer's eval()). With `closure` the
 * optimizer is stepped through one (SAM).
 */
export function runRosenbrock(
  make: (p: nb.Tensor) => { step(closure?: () => number): unknown },
  steps: number,
  options: { closure?: boolean; finish?: (opt: ReturnType<typeof make>) => void } = {},
): [number, number] {
  const p = nb.tensor([-1.5, 2], { dtype: "float64", requiresGrad: true });
  const opt = make(p);
  for (let k = 0; k < steps; k++) {
    if (options.closure === true) opt.step(() => setRosenbrockGrad(p));
    else {
      setRosenbrockGrad(p);
      opt.step();
    }
  }
  options.finish?.(opt);
  return [p.data[0], p.data[1]];
}

/** max(|x − 1|, |y − 1|). */
export function distanceToMinimum([x, y]: [number, number]): number {
  return Math.max(Math.abs(x - 1), Math.abs(y - 1));
}

const ce = (out: nb.Tensor, y: nb.Tensor) => nb.nn.functional.crossEntropy(out, y);

/**
 * Trains nb.mlp(2, [16], 2) on two moons (400 points, noise 0.1, seed 1)
 * with nb.fit and returns the history (val_accuracy on the held-out split).
 */
export async function trainTwoMoons(
  makeOptimizer: (params: nb.Tensor[]) => AnyStepOptimizer,
  epochs: number,
  batchSize = 32,
): Promise<{ history: Awaited<ReturnType<typeof nb.fit>>; model: ReturnType<typeof nb.mlp>; accuracy: number; data: ReturnType<typeof nb.data.twoMoons> }> {
  const data = nb.data.twoMoons({ n: 400, noise: 0.1, seed: 1 });
  nb.manualSeed(1);
  const model = nb.mlp(2, [16], 2);
  const history = await nb.fit(model, {
    optimizer: makeOptimizer(model.parameters()),
    loss: ce,
    trainData: data.train,
    valData: data.test,
    epochs,
    batchSize,
    generator: new nb.Generator(1),
    metrics: ["accuracy"],
  });
  const accuracy = history.epochs[history.epochs.length - 1]!.val_accuracy ?? NaN;
  return { history, model, accuracy, data };
}

/** The cross-entropy loss used by the two-moons problem. */
export const crossEntropy = ce;

/** An optimizer as the round-trip check needs it. */
type Checkpointable = { step(closure?: () => number): unknown; stateDict(): unknown; loadStateDict(sd: never): void };

/**
 * Runs `steps` steps of `make(a)` on the seeded gradients, and the same
 * with a checkpoint after `split` steps: `make(c)` on a copy of the
 * parameters loads the saved dict (through JSON unless `json` is false)
 * and continues. Asserts the two runs end bit for bit equal.
 */
export function expectExactResume(
  make: (params: nb.Tensor[]) => Checkpointable,
  params: nb.Tensor[],
  grads: Float64Array[][],
  split: number,
  { json = true }: { json?: boolean } = {},
): void {
  const setGrads = (ps: nb.Tensor[], k: number) =>
    ps.forEach((p, i) => {
      const g = nb.zeros(p.shape, { dtype: p.dtype });
      g.data.set(grads[k][i]);
      p.grad = g;
    });
  const copy = (ps: nb.Tensor[]) => ps.map((p) => nb.tensor(p.data, { shape: p.shape }));
  const a = copy(params);
  const b = copy(params);
  const optA = make(a);
  const optB = make(b);
  for (let k = 0; k < split; k++) {
    setGrads(a, k);
    setGrads(b, k);
    optA.step();
    optB.step();
  }
  const saved = optB.stateDict();
  const restored = json ? JSON.parse(JSON.stringify(saved, (_k, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v))) : saved;
  const c = copy(b);
  const optC = make(c);
  optC.loadStateDict(restored as never);
  for (let k = split; k < grads.length; k++) {
    setGrads(a, k);
    setGrads(c, k);
    optA.step();
    optC.step();
  }
  a.forEach((p, i) => {
    if (Array.from(c[i].data).some((v, j) => !Object.is(v, p.data[j]))) {
      throw new Error(`resumed run differs from the uninterrupted one in parameter ${i}: ${Array.from(c[i].data)} vs ${Array.from(p.data)}`);
    }
  });
}
