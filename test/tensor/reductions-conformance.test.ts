// Cross-checks the reductions and softmax against the torch references in
// conformance/nn/nn.json (kind "functional"), in float64 and float32. The
// general nn.json harness lives elsewhere; this only runs the cases whose
// torch function is one of ours.
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { conformanceDir, relError } from "../conformance/cases.js";

interface JsonTensor {
  shape: number[];
  values: number[];
  dtype?: string;
}

interface FunctionalCase {
  id: string;
  kind: string;
  torch_function?: string;
  arguments: Record<string, unknown>;
  inputs: (JsonTensor & { name: string; requires_grad: boolean })[];
  grad_output?: JsonTensor;
  expected: { output: JsonTensor; extra_outputs?: { indices: JsonTensor }; grads?: Record<string, JsonTensor> };
  float32_rtol: number;
  float32_rtol_fields?: Record<string, number>;
}

type Dim = number | number[] | null | undefined;

/** Runs one case's torch function through nabla: the output and, with dim, max/min's indices. */
function call(fn: string, x: nb.Tensor, args: Record<string, unknown>): { output: nb.Tensor; indices?: nb.Tensor } {
  const dim = args.dim as Dim;
  const keepdim = (args.keepdim as boolean | undefined) ?? false;
  const varOptions = (): nb.VarOptions => ({
    keepdim,
    ...(args.correction !== undefined ? { correction: args.correction as number } : {}),
    ...(args.unbiased !== undefined ? { unbiased: args.unbiased as boolean } : {}),
  });
  switch (fn) {
    case "torch.nn.functional.softmax":
      return { output: nb.softmax(x, dim as number) };
    case "torch.nn.functional.log_softmax":
      return { output: nb.logSoftmax(x, dim as number) };
    case "torch.logsumexp":
      return { output: nb.logsumexp(x, dim, keepdim) };
    case "torch.var":
      return { output: nb.var(x, dim, varOptions()) };
    case "torch.std":
      return { output: nb.std(x, dim, varOptions()) };
    case "torch.cumsum":
      return { output: nb.cumsum(x, dim as number) };
    case "torch.amax":
      return { output: nb.amax(x, dim, keepdim) };
    case "torch.amin":
      return { output: nb.amin(x, dim, keepdim) };
    case "torch.argmax":
      return { output: nb.argmax(x, dim as number | null, keepdim) };
    case "torch.argmin":
      return { output: nb.argmin(x, dim as number | null, keepdim) };
    case "torch.max":
    case "torch.min": {
      if (dim === undefined) return { output: fn === "torch.max" ? nb.max(x) : nb.min(x) };
      const r = (fn === "torch.max" ? nb.maxDim : nb.minDim)(x, dim as number, keepdim);
      return { output: r.values, indices: r.indices };
    }
    default:
      throw new Error(`no runner for ${fn}`);
  }
}

const ours = new Set([
  "torch.nn.functional.softmax",
  "torch.nn.functional.log_softmax",
  "torch.logsumexp",
  "torch.var",
  "torch.std",
  "torch.cumsum",
  "torch.amax",
  "torch.amin",
  "torch.argmax",
  "torch.argmin",
  "torch.max",
  "torch.min",
]);

const file = join(conformanceDir(), "nn", "nn.json");
const cases: FunctionalCase[] = existsSync(file)
  ? (JSON.parse(readFileSync(file, "utf8")) as FunctionalCase[]).filter((c) => c.kind === "functional" && ours.has(c.torch_function ?? ""))
  : [];

function checkField(name: string, actual: nb.Tensor, expected: JsonTensor, tolerance: number): void {
  expect(actual.shape, `${name} shape`).toEqual(expected.shape);
  if (expected.dtype === "int64" || expected.dtype === "bool") {
    expect(actual.dtype, `${name} dtype`).toBe("int32");
    expect(Array.from(actual.data), name).toEqual(expected.values);
    return;
  }
  const err = relError(actual.data, expected.values);
  expect(err, `${name}: relative error ${err} > ${tolerance}`).toBeLessThanOrEqual(tolerance);
}

describe.skipIf(!existsSync(file))("nn.json reductions and softmax", () => {
  it("has the cases this file expects", () => {
    expect(cases.length).toBe(38);
  });

  for (const c of cases) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`${c.id} (${dtype})`, () => {
        const spec = c.inputs[0]!;
        const x = nb.tensor(spec.values, { dtype, shape: spec.shape, requiresGrad: true });
        const { output, indices } = call(c.torch_function!, x, c.arguments);
        const tol = (field: string) => (dtype === "float64" ? 1e-9 : (c.float32_rtol_fields?.[field] ?? c.float32_rtol));
        checkField("output", output, c.expected.output, tol("output"));
        if (c.expected.extra_outputs) checkField("indices", indices!, c.expected.extra_outputs.indices, 0);
        if (c.grad_output && c.expected.grads?.input) {
          output.backward(nb.tensor(c.grad_output.values, { dtype, shape: c.grad_output.shape }));
          checkField("grads.input", x.grad!, c.expected.grads.input, tol("grads.input"));
        }
      });
    }
  }
});
