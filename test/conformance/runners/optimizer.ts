// Runs a torch.optim conformance case through nb.optim: builds the problem
// with plain typed arrays (gradients computed in the dtype under test), steps
// the optimizer, and compares every step's parameters and the final state.
import * as nb from "../../../src/index.js";
import { relError, type CaseResult, type ConformanceCase, type Runner } from "../cases.js";
import { runLbfgsCase } from "./lbfgs.js";

type DType = "float32" | "float64";
type Optim = nb.optim.Optimizer;
type Ctor = new (params: nb.Tensor[] | { params: nb.Tensor[] }[], options: Record<string, unknown>) => Optim;

const CLASSES: Record<string, Ctor> = {
  SGD: nb.optim.SGD as unknown as Ctor,
  Adam: nb.optim.Adam as unknown as Ctor,
  AdamW: nb.optim.AdamW as unknown as Ctor,
  Adamax: nb.optim.Adamax as unknown as Ctor,
  NAdam: nb.optim.NAdam as unknown as Ctor,
  RAdam: nb.optim.RAdam as unknown as Ctor,
  Adagrad: nb.optim.Adagrad as unknown as Ctor,
  Adadelta: nb.optim.Adadelta as unknown as Ctor,
  RMSprop: nb.optim.RMSprop as unknown as Ctor,
  Rprop: nb.optim.Rprop as unknown as Ctor,
  ASGD: nb.optim.ASGD as unknown as Ctor,
};

/** torch's snake_case option name in nabla's camelCase. */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/** The case's options in camelCase, refusing any the optimizer does not have. */
function optionsFor(c: ConformanceCase, torchOptions: Record<string, unknown>, known: readonly string[]): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(torchOptions)) {
    if (key === "params") continue;
    const name = camel(key);
    if (!known.includes(name)) throw new Error(`${c.id}: ${c.torch_class} has no option "${name}" (torch "${key}")`);
    out[name] = value;
  }
  return out;
}

interface ParamSpec {
  name: string;
  shape: number[];
  init: number[];
}

/** The case's problem: its parameters (of the dtype) and a function that sets their gradients for step k. */
export interface Problem {
  params: nb.Tensor[];
  setGradients(step: number): void;
  /** The objective at the current parameters (not for given_gradients). */
  loss(): number;
}

const num = (x: unknown): number => x as number;
const nums = (x: unknown): number[] => x as number[];

/** Rounds data the way it would be stored in the dtype under test. */
function rounder(dtype: DType): (x: number) => number {
  return dtype === "float32" ? Math.fround : (x) => x;
}

export function buildProblem(c: ConformanceCase, dtype: DType): Problem {
  const prob = c.problem as Record<string, unknown>;
  const specs = prob.params as ParamSpec[];
  const params = specs.map((s) => nb.tensor(Float64Array.from(s.init), { dtype, shape: s.shape }));
  const r = rounder(dtype);
  const vec = (x: unknown): number[] => nums(x).map(r);
  const setGrad = (i: number, values: ArrayLike<number>): void => {
    const g = nb.zeros(params[i].shape, { dtype });
    g.data.set(values);
    params[i].grad = g;
  };
  switch (prob.type) {
    case "quadratic": {
      const a = vec(prob.a);
      const b = vec(prob.b);
      const x = params[0].data;
      return {
        params,
        setGradients: () => setGrad(0, a.map((ai, i) => ai * x[i] + b[i])),
        loss: () => a.reduce((s, ai, i) => s + 0.5 * ai * x[i] * x[i] + b[i] * x[i], 0),
      };
    }
    case "rosenbrock": {
      const a = r(num(prob.a));
      const b = r(num(prob.b));
      const p = params[0].data;
      return {
        params,
        setGradients: () => {
          const t = p[1] - p[0] * p[0];
          setGrad(0, [-2 * (a - p[0]) - 4 * b * p[0] * t, 2 * b * t]);
        },
        loss: () => (a - p[0]) ** 2 + b * (p[1] - p[0] * p[0]) ** 2,
      };
    }
    case "least_squares": {
      const X = (prob.X as number[][]).map(vec);
      const y = vec(prob.y);
      const w = params[0].data;
      const residual = (): number[] => X.map((row, k) => row.reduce((s, xk, j) => s + xk * w[j], 0) - y[k]);
      return {
        params,
        setGradients: () => {
          const res = residual();
          setGrad(0, Array.from(w, (_, j) => X.reduce((s, row, k) => s + row[j] * res[k], 0) / X.length));
        },
        loss: () => residual().reduce((s, e) => s + e * e, 0) / (2 * X.length),
      };
    }
    case "two_tensor_quadratic": {
      const [aW, bW, av, bv] = [vec(prob.aW), vec(prob.bW), vec(prob.av), vec(prob.bv)];
      const cc = r(num(prob.c));
      const W = params[0].data;
      const v = params[1].data;
      const sum = (t: ArrayLike<number>): number => Array.from(t).reduce((s, e) => s + e, 0);
      return {
        params,
        setGradients: () => {
          const sW = sum(W);
          const sv = sum(v);
          setGrad(0, aW.map((a, i) => a * W[i] + bW[i] + cc * sv));
          setGrad(1, av.map((a, i) => a * v[i] + bv[i] + cc * sW));
        },
        loss: () =>
          aW.reduce((s, a, i) => s + 0.5 * a * W[i] * W[i] + bW[i] * W[i], 0) +
          av.reduce((s, a, i) => s + 0.5 * a * v[i] * v[i] + bv[i] * v[i], 0) +
          cc * sum(W) * sum(v),
      };
    }
    case "given_gradients": {
      const grads = prob.gradients as number[][][];
      return {
        params,
        setGradients: (k) => grads[k].forEach((g, i) => setGrad(i, g.map(r))),
        loss: () => {
          throw new Error(`${c.id}: given_gradients has no loss`);
        },
      };
    }
    default:
      throw new Error(`${c.id}: unknown problem type "${String(prob.type)}"`);
  }
}

/** Tracks the field with the largest error relative to its tolerance. */
class Worst {
  result: CaseResult = { worst: 0, where: "nothing compared", tolerance: 1 };
  private ratio = -1;
  constructor(private readonly tolerance: (field: string) => number) {}

  add(field: string, where: string, err: number): void {
    const tol = this.tolerance(field);
    const ratio = Number.isNaN(err) ? Infinity : err / tol;
    if (ratio > this.ratio) {
      this.ratio = ratio;
      this.result = { worst: Number.isNaN(err) ? Infinity : err, where, tolerance: tol };
    }
  }
}

function compareState(c: ConformanceCase, opt: Optim, params: nb.Tensor[], worst: Worst): void {
  const expected = c.final_state as Record<string, unknown>[];
  expected.forEach((fields, i) => {
    const mine = (opt.state.get(params[i]) ?? {}) as Record<string, unknown>;
    for (const [key, want] of Object.entries(fields)) {
      const name = camel(key);
      if (!(name in mine)) throw new Error(`${c.id}: nabla's ${c.torch_class} state has no "${name}" (torch "${key}") for parameter ${i}`);
      const got = mine[name];
      const where = `final_state[${i}].${key}`;
      if (want === null) {
        worst.add("final_state", where, got === null ? 0 : Infinity);
      } else if (typeof want === "number") {
        const g = typeof got === "number" ? got : NaN;
        worst.add("final_state", where, want === 0 ? Math.abs(g) : Math.abs(g - want) / Math.abs(want));
      } else {
        const g = got instanceof Float32Array || got instanceof Float64Array ? got : new Float64Array(0);
        worst.add("final_state", where, relError(g, want as number[]));
      }
    }
  });
}

export const runOptimizer: Runner = (c, dtype) => {
  const cls = c.torch_class ?? "";
  if (cls === "LBFGS") return runLbfgsCase(c, dtype);
  const Class = CLASSES[cls];
  if (Class === undefined) throw new Error(`${c.id}: no nabla optimizer for torch class "${cls}"`);
  for (const [key, value] of Object.entries((c.torch_options as Record<string, unknown> | undefined) ?? {})) {
    // nabla's NAdam is torch's foreach implementation (see the README); other flags select nothing we have.
    if (!(key === "foreach" && value === true && cls === "NAdam")) throw new Error(`${c.id}: cannot run torch option ${key}=${String(value)}`);
  }
  const problem = buildProblem(c, dtype);
  const hyper = (c.hyperparameters ?? {}) as Record<string, unknown>;
  const probe = new Class([nb.zeros([1], { dtype })], {});
  const known = Object.keys(probe.defaults);
  const defaults = optionsFor(c, hyper, known);
  const groups = ((c.problem as Record<string, unknown>).param_groups as Record<string, unknown>[]).map((g) => ({
    ...optionsFor(c, g, known),
    params: (g.params as number[]).map((i) => problem.params[i]),
  }));
  const opt = new Class(groups, defaults);

  const fieldTol = (c.float32_rtol_fields ?? {}) as Record<string, number>;
  const worst = new Worst((field) => (dtype === "float64" ? 1e-9 : (fieldTol[field] ?? c.float32_rtol ?? 1e-6)));
  const trajectory = c.trajectory as number[][][];
  for (let k = 0; k < (c.steps ?? 0); k++) {
    problem.setGradients(k);
    opt.step();
    trajectory[k].forEach((want, i) => worst.add("trajectory", `trajectory[${k}][${i}]`, relError(problem.params[i].data, want)));
  }
  compareState(c, opt, problem.params, worst);
  return worst.result;
};
