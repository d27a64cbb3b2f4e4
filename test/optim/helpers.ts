// Shared by the optim tests: a registry of every paramwise optimizer with
// option sets that switch on each of its features, seeded random problems,
// and comparison helpers.
import { expect } from "vitest";
import * as nb from "../../src/index.js";

export type DType = "float32" | "float64";
export type AnyOptimizer = nb.optim.ParamwiseOptimizer<nb.optim.GroupOptions, nb.optim.State>;
type Make = (params: nb.Tensor[] | nb.optim.ParamGroupInput[], options: Record<string, unknown>) => AnyOptimizer;

const make =
  (Class: unknown): Make =>
  (params, options) =>
    new (Class as new (p: unknown, o: unknown) => AnyOptimizer)(params, options);

/** Every paramwise optimizer, with option sets covering each feature (maximize, decay, amsgrad, ...). */
export const OPTIMIZERS: { name: string; make: Make; configs: Record<string, unknown>[] }[] = [
  {
    name: "SGD",
    make: make(nb.optim.SGD),
    configs: [
      { lr: 0.1 },
      { lr: 0.05, momentum: 0.9 },
      { lr: 0.05, momentum: 0.9, dampening: 0.3, weightDecay: 0.01 },
      { lr: 0.05, momentum: 0.8, nesterov: true, maximize: true, weightDecay: 0.1 },
    ],
  },
  {
    name: "Adam",
    make: make(nb.optim.Adam),
    configs: [{ lr: 0.01 }, { lr: 0.01, amsgrad: true, weightDecay: 0.1, maximize: true }, { lr: 0.02, betas: [0.8, 0.9], eps: 1e-3 }],
  },
  { name: "AdamW", make: make(nb.optim.AdamW), configs: [{ lr: 0.01 }, { lr: 0.01, amsgrad: true, weightDecay: 0.3, maximize: true }] },
  { name: "Adamax", make: make(nb.optim.Adamax), configs: [{ lr: 0.01 }, { lr: 0.01, weightDecay: 0.1, maximize: true, eps: 1e-3 }] },
  { name: "NAdam", make: make(nb.optim.NAdam), configs: [{ lr: 0.01 }, { lr: 0.01, weightDecay: 0.1, momentumDecay: 0.01, maximize: true }] },
  { name: "RAdam", make: make(nb.optim.RAdam), configs: [{ lr: 0.01 }, { lr: 0.01, weightDecay: 0.1, betas: [0.9, 0.99], maximize: true }] },
  {
    name: "Adagrad",
    make: make(nb.optim.Adagrad),
    configs: [{ lr: 0.1 }, { lr: 0.1, lrDecay: 0.05, weightDecay: 0.1, initialAccumulatorValue: 0.2, maximize: true }],
  },
  { name: "Adadelta", make: make(nb.optim.Adadelta), configs: [{}, { lr: 0.5, rho: 0.8, weightDecay: 0.1, maximize: true }] },
  {
    name: "RMSprop",
    make: make(nb.optim.RMSprop),
    configs: [{ lr: 0.01 }, { lr: 0.01, centered: true, momentum: 0.5, weightDecay: 0.1, maximize: true }, { lr: 0.01, momentum: 0.9 }],
  },
  {
    name: "Rprop",
    make: make(nb.optim.Rprop),
    configs: [{ lr: 0.01 }, { lr: 0.05, etas: [0.3, 1.5], stepSizes: [1e-3, 0.1], maximize: true }],
  },
  { name: "ASGD", make: make(nb.optim.ASGD), configs: [{ lr: 0.05 }, { lr: 0.05, lambd: 0.01, alpha: 0.6, t0: 3, weightDecay: 0.1, maximize: true }] },
];

/** Every (optimizer, config) pair, labelled for test names. */
export const CASES = OPTIMIZERS.flatMap((o) => o.configs.map((config) => ({ label: `${o.name} ${JSON.stringify(config)}`, make: o.make, config })));

/** Shapes of the parameters used by the generic tests, with a zero-size one last (as torch's tests do). */
export const SHAPES: number[][] = [[3, 4], [5], [1], [0]];

/** Fresh parameters with seeded random values. */
export function randomParams(seed: number, dtype: DType, shapes: number[][] = SHAPES): nb.Tensor[] {
  const gen = new nb.Generator(seed);
  return shapes.map((s) => nb.randn(s, { generator: gen, dtype }));
}

/**
 * Gradients for `steps` steps, seeded: ordinary values, with a zero step,
 * a step that flips the previous one's signs, and a large and a tiny
 * element (the cases that separate update rules).
 */
export function randomGradients(seed: number, steps: number, dtype: DType, shapes: number[][] = SHAPES): Float64Array[][] {
  const gen = new nb.Generator(seed);
  const out: Float64Array[][] = [];
  for (let k = 0; k < steps; k++) {
    out.push(
      shapes.map((s, i) => {
        if (k === 3) return new Float64Array(nb.zeros(s).size);
        if (k === 5) return out[4][i].map((x) => -x);
        const g = Float64Array.from(nb.randn(s, { generator: gen, dtype: "float64" }).data);
        if (g.length > 2) {
          g[0] *= 1e3;
          g[1] *= 1e-4;
        }
        return dtype === "float32" ? g.map(Math.fround) : g;
      }),
    );
  }
  return out;
}

/** Writes step k's gradients into the parameters (as tensors of their dtype). */
export function setGradients(params: nb.Tensor[], grads: Float64Array[][], k: number): void {
  params.forEach((p, i) => {
    const g = nb.zeros(p.shape, { dtype: p.dtype });
    g.data.set(grads[k][i]);
    p.grad = g;
  });
}

/** Copies of the parameters' values (new tensors, same dtype and shape). */
export function copyParams(params: nb.Tensor[]): nb.Tensor[] {
  return params.map((p) => nb.tensor(p.data, { shape: p.shape }));
}

/** Norm-wise relative difference max|a − b| / max|b| (absolute where b is all zero). */
export function relDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  let s = 0;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i] - b[i]));
    s = Math.max(s, Math.abs(b[i]));
  }
  return s === 0 ? d : d / s;
}

/** Asserts two state trees match: same keys and nulls, numbers and buffers within `rtol` (0: bit for bit). */
export function expectStateClose(actual: unknown, expected: unknown, rtol: number, path = "state"): void {
  if (ArrayBuffer.isView(expected)) {
    expect(ArrayBuffer.isView(actual), path).toBe(true);
    const a = actual as Float64Array;
    const e = expected as Float64Array;
    if (rtol === 0) expect(Array.from(a), path).toEqual(Array.from(e));
    else expect(relDiff(a, e), path).toBeLessThanOrEqual(rtol);
  } else if (typeof expected === "number") {
    expect(typeof actual, path).toBe("number");
    if (rtol === 0) expect(actual, path).toBe(expected);
    else expect(Math.abs((actual as number) - expected), path).toBeLessThanOrEqual(rtol * Math.max(1, Math.abs(expected)));
  } else if (expected !== null && typeof expected === "object") {
    const e = expected as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    expect(Object.keys(a).sort(), path).toEqual(Object.keys(e).sort());
    for (const key of Object.keys(e)) expectStateClose(a[key], e[key], rtol, `${path}.${key}`);
  } else {
    expect(actual, path).toBe(expected);
  }
}

/** A JSON round trip of a state dict, with typed arrays written as number arrays. */
export function viaJson<T>(value: T): unknown {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (ArrayBuffer.isView(v) ? Array.from(v as Float64Array) : v)));
}
