// Runs clip_grad_norm / clip_grad_value cases through nb.nn.utils: gradients
// are set on parameter tensors of the run's dtype, clipped in place, and
// compared with the references (and the returned total norm).
import * as nb from "../../../src/index.js";
import { type CaseResult, type ConformanceCase, relError, type Runner } from "../cases.js";

type Hp = Record<string, unknown>;

export const runClipping: Runner = (c: ConformanceCase, dtype): CaseResult => {
  const hp = (c.hyperparameters ?? {}) as Hp;
  const grads = (c.problem as Hp).grads as ({ shape: number[]; values: number[] } | null)[];
  const params = grads.map((g) => {
    const p = nb.zeros(g === null ? [1] : g.shape, { dtype });
    if (g !== null) p.grad = nb.tensor(g.values, { dtype, shape: g.shape });
    return p;
  });
  let totalNorm: number | undefined;
  if (c.kind === "clip_grad_norm") {
    for (const k of Object.keys(hp)) if (k !== "max_norm" && k !== "norm_type") throw new Error(`clip_grad_norm_: hyperparameter "${k}" is not handled`);
    const normType = hp.norm_type === undefined ? 2 : hp.norm_type === "inf" ? Infinity : (hp.norm_type as number);
    totalNorm = nb.nn.utils.clipGradNorm(params, hp.max_norm as number, normType);
  } else if (c.kind === "clip_grad_value") {
    for (const k of Object.keys(hp)) if (k !== "clip_value") throw new Error(`clip_grad_value_: hyperparameter "${k}" is not handled`);
    nb.nn.utils.clipGradValue(params, hp.clip_value as number);
  } else {
    throw new Error(`clipping runner cannot run kind "${c.kind}"`);
  }

  const tol = (field: string): number => (dtype === "float64" ? 1e-9 : (c.float32_rtol_fields?.[field] ?? c.float32_rtol ?? 1e-6));
  let worst = { ratio: -1, err: 0, tol: 1, where: "nothing compared" };
  const note = (err: number, field: string, where: string): void => {
    const t = tol(field);
    const e = Number.isNaN(err) ? Infinity : err;
    if (e / t > worst.ratio) worst = { ratio: e / t, err: e, tol: t, where };
  };
  const expected = (c.trajectory as (number[] | null)[][])[0]!;
  expected.forEach((exp, i) => {
    const g = params[i]!.grad;
    if (exp === null) {
      if (g !== null) throw new Error(`parameter ${i} should have no gradient, got one`);
      return;
    }
    if (g === null) throw new Error(`parameter ${i} lost its gradient`);
    note(relError(g.data, exp), "trajectory", `trajectory[0][${i}]`);
  });
  const fs = c.final_state as Hp;
  if (typeof fs.total_norm === "number") {
    if (totalNorm === undefined) throw new Error("no total norm returned");
    note(Math.abs(totalNorm - fs.total_norm) / Math.abs(fs.total_norm), "final_state", "final_state.total_norm");
  }
  return { worst: worst.err, where: worst.where, tolerance: worst.tol };
};
