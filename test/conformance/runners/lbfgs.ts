// Runs torch_class "LBFGS" optimizer cases: the problem's loss and gradient
// are computed from its formula with typed arrays, the closure writes
// param.grad, and the trajectory, step losses (and in float64 the closure
// call counts, closure losses and final state) are compared with torch's.
import * as nb from "../../../src/index.js";
import { LBFGS, type LBFGSOptions } from "../../../src/optim/optimizers/LBFGS.js";
import type { FloatArray } from "../../../src/optim/types.js";
import { type CaseResult, type ConformanceCase, relError } from "../cases.js";

type Hp = Record<string, unknown>;
type Tensor = nb.Tensor;

/** torch's LBFGS constructor arguments, by nabla's option name. */
const OPTION_NAMES: Record<string, keyof LBFGSOptions> = {
  lr: "lr",
  max_iter: "maxIter",
  max_eval: "maxEval",
  tolerance_grad: "toleranceGrad",
  tolerance_change: "toleranceChange",
  history_size: "historySize",
  line_search_fn: "lineSearchFn",
};

function lbfgsOptions(hp: Hp): Partial<LBFGSOptions> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(hp)) {
    const name = OPTION_NAMES[key];
    if (name === undefined) throw new Error(`LBFGS: hyperparameter "${key}" is not handled`);
    out[name] = value;
  }
  return out as Partial<LBFGSOptions>;
}

const nums = (x: unknown): number[] => x as number[];

/**
 * The loss at the current parameters, with each parameter's gradient
 * written into `grads` (computed in double, stored in the parameters'
 * dtype).
 */
type Objective = (values: readonly FloatArray[], grads: FloatArray[]) => number;

function objective(problem: Hp): Objective {
  switch (problem.type) {
    case "quadratic": {
      const a = nums(problem.a);
      const b = nums(problem.b);
      return ([x], [g]) => {
        let f = 0;
        for (let i = 0; i < x!.length; i++) {
          const xi = x![i]!;
          f += 0.5 * a[i]! * xi * xi + b[i]! * xi;
          g![i] = a[i]! * xi + b[i]!;
        }
        return f;
      };
    }
    case "rosenbrock": {
      const a = problem.a as number;
      const b = problem.b as number;
      return ([p], [g]) => {
        const [p0, p1] = [p![0]!, p![1]!];
        const r = p1 - p0 * p0;
        g![0] = -2 * (a - p0) - 4 * b * p0 * r;
        g![1] = 2 * b * r;
        return (a - p0) ** 2 + b * r * r;
      };
    }
    case "least_squares": {
      const X = problem.X as number[][];
      const y = nums(problem.y);
      const n = X.length;
      return ([w], [g]) => {
        g!.fill(0);
        let f = 0;
        X.forEach((row, k) => {
          let r = -y[k]!;
          row.forEach((xkj, j) => (r += xkj * w![j]!));
          f += r * r;
          row.forEach((xkj, j) => (g![j] += (xkj * r) / n));
        });
        return f / (2 * n);
      };
    }
    case "two_tensor_quadratic": {
      const [aW, bW, av, bv] = [nums(problem.aW), nums(problem.bW), nums(problem.av), nums(problem.bv)];
      const c = problem.c as number;
      return ([W, v], [gW, gv]) => {
        const sum = (z: FloatArray): number => {
          let acc = 0;
          for (const x of z) acc += x;
          return acc;
        };
        const [sW, sv] = [sum(W!), sum(v!)];
        let f = c * sW * sv;
        W!.forEach((w, i) => {
          f += 0.5 * aW[i]! * w * w + bW[i]! * w;
          gW![i] = aW[i]! * w + bW[i]! + c * sv;
        });
        v!.forEach((x, i) => {
          f += 0.5 * av[i]! * x * x + bv[i]! * x;
          gv![i] = av[i]! * x + bv[i]! + c * sW;
        });
        return f;
      };
    }
    default:
      throw new Error(`LBFGS runner: problem type "${String(problem.type)}" is not handled`);
  }
}

/** Runs one LBFGS case in `dtype` and reports the worst error relative to its field's tolerance. */
export function runLbfgsCase(c: ConformanceCase, dtype: "float64" | "float32"): CaseResult {
  if (c.torch_class !== "LBFGS") throw new Error(`LBFGS runner cannot run torch_class "${String(c.torch_class)}"`);
  const problem = c.problem as Hp;
  const specs = problem.params as { name: string; shape: number[]; init: number[] }[];
  const groups = problem.param_groups as Hp[];
  if (groups.length !== 1 || Object.keys(groups[0]!).some((k) => k !== "params") || nums(groups[0]!.params).some((p, i) => p !== i) || nums(groups[0]!.params).length !== specs.length) {
    throw new Error("LBFGS runner: only one parameter group holding every parameter in order, without overrides, can be run");
  }
  const params: Tensor[] = specs.map((s) => nb.tensor(s.init, { dtype, shape: s.shape }));
  const f = objective(problem);
  const f32 = dtype === "float32";

  const losses: number[] = [];
  const closure = (): number => {
    const grads = params.map((p) => {
      if (p.grad === null) p.grad = nb.zeros(p.shape, { dtype });
      return p.grad.data as FloatArray;
    });
    const loss = f(
      params.map((p) => p.data as FloatArray),
      grads,
    );
    // The gradients are float32 in a float32 run (stored in the parameters'
    // dtype); the loss stays a double. Rounded to float32, consecutive
    // losses near the quadratic case's minimum (|f| ≈ 0.43, ulp 3e-8) come
    // out equal, so |Δloss| < toleranceChange (1e-9) ends step 5 after one
    // iteration where torch's float32 run went on: that is the rounding of
    // the closure's loss, not of the optimizer.
    losses.push(loss);
    return loss;
  };

  const opt = new LBFGS(params, lbfgsOptions(c.hyperparameters ?? {}));
  const trajectory = c.trajectory as number[][][];
  const stepLosses = nums(c.step_losses);
  const closureEvals = nums(c.closure_evals);
  const closureLosses = c.closure_losses as number[][];

  const tol = (field: string): number => (dtype === "float64" ? 1e-9 : (c.float32_rtol_fields?.[field] ?? c.float32_rtol ?? 1e-6));
  let worst = { ratio: -1, err: 0, tol: 1, where: "nothing compared" };
  const note = (err: number, field: string, where: string): void => {
    const t = tol(field);
    const e = Number.isNaN(err) ? Infinity : err;
    if (e / t > worst.ratio) worst = { ratio: e / t, err: e, tol: t, where };
  };
  const scalarError = (actual: unknown, expected: number): number => {
    if (typeof actual !== "number") return Infinity;
    return expected === 0 ? Math.abs(actual) : Math.abs(actual - expected) / Math.abs(expected);
  };

  const steps = c.steps ?? trajectory.length;
  const returned: number[] = [];
  for (let k = 0; k < steps; k++) {
    const before = losses.length;
    returned.push(opt.step(closure));
    trajectory[k]!.forEach((expected, i) => note(relError(params[i]!.data, expected), "trajectory", `trajectory[${k}][${i}]`));
    if (f32) continue; // float32 may legitimately branch differently in the line search: trajectory and losses only
    const calls = losses.slice(before);
    if (calls.length !== closureEvals[k]) {
      note(Infinity, "closure_evals", `closure_evals[${k}] (${calls.length} calls, expected ${closureEvals[k]})`);
      continue;
    }
    calls.forEach((l, j) => note(scalarError(l, closureLosses[k]![j]!), "closure_losses", `closure_losses[${k}][${j}]`));
  }

  // step_losses is one array leaf: compared norm-wise, like a trajectory row.
  note(relError(returned, stepLosses), "step_losses", "step_losses");

  if (!f32) {
    const expected = c.final_state as Hp[];
    const state = opt.stateDict().state;
    expected.slice(1).forEach((s, i) => {
      if (Object.keys(s).length !== 0 || state[i + 1] !== undefined) note(Infinity, "final_state", `final_state[${i + 1}] (only parameter 0 holds state)`);
    });
    const s = state[0] as Record<string, unknown> | undefined;
    const e = expected[0]!;
    if (s === undefined) {
      note(Infinity, "final_state", "final_state[0] (no state)");
    } else {
      const scalars: [string, string][] = [
        ["func_evals", "funcEvals"],
        ["n_iter", "nIter"],
        ["t", "t"],
        ["H_diag", "hDiag"],
        ["prev_loss", "prevLoss"],
      ];
      for (const [torchKey, key] of scalars) note(scalarError(s[key], e[torchKey] as number), "final_state", `final_state.${torchKey}`);
      for (const [torchKey, key] of [
        ["d", "d"],
        ["prev_flat_grad", "prevFlatGrad"],
      ] as const) {
        note(relError(s[key] as FloatArray, nums(e[torchKey])), "final_state", `final_state.${torchKey}`);
      }
      for (const [torchKey, key] of [
        ["old_dirs", "oldDirs"],
        ["old_stps", "oldStps"],
      ] as const) {
        const got = s[key] as FloatArray[];
        const want = e[torchKey] as number[][];
        if (got.length !== want.length) note(Infinity, "final_state", `final_state.${torchKey} (${got.length} pairs, expected ${want.length})`);
        else want.forEach((w, i) => note(relError(got[i]!, w), "final_state", `final_state.${torchKey}[${i}]`));
      }
      const ro = s.ro as number[];
      const wantRo = nums(e.ro);
      if (ro.length !== wantRo.length) note(Infinity, "final_state", `final_state.ro (${ro.length} values, expected ${wantRo.length})`);
      else wantRo.forEach((w, i) => note(scalarError(ro[i], w), "final_state", `final_state.ro[${i}]`));
    }
  }
  return { worst: worst.err, where: worst.where, tolerance: worst.tol };
}
