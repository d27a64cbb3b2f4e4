import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/tensor/index.js";
import "../../src/autograd/index.js";

/**
 * The torch.gather, torch.scatter_add and F.pad cases of nn.json, run
 * through nabla's ops in float64 and float32 with the tolerances the
 * conformance README gives. (The full nn.json harness lives elsewhere;
 * this only cross-checks the ops of this folder.)
 */

interface JsonTensor {
  name?: string;
  shape: number[];
  values: number[];
  dtype?: string;
  requires_grad?: boolean;
}

interface NnCase {
  id: string;
  kind: string;
  torch_function?: string;
  arguments: Record<string, unknown>;
  inputs: JsonTensor[];
  grad_output?: JsonTensor;
  expected: { output: JsonTensor; grads?: Record<string, JsonTensor> };
  float32_rtol: number;
  float32_rtol_fields?: Record<string, number>;
}

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const file = join(resolve(process.env.NABLA_CONFORMANCE_DIR ?? join(root, "../shared/conformance")), "nn", "nn.json");
const functions = ["torch.gather", "torch.scatter_add", "torch.nn.functional.pad"];
const cases: NnCase[] = existsSync(file)
  ? (JSON.parse(readFileSync(file, "utf8")) as NnCase[]).filter((c) => c.kind === "functional" && functions.includes(c.torch_function ?? ""))
  : [];

function relError(actual: ArrayLike<number>, expected: readonly number[]): number {
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < expected.length; i++) {
    diff = Math.max(diff, Math.abs(actual[i]! - expected[i]!));
    scale = Math.max(scale, Math.abs(expected[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

function run(c: NnCase, dtype: "float64" | "float32"): { output: nb.Tensor; inputs: Map<string, nb.Tensor> } {
  const inputs = new Map<string, nb.Tensor>();
  for (const t of c.inputs) {
    const isInt = t.dtype === "int64";
    const x = nb.tensor(t.values, { dtype: isInt ? "int32" : dtype, shape: t.shape });
    if (t.requires_grad) x.requiresGrad_();
    inputs.set(t.name!, x);
  }
  const arg = (name: string) => inputs.get(name)!;
  const dim = c.arguments.dim as number;
  let output: nb.Tensor;
  switch (c.torch_function) {
    case "torch.gather":
      output = nb.gather(arg("input"), dim, arg("index"));
      break;
    case "torch.scatter_add":
      output = nb.scatterAdd(arg("input"), dim, arg("index"), arg("src"));
      break;
    default:
      output = nb.pad(arg("input"), c.arguments.pad as number[], {
        mode: c.arguments.mode as nb.PadMode,
        value: c.arguments.value as number | null,
      });
  }
  if (c.grad_output) output.backward(nb.tensor(c.grad_output.values, { dtype, shape: c.grad_output.shape }));
  return { output, inputs };
}

describe("nn.json cases for gather, scatter_add and pad", () => {
  it("finds the cases", () => {
    expect(existsSync(file)).toBe(true);
    expect(cases.length).toBeGreaterThanOrEqual(10);
  });

  for (const c of cases) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`${c.id} (${dtype})`, () => {
        const tol = (field: string) => (dtype === "float64" ? 1e-9 : (c.float32_rtol_fields?.[field] ?? c.float32_rtol));
        const { output, inputs } = run(c, dtype);
        expect(output.shape).toEqual(c.expected.output.shape);
        expect(relError(output.data, c.expected.output.values)).toBeLessThanOrEqual(tol("output"));
        for (const [name, g] of Object.entries(c.expected.grads ?? {})) {
          const actual = inputs.get(name)!.grad!;
          expect(actual.shape, `grads.${name}`).toEqual(g.shape);
          expect(relError(actual.data, g.values), `grads.${name}`).toBeLessThanOrEqual(tol(`grads.${name}`));
        }
      });
    }
  }
});
