import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { backward } from "../../src/autograd/index.js";
import * as nb from "../../src/tensor/index.js";
import { conformanceDir, relError } from "../conformance/cases.js";

/**
 * Cross-checks the elementwise ops and activations against the PyTorch
 * references in nn/nn.json ("functional" cases of these functions), in
 * float64 (1e-9) and float32 (the case's tolerance), forward and backward.
 * The general nn.json harness lives in test/conformance; this only maps the
 * cases of this module's functions to calls.
 */

interface JsonTensor {
  name?: string;
  shape: number[];
  values: (number | boolean)[];
  dtype?: "int64" | "bool";
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
  float32_rtol?: number;
  float32_rtol_fields?: Record<string, number>;
}

type Args = Record<string, nb.Tensor | undefined>;
type Call = (t: Args, a: Record<string, unknown>) => nb.Tensor;

const num = (v: unknown) => v as number;
/** An operand from `inputs` when it is a tensor there, else the scalar argument of that name. */
const operand = (t: Args, a: Record<string, unknown>, name: string): nb.TensorLike => t[name] ?? num(a[name]);
const bound = (t: Args, a: Record<string, unknown>, name: string): nb.TensorLike | null => t[name] ?? (a[name] as number | null);

const calls: Record<string, Call> = {
  "torch.nn.functional.relu": (t) => nb.relu(t.input!),
  "torch.nn.functional.leaky_relu": (t, a) => nb.leakyRelu(t.input!, num(a.negative_slope)),
  "torch.nn.functional.elu": (t, a) => nb.elu(t.input!, num(a.alpha)),
  "torch.nn.functional.gelu": (t, a) => nb.gelu(t.input!, a.approximate as "none" | "tanh"),
  "torch.nn.functional.silu": (t) => nb.silu(t.input!),
  "torch.nn.functional.mish": (t) => nb.mish(t.input!),
  "torch.nn.functional.softplus": (t, a) => nb.softplus(t.input!, num(a.beta), num(a.threshold)),
  "torch.nn.functional.hardtanh": (t, a) => nb.hardtanh(t.input!, num(a.min_val), num(a.max_val)),
  "torch.sigmoid": (t) => nb.sigmoid(t.input!),
  "torch.tanh": (t) => nb.tanh(t.input!),
  "torch.clamp": (t, a) => nb.clamp(t.input!, bound(t, a, "min"), bound(t, a, "max")),
  "torch.where": (t) => nb.where(t.condition!, t.input!, t.other!),
  "torch.maximum": (t) => nb.maximum(t.input!, t.other!),
  "torch.minimum": (t) => nb.minimum(t.input!, t.other!),
  "torch.div": (t, a) => nb.div(t.input!, operand(t, a, "other"), { roundingMode: a.rounding_mode as "trunc" | "floor" | null }),
  "torch.floor_divide": (t, a) => nb.floorDivide(t.input!, operand(t, a, "other")),
  "torch.remainder": (t, a) => nb.remainder(t.input!, operand(t, a, "other")),
  "torch.fmod": (t, a) => nb.fmod(t.input!, operand(t, a, "other")),
  "torch.pow": (t, a) => nb.pow(t.input!, operand(t, a, "exponent")),
};

function toTensor(spec: JsonTensor, dtype: "float64" | "float32"): nb.Tensor {
  const values = spec.values.map(Number);
  const isInt = spec.dtype === "int64" || spec.dtype === "bool";
  return nb.tensor(values, { dtype: isInt ? "int32" : dtype, shape: spec.shape });
}

const file = join(conformanceDir(), "nn", "nn.json");
const cases = existsSync(file)
  ? (JSON.parse(readFileSync(file, "utf8")) as NnCase[]).filter((c) => c.kind === "functional" && c.torch_function! in calls)
  : [];

describe.skipIf(cases.length === 0)("elementwise ops and activations match torch (nn.json)", () => {
  it("covers every functional case of these functions", () => {
    expect(cases.length).toBeGreaterThanOrEqual(55);
  });

  for (const dtype of ["float64", "float32"] as const) {
    it.each(cases.map((c) => [c.id, c] as const))(`%s (${dtype})`, (_id, c) => {
      const tolerance = (field: string) => (dtype === "float64" ? 1e-9 : (c.float32_rtol_fields?.[field] ?? c.float32_rtol ?? 1e-6));
      const tensors: Args = {};
      for (const spec of c.inputs) {
        const t = toTensor(spec, dtype);
        if (spec.requires_grad) t.requiresGrad = true;
        tensors[spec.name!] = t;
      }
      const out = calls[c.torch_function!]!(tensors, c.arguments);
      const expected = c.expected.output;
      expect(out.shape).toEqual(expected.shape);
      if (expected.dtype === "int64") {
        expect(out.dtype).toBe("int32");
        expect(Array.from(out.data)).toEqual(expected.values);
      } else {
        // Integer inputs divided truly give the default float32, whatever dtype the floats are tested in.
        const floating = c.inputs.some((spec) => spec.dtype === undefined);
        expect(out.dtype).toBe(floating ? dtype : "float32");
        const tol = floating ? tolerance("output") : (c.float32_rtol ?? 1e-6);
        expect(relError(out.data, expected.values as number[])).toBeLessThanOrEqual(tol);
      }
      const grads = c.expected.grads ?? {};
      if (c.grad_output === undefined || Object.keys(grads).length === 0) return;
      backward(out, toTensor(c.grad_output, dtype));
      for (const [name, g] of Object.entries(grads)) {
        const actual = tensors[name]!.grad;
        expect(actual, `gradient of ${name}`).not.toBeNull();
        expect(actual!.shape).toEqual(g.shape);
        expect(relError(actual!.data, g.values as number[]), `gradient of ${name}`).toBeLessThanOrEqual(tolerance(`grads.${name}`));
      }
    });
  }
});
