import { readdirSync, readFileSync, existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

/** One conformance case as stored in ../shared/conformance (fields vary by kind). */
export interface ConformanceCase {
  id: string;
  kind: string;
  torch_class?: string;
  torch_function?: string;
  hyperparameters?: Record<string, unknown>;
  problem?: Record<string, unknown>;
  steps?: number;
  trajectory?: unknown;
  final_state?: unknown;
  float32_rtol?: number;
  float32_rtol_fields?: Record<string, number>;
  [key: string]: unknown;
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The folder named by NABLA_CONFORMANCE_DIR, or ../shared/conformance beside the project. */
export function conformanceDir(): string {
  return resolve(process.env.NABLA_CONFORMANCE_DIR ?? join(projectRoot, "../shared/conformance"));
}

/** Every case of every *.json file directly in `dir`, tagged with its file. */
export function loadCases(dir: string): { file: string; case: ConformanceCase }[] {
  if (!existsSync(dir)) throw new Error(`conformance: folder ${dir} does not exist (set NABLA_CONFORMANCE_DIR)`);
  const out: { file: string; case: ConformanceCase }[] = [];
  for (const name of readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const parsed: unknown = JSON.parse(readFileSync(join(dir, name), "utf8"));
    if (!Array.isArray(parsed)) throw new Error(`conformance: ${name} is not a JSON array of cases`);
    for (const c of parsed as ConformanceCase[]) out.push({ file: name, case: c });
  }
  return out;
}

/** Subfolders of the conformance folder whose *.json cases the harness also runs. */
export const CASE_SUBFOLDERS = ["nn"] as const;

/**
 * Every case of `dir` (loadCases) and of each of its CASE_SUBFOLDERS that
 * exists, the latter tagged "nn/<file>".
 */
export function loadAllCases(dir: string): { file: string; case: ConformanceCase }[] {
  const out = loadCases(dir);
  for (const sub of CASE_SUBFOLDERS) {
    const subdir = join(dir, sub);
    if (!existsSync(subdir)) continue;
    for (const { file, case: c } of loadCases(subdir)) out.push({ file: `${sub}/${file}`, case: c });
  }
  return out;
}

/** Norm-wise relative error max|a - e| / max|e| (absolute when e is all zero). */
export function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
  if (actual.length !== expected.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    const d = Math.abs(actual[i]! - expected[i]!);
    diff = Math.max(diff, Number.isNaN(d) ? Infinity : d);
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** What a runner reports for one case in one dtype. */
export interface CaseResult {
  /** Largest relative error seen and where, for the failure message. */
  worst: number;
  where: string;
  tolerance: number;
}

export type Runner = (c: ConformanceCase, dtype: "float64" | "float32") => CaseResult;
