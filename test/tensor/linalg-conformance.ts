// Cross-checks of the linalg/conv/pool ops against the torch references in
// conformance/nn/nn.json (the full nn harness lives elsewhere; this reads
// only the cases these ops can run as functions).
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import * as nb from "../../src/index.js";

export interface NnTensor {
  name?: string;
  shape: number[];
  values: (number | boolean)[];
  dtype?: string;
  requires_grad?: boolean;
}

export interface NnCase {
  id: string;
  kind: string;
  torch_class?: string;
  torch_function?: string;
  arguments: Record<string, unknown>;
  inputs: NnTensor[];
  parameters?: NnTensor[];
  grad_output?: NnTensor;
  expected: { output: NnTensor; grads?: Record<string, NnTensor>; extra_outputs?: Record<string, NnTensor> };
  float32_rtol: number;
  float32_rtol_fields?: Record<string, number>;
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const file = join(resolve(process.env.NABLA_CONFORMANCE_DIR ?? join(projectRoot, "../shared/conformance")), "nn", "nn.json");

let cache: NnCase[] | null = null;

/** The nn.json cases matching `keep` (empty when the file is absent). */
export function nnCases(keep: (c: NnCase) => boolean): NnCase[] {
  if (cache === null) cache = existsSync(file) ? (JSON.parse(readFileSync(file, "utf8")) as NnCase[]) : [];
  return cache.filter(keep);
}

/** What an op returns for a case: the output and optional integer extras (indices). */
export interface CaseOutput {
  output: nb.Tensor;
  extras?: Record<string, nb.Tensor>;
}

function relError(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
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

/**
 * Runs a case in `dtype`: builds every input and parameter (by name), calls
 * `run`, backpropagates grad_output, and returns the fields that miss their
 * tolerance (empty when the case passes).
 */
export function checkCase(c: NnCase, dtype: "float32" | "float64", run: (t: Record<string, nb.Tensor>) => CaseOutput): string[] {
  const tensors: Record<string, nb.Tensor> = {};
  const leaves: [string, nb.Tensor][] = [];
  for (const spec of [...c.inputs, ...(c.parameters ?? [])]) {
    const t = nb.tensor(spec.values.map(Number), { shape: spec.shape, dtype: spec.dtype ? "int32" : dtype });
    const isParam = (c.parameters ?? []).includes(spec);
    if (spec.requires_grad || isParam) {
      t.requiresGrad = true;
      leaves.push([spec.name!, t]);
    }
    tensors[spec.name!] = t;
  }
  const { output, extras } = run(tensors);
  const failures: string[] = [];
  const tol = (field: string) => (dtype === "float64" ? 1e-9 : (c.float32_rtol_fields?.[field] ?? c.float32_rtol));
  const compare = (field: string, actual: nb.Tensor, expected: NnTensor) => {
    if (actual.shape.join(",") !== expected.shape.join(",")) {
      failures.push(`${field}: shape [${actual.shape.join(",")}] != [${expected.shape.join(",")}]`);
      return;
    }
    const err = relError(actual.data, expected.values.map(Number));
    if (!(err <= tol(field))) failures.push(`${field}: relative error ${err} > ${tol(field)}`);
  };
  compare("output", output, c.expected.output);
  for (const [name, want] of Object.entries(c.expected.extra_outputs ?? {})) {
    const got = extras?.[name];
    if (!got || got.shape.join(",") !== want.shape.join(",") || Array.from(got.data).join(",") !== want.values.join(",")) {
      failures.push(`extra_outputs.${name}: ${got ? Array.from(got.data).join(",") : "missing"} != ${want.values.join(",")}`);
    }
  }
  if (c.grad_output) {
    output.backward(nb.tensor(c.grad_output.values.map(Number), { shape: c.grad_output.shape, dtype }));
    for (const [name, want] of Object.entries(c.expected.grads ?? {})) {
      const leaf = leaves.find(([n]) => n === name)?.[1];
      if (!leaf?.grad) failures.push(`grads.${name}: missing`);
      else compare(`grads.${name}`, leaf.grad, want);
    }
  }
  return failures;
}
