// The shape of an nn/ conformance case (see conformance/nn/README.md), how
// its tensors become nabla tensors, and how a run's fields are compared
// with the reference ("Tolerances" in that README).
import * as nb from "../../../src/index.js";
import type { CaseResult, ConformanceCase } from "../cases.js";

/** A tensor as stored in nn.json: values flat in row-major order; int64 and bool given as JSON integers / booleans. */
export interface TensorSpec {
  name?: string;
  shape: number[];
  values: (number | boolean)[];
  dtype?: "int64" | "bool";
  requires_grad?: boolean;
}

/** An nn.json case; the fields present depend on `kind` (module, functional, loss, init_stats). */
export interface NnCase extends ConformanceCase {
  arguments?: Record<string, unknown>;
  inputs?: TensorSpec[];
  parameters?: TensorSpec[];
  buffers?: TensorSpec[];
  mode?: "train" | "eval";
  shape?: number[];
  grad_output?: TensorSpec;
  expected: Record<string, unknown> & {
    output?: TensorSpec;
    grads?: Record<string, TensorSpec>;
    buffers?: Record<string, TensorSpec>;
    extra_outputs?: Record<string, TensorSpec>;
  };
}

export type FloatDType = "float32" | "float64";

/** Whether a spec holds integers (int64 or bool), which nabla keeps as int32. */
export function isIntegerSpec(spec: TensorSpec): boolean {
  return spec.dtype === "int64" || spec.dtype === "bool";
}

/**
 * A spec as a nabla tensor: floating values in the dtype under test,
 * int64 and bool as int32 (nabla has no 64-bit integers or booleans;
 * every index and mask in the cases fits).
 */
export function fromSpec(spec: TensorSpec, dtype: FloatDType): nb.Tensor {
  if (spec.dtype !== undefined && !isIntegerSpec(spec)) throw new Error(`tensor "${spec.name ?? "?"}" has dtype ${String(spec.dtype)}, which the runner does not know`);
  const values = spec.values.map(Number);
  if (isIntegerSpec(spec) && values.some((v) => !Number.isInteger(v) || Math.abs(v) > 2 ** 31 - 1)) {
    throw new Error(`tensor "${spec.name ?? "?"}" holds integers outside int32`);
  }
  return nb.tensor(values, { dtype: isIntegerSpec(spec) ? "int32" : dtype, shape: spec.shape });
}

/** camelCase of a torch name: count_include_pad -> countIncludePad. */
export function camel(name: string): string {
  return name.replace(/_([a-z0-9])/g, (_, ch: string) => ch.toUpperCase());
}

const sameShape = (a: readonly number[], b: readonly number[]): boolean => a.length === b.length && a.every((v, i) => v === b[i]);
const showShape = (s: readonly number[]): string => `[${s.join(",")}]`;

/**
 * Norm-wise relative error max|a - e| / max|e|; when the reference is all
 * zero it must be matched exactly (0, else Infinity). NaN counts as Infinity.
 */
export function normRelError(actual: ArrayLike<number>, expected: readonly number[]): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    diff = Math.max(diff, Number.isNaN(d) ? Infinity : d);
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  if (scale === 0) return diff === 0 ? 0 : Infinity;
  return diff / scale;
}

/**
 * Collects a run's compared fields. Floating fields are checked by their
 * norm-wise relative error against 1e-9 (float64) or the case's
 * float32_rtol_fields entry / float32_rtol (float32); integer fields,
 * shapes and dtypes must match exactly and throw at once when they do not.
 */
export class FieldChecker {
  #worst = { ratio: -1, err: 0, tol: 1, where: "nothing compared" };
  #count = 0;

  constructor(
    readonly c: NnCase,
    readonly dtype: FloatDType,
  ) {}

  /** The tolerance of a floating field computed in `fieldDtype`. */
  tolerance(field: string, fieldDtype: FloatDType = this.dtype): number {
    if (fieldDtype === "float64") return 1e-9;
    const t = this.c.float32_rtol_fields?.[field] ?? this.c.float32_rtol;
    if (typeof t !== "number" || !(t > 0)) throw new Error(`case ${this.c.id} gives no float32 tolerance for ${field}`);
    return t;
  }

  /** Records a relative error already computed for `field`. */
  note(field: string, err: number, tol: number): void {
    this.#count++;
    const e = Number.isNaN(err) ? Infinity : err;
    const ratio = tol === 0 ? (e === 0 ? 0 : Infinity) : e / tol;
    if (ratio > this.#worst.ratio) this.#worst = { ratio, err: e, tol, where: field };
  }

  /**
   * Compares a nabla tensor with a reference spec. A floating reference
   * needs a floating result of dtype `wantDtype` (the dtype under test
   * unless the caller says otherwise); an integer one an int32 result with
   * equal values.
   */
  tensor(field: string, actual: nb.Tensor | null | undefined, expected: TensorSpec, wantDtype: FloatDType = this.dtype): void {
    if (!(actual instanceof nb.Tensor)) throw new Error(`${field}: nabla gave no tensor`);
    if (!sameShape(actual.shape, expected.shape)) {
      throw new Error(`${field}: shape ${showShape(actual.shape)}, expected ${showShape(expected.shape)}`);
    }
    const want = expected.values.map(Number);
    if (isIntegerSpec(expected)) {
      if (actual.dtype !== "int32") throw new Error(`${field}: dtype ${actual.dtype}, expected an integer tensor (int32)`);
      const got = Array.from(actual.data);
      const bad = want.findIndex((v, i) => got[i] !== v);
      if (bad >= 0) throw new Error(`${field}: [${got.join(",")}] != [${want.join(",")}] (first difference at flat index ${bad})`);
      this.note(field, 0, 0);
      return;
    }
    if (expected.dtype !== undefined) throw new Error(`${field}: reference dtype ${expected.dtype} is unknown to the runner`);
    if (actual.dtype !== wantDtype) throw new Error(`${field}: dtype ${actual.dtype}, expected ${wantDtype}`);
    this.note(field, normRelError(actual.data, want), this.tolerance(field, wantDtype));
  }

  /** The worst field relative to its tolerance, as the harness wants it. */
  result(): CaseResult {
    if (this.#count === 0) throw new Error(`case ${this.c.id}: nothing was compared`);
    const w = this.#worst;
    return { worst: w.err, where: w.where, tolerance: w.tol };
  }
}
