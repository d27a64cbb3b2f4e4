import { readFileSync } from "node:fs";
import { join } from "node:path";
import * as nb from "../../src/index.js";
import { conformanceDir } from "../conformance/cases.js";

/** A tensor as stored in nn.json: values flat, row-major; int64 and bool are given as integers. */
export interface TensorSpec {
  name?: string;
  shape: number[];
  values: (number | boolean)[];
  dtype?: string;
  requires_grad?: boolean;
}

/** One case of shared/conformance/nn/nn.json (only the fields these tests read). */
export interface NnCase {
  id: string;
  kind: string;
  torch_class?: string;
  torch_function?: string;
  arguments: Record<string, unknown>;
  shape?: number[];
  mode?: "train" | "eval";
  inputs?: TensorSpec[];
  parameters?: TensorSpec[];
  buffers?: TensorSpec[];
  grad_output?: TensorSpec;
  expected: Record<string, unknown> & {
    output?: TensorSpec;
    grads?: Record<string, TensorSpec>;
    buffers?: Record<string, TensorSpec>;
    extra_outputs?: Record<string, TensorSpec>;
  };
  float32_rtol?: number;
  float32_rtol_fields?: Record<string, number>;
}

let cache: NnCase[] | null = null;

/** Every case of nn.json. */
export function nnCases(): NnCase[] {
  cache ??= JSON.parse(readFileSync(join(conformanceDir(), "nn", "nn.json"), "utf8")) as NnCase[];
  return cache;
}

export function nnCase(id: string): NnCase {
  const c = nnCases().find((x) => x.id === id);
  if (c === undefined) throw new Error(`nn.json has no case ${id}`);
  return c;
}

/** The cases of one kind for one torch class or function. */
export function casesFor(kind: string, name: string): NnCase[] {
  return nnCases().filter((c) => c.kind === kind && (c.torch_class === name || c.torch_function === name));
}

/** A spec as a tensor: floating values in `dtype`, integers as int32. */
export function fromSpec(spec: TensorSpec, dtype: "float32" | "float64"): nb.Tensor {
  const isInt = spec.dtype === "int64" || spec.dtype === "bool";
  return nb.tensor(
    spec.values.map((v) => Number(v)),
    { dtype: isInt ? "int32" : dtype, shape: spec.shape },
  );
}

/** Norm-wise relative error max|a - e| / max|e| (absolute when e is all zero), Infinity on a shape mismatch. */
export function relError(actual: nb.Tensor, expected: TensorSpec): number {
  if (actual.shape.join(",") !== expected.shape.join(",")) return Infinity;
  let diff = 0;
  let scale = 0;
  expected.values.forEach((e, i) => {
    const d = Math.abs(actual.data[i]! - Number(e));
    diff = Math.max(diff, Number.isNaN(d) ? Infinity : d);
    scale = Math.max(scale, Math.abs(Number(e)));
  });
  return scale === 0 ? diff : diff / scale;
}

/** camelCase of a torch argument name: count_include_pad -> countIncludePad. */
export function camel(name: string): string {
  return name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** The case's arguments with camelCase names, dropping the listed ones. */
export function camelArguments(args: Record<string, unknown>, drop: readonly string[] = []): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(args)) if (!drop.includes(k)) out[camel(k)] = v;
  return out;
}

/** Fields compared by a run, each with its relative error. */
export type FieldErrors = Record<string, number>;

/**
 * Runs a `module` case: loads the case's parameters and buffers through
 * loadStateDict (their names are torch's), sets the mode, calls the module
 * on the input, backpropagates grad_output and compares every field.
 */
export function runModuleCase(c: NnCase, module: nb.nn.Module, dtype: "float32" | "float64"): FieldErrors {
  const state: Record<string, nb.Tensor> = {};
  for (const p of [...(c.parameters ?? []), ...(c.buffers ?? [])]) state[p.name!] = fromSpec(p, dtype);
  module.loadStateDict(state);
  if (c.mode === "eval") module.eval();
  else module.train();
  const inputSpec = c.inputs!.find((i) => i.name === "input")!;
  const input = fromSpec(inputSpec, dtype);
  if (inputSpec.requires_grad) input.requiresGrad = true;
  const result = (module as unknown as { forward(x: nb.Tensor): nb.Tensor | { values: nb.Tensor; indices: nb.Tensor } }).forward(input);
  const output = result instanceof nb.Tensor ? result : result.values;
  const errors: FieldErrors = { output: relError(output, c.expected.output!) };
  if (!(result instanceof nb.Tensor) && c.expected.extra_outputs?.indices) {
    errors["extra_outputs.indices"] = relError(result.indices, c.expected.extra_outputs.indices);
  }
  if (c.grad_output !== undefined && output.requiresGrad) {
    output.backward(fromSpec(c.grad_output, dtype));
    const params = new Map(module.namedParameters());
    for (const [name, spec] of Object.entries(c.expected.grads ?? {})) {
      const t = name === "input" ? input : params.get(name);
      errors[`grads.${name}`] = t?.grad ? relError(t.grad, spec) : Infinity;
    }
  }
  const buffers = new Map(module.namedBuffers());
  for (const [name, spec] of Object.entries(c.expected.buffers ?? {})) {
    const t = buffers.get(name);
    errors[`buffers.${name}`] = t === undefined ? Infinity : relError(t, spec);
  }
  return errors;
}

/** The tolerance of one field: 1e-9 in float64, the case's float32 tolerance otherwise. */
export function tolerance(c: NnCase, field: string, dtype: "float32" | "float64"): number {
  if (field.includes("indices") || field.includes("num_batches")) return 0;
  if (dtype === "float64") return 1e-9;
  return c.float32_rtol_fields?.[field] ?? c.float32_rtol ?? 1e-6;
}

/** Asserts every field of a run within its tolerance, naming the first that is not. */
export function expectWithin(c: NnCase, errors: FieldErrors, dtype: "float32" | "float64"): void {
  const bad = Object.entries(errors).filter(([f, e]) => !(e <= tolerance(c, f, dtype)));
  if (bad.length > 0) {
    throw new Error(`${c.id} (${dtype}): ${bad.map(([f, e]) => `${f} rel error ${e} > ${tolerance(c, f, dtype)}`).join("; ")}`);
  }
}

type Args = Record<string, unknown>;
const asPair = (v: unknown): nb.IntPair => v as nb.IntPair;

/** The nabla module for a `module` (or layer `init_stats`) case, built from torch's constructor arguments. */
export function buildModule(c: NnCase, dtype: "float32" | "float64"): nb.nn.Module {
  const a = c.arguments as Args;
  const nn = nb.nn;
  switch (c.torch_class) {
    case "Linear":
      return new nn.Linear(a.in_features as number, a.out_features as number, { bias: a.bias as boolean, dtype });
    case "Conv2d":
      return new nn.Conv2d(a.in_channels as number, a.out_channels as number, asPair(a.kernel_size), {
        stride: asPair(a.stride),
        padding: a.padding as nb.IntPair | "same" | "valid",
        dilation: asPair(a.dilation),
        groups: a.groups as number,
        bias: a.bias as boolean,
        paddingMode: a.padding_mode as nb.nn.PaddingMode,
        dtype,
      });
    case "MaxPool2d":
      return new nn.MaxPool2d(asPair(a.kernel_size), {
        stride: a.stride as nb.IntPair | null,
        padding: asPair(a.padding),
        dilation: asPair(a.dilation),
        returnIndices: a.return_indices as boolean,
        ceilMode: a.ceil_mode as boolean,
      });
    case "AvgPool2d":
      return new nn.AvgPool2d(asPair(a.kernel_size), camelArguments(a, ["kernel_size"]) as nb.nn.AvgPool2dLayerOptions);
    case "AdaptiveAvgPool2d":
      return new nn.AdaptiveAvgPool2d(a.output_size as number | [number | null, number | null]);
    case "Flatten":
      return new nn.Flatten(a.start_dim as number, a.end_dim as number);
    case "Embedding":
      return new nn.Embedding(a.num_embeddings as number, a.embedding_dim as number, {
        paddingIdx: a.padding_idx as number | null,
        maxNorm: a.max_norm as number | null,
        normType: a.norm_type as number,
        scaleGradByFreq: a.scale_grad_by_freq as boolean,
        sparse: a.sparse as boolean,
        dtype,
      });
    case "BatchNorm1d":
    case "BatchNorm2d": {
      const Layer = c.torch_class === "BatchNorm1d" ? nn.BatchNorm1d : nn.BatchNorm2d;
      return new Layer(a.num_features as number, {
        eps: a.eps as number,
        momentum: a.momentum as number | null,
        affine: a.affine as boolean,
        trackRunningStats: a.track_running_stats as boolean,
        dtype,
      });
    }
    case "LayerNorm":
      return new nn.LayerNorm(a.normalized_shape as number[], { eps: a.eps as number, elementwiseAffine: a.elementwise_affine as boolean, dtype });
    case "GroupNorm":
      return new nn.GroupNorm(a.num_groups as number, a.num_channels as number, { eps: a.eps as number, affine: a.affine as boolean, dtype });
    default:
      throw new Error(`no builder for ${c.torch_class}`);
  }
}

type LossFn = (input: nb.Tensor, target: nb.Tensor, options: object) => nb.Tensor;

/** The nabla loss function behind a `loss` case's torch function. */
export function lossFunction(c: NnCase): LossFn {
  const F = nb.nn.functional;
  const fns: Record<string, LossFn> = {
    mse_loss: F.mseLoss,
    l1_loss: F.l1Loss,
    huber_loss: F.huberLoss,
    smooth_l1_loss: F.smoothL1Loss,
    cross_entropy: F.crossEntropy,
    nll_loss: F.nllLoss,
    binary_cross_entropy_with_logits: F.binaryCrossEntropyWithLogits,
    kl_div: F.klDiv,
  };
  const fn = fns[c.torch_function!.split(".").pop()!];
  if (fn === undefined) throw new Error(`no loss function for ${c.torch_function}`);
  return fn;
}

/**
 * Runs a `loss` case: builds the tensor inputs by name (weight and
 * pos_weight become options), calls the loss with the camelCase arguments,
 * backpropagates grad_output and compares the output and every gradient asked for.
 */
export function runLossCase(c: NnCase, dtype: "float32" | "float64"): FieldErrors {
  const inputs = new Map<string, nb.Tensor>();
  for (const spec of c.inputs!) {
    const t = fromSpec(spec, dtype);
    if (spec.requires_grad) t.requiresGrad = true;
    inputs.set(spec.name!, t);
  }
  const options = { ...camelArguments(c.arguments), weight: inputs.get("weight"), posWeight: inputs.get("pos_weight") };
  const output = lossFunction(c)(inputs.get("input")!, inputs.get("target")!, options);
  const errors: FieldErrors = { output: relError(output, c.expected.output!) };
  output.backward(fromSpec(c.grad_output!, dtype));
  for (const [name, spec] of Object.entries(c.expected.grads ?? {})) {
    const g = inputs.get(name)?.grad;
    errors[`grads.${name}`] = g ? relError(g, spec) : Infinity;
  }
  return errors;
}
