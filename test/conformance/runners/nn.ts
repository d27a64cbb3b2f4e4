// Runs the nn/ conformance cases (conformance/nn/README.md) through nabla's
// public API: `module` cases construct nb.nn.<torch_class>, load the given
// parameters and buffers and call it on `input`; `functional` and `loss`
// cases call nabla's version of torch_function with every input and
// argument by name. Then output.backward(grad_output), and the output, the
// max/min indices, every gradient asked for and every buffer after the call
// are compared with the reference. init_stats cases are in nn-init.ts.
import * as nb from "../../../src/index.js";
import type { CaseResult, ConformanceCase, Runner } from "../cases.js";
import { buildModule, callFunction } from "./nn-calls.js";
import { FieldChecker, fromSpec, isIntegerSpec, type FloatDType, type NnCase } from "./nn-case.js";

export { runNnInitStats } from "./nn-init.js";

/** What a call returned: the output and, for max/min with dim and MaxPool2d(return_indices), the indices. */
interface CallResult {
  output: nb.Tensor;
  extras: Record<string, nb.Tensor>;
}

function splitResult(what: string, result: unknown): CallResult {
  if (result instanceof nb.Tensor) return { output: result, extras: {} };
  if (typeof result === "object" && result !== null) {
    const { values, indices } = result as { values?: unknown; indices?: unknown };
    if (values instanceof nb.Tensor && indices instanceof nb.Tensor) return { output: values, extras: { indices } };
  }
  throw new Error(`${what} returned neither a tensor nor {values, indices}`);
}

/** The case's input tensors by name, in the dtype under test; those with requires_grad track gradients. */
function inputTensors(c: NnCase, dtype: FloatDType): Map<string, nb.Tensor> {
  const out = new Map<string, nb.Tensor>();
  for (const spec of c.inputs ?? []) {
    if (spec.name === undefined || out.has(spec.name)) throw new Error(`input without a unique name in ${c.id}`);
    const t = fromSpec(spec, dtype);
    if (spec.requires_grad === true) {
      if (isIntegerSpec(spec)) throw new Error(`input "${spec.name}" is integer but asks for a gradient`);
      t.requiresGrad = true;
    }
    out.set(spec.name, t);
  }
  return out;
}

/**
 * The dtype a floating output must have: the dtype under test when any
 * floating tensor goes in; with only integer inputs (true division of int
 * tensors) it is nabla's default floating dtype, float32 (torch's default
 * dtype), whatever the run.
 */
function outputDtype(c: NnCase, dtype: FloatDType): FloatDType {
  const specs = [...(c.inputs ?? []), ...(c.parameters ?? []), ...(c.buffers ?? [])];
  return specs.some((s) => !isIntegerSpec(s)) ? dtype : "float32";
}

/** Compares output and extras, then backpropagates grad_output and compares the gradients of `leaves`. */
function compareCall(
  check: FieldChecker, c: NnCase, result: CallResult, leaves: ReadonlyMap<string, nb.Tensor>,
): void {
  const expected = c.expected;
  if (expected.output === undefined) throw new Error(`case ${c.id} has no expected output`);
  const known = c.kind === "module" ? ["output", "extra_outputs", "grads", "buffers"] : ["output", "extra_outputs", "grads"];
  const unknown = Object.keys(expected).filter((k) => !known.includes(k));
  if (unknown.length > 0) throw new Error(`case ${c.id}: expected.${unknown.join(", expected.")} is not compared by the runner`);
  check.tensor("output", result.output, expected.output, outputDtype(c, check.dtype));
  for (const [name, spec] of Object.entries(expected.extra_outputs ?? {})) {
    const got = result.extras[name];
    if (got === undefined) throw new Error(`extra_outputs.${name}: nabla returned no ${name}`);
    check.tensor(`extra_outputs.${name}`, got, spec);
  }
  const grads = Object.entries(expected.grads ?? {});
  if (c.grad_output === undefined) {
    if (grads.length > 0) throw new Error(`case ${c.id} expects gradients but gives no grad_output`);
    return;
  }
  result.output.backward(fromSpec(c.grad_output, check.dtype));
  for (const [name, spec] of grads) {
    const leaf = leaves.get(name);
    if (leaf === undefined) throw new Error(`grads.${name}: no input or parameter "${name}" takes a gradient`);
    check.tensor(`grads.${name}`, leaf.grad, spec, leaf.dtype as FloatDType);
  }
}

/** A case's float32 run also gives its parameters and buffers as float32; integer buffers stay int32. */
function stateDict(c: NnCase, dtype: FloatDType): Record<string, nb.Tensor> {
  const state: Record<string, nb.Tensor> = {};
  for (const spec of [...(c.parameters ?? []), ...(c.buffers ?? [])]) {
    if (spec.name === undefined || spec.name in state) throw new Error(`parameter or buffer without a unique name in ${c.id}`);
    state[spec.name] = fromSpec(spec, dtype);
  }
  return state;
}

/** `module`: nb.nn.<torch_class>(arguments), given parameters and buffers (strictly: names must match), in `mode`, on `input`. */
export const runNnModule: Runner = (cc: ConformanceCase, dtype): CaseResult => {
  const c = cc as NnCase;
  if (c.kind !== "module" || c.torch_class === undefined) throw new Error(`nn module runner got a ${c.kind} case without torch_class`);
  const module = buildModule(c.torch_class, c.arguments ?? {}, dtype, new nb.Generator(0));
  module.loadStateDict(stateDict(c, dtype));
  if (c.mode === "eval") module.eval();
  else if (c.mode === "train") module.train();
  else throw new Error(`case ${c.id}: mode must be "train" or "eval", got ${String(c.mode)}`);
  const inputs = inputTensors(c, dtype);
  const input = inputs.get("input");
  if (input === undefined || inputs.size !== 1) throw new Error(`module case ${c.id} must have exactly one input, named "input"`);
  const forward = (module as unknown as { forward(x: nb.Tensor): unknown }).forward.bind(module);
  const result = splitResult(`nb.nn.${c.torch_class}.forward`, forward(input));
  const check = new FieldChecker(c, dtype);
  const leaves = new Map(module.namedParameters());
  if (leaves.has("input")) throw new Error(`${c.torch_class} has a parameter named "input"`);
  if (input.requiresGrad) leaves.set("input", input);
  compareCall(check, c, result, leaves);
  const buffers = new Map(module.namedBuffers());
  const expectedBuffers = Object.entries(c.expected.buffers ?? {});
  for (const [name, spec] of expectedBuffers) check.tensor(`buffers.${name}`, buffers.get(name), spec);
  if (expectedBuffers.length !== buffers.size) {
    throw new Error(`buffers: nabla's ${c.torch_class} has [${[...buffers.keys()].join(", ")}], the reference [${expectedBuffers.map(([n]) => n).join(", ")}]`);
  }
  return check.result();
};

/** `functional` and `loss`: torch_function(**inputs, **arguments) through nabla. */
export const runNnFunction: Runner = (cc: ConformanceCase, dtype): CaseResult => {
  const c = cc as NnCase;
  if ((c.kind !== "functional" && c.kind !== "loss") || c.torch_function === undefined) {
    throw new Error(`nn function runner got a ${c.kind} case without torch_function`);
  }
  const inputs = inputTensors(c, dtype);
  const values = new Map<string, unknown>(inputs);
  for (const [name, value] of Object.entries(c.arguments ?? {})) {
    if (values.has(name)) throw new Error(`case ${c.id}: "${name}" is both an input and an argument`);
    values.set(name, value);
  }
  const result = splitResult(c.torch_function, callFunction(c.torch_function, values));
  const check = new FieldChecker(c, dtype);
  const leaves = new Map([...inputs].filter(([, t]) => t.requiresGrad));
  compareCall(check, c, result, leaves);
  return check.result();
};
