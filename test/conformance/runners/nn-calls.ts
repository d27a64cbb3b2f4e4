// How a torch call in an nn/ case becomes a nabla call. nabla's functions
// and layers have torch's names in camelCase (F.leaky_relu ->
// nb.nn.functional.leakyRelu, torch.scatter_add -> nb.scatterAdd,
// nn.BatchNorm2d -> nb.nn.BatchNorm2d); what differs is which arguments
// are positional. Each signature below lists nabla's parameters by their
// torch names: a name is a positional parameter, `{ options: [...] }` an
// options object whose keys are the camelCase of those names. Every input
// and argument of a case must land in some slot, so a case with an argument
// nabla does not take fails instead of being silently dropped.
import * as nb from "../../../src/index.js";
import { camel, type FloatDType } from "./nn-case.js";

type Slot = string | { readonly options: readonly string[] };
type Signature = readonly Slot[];

/** Positional and named parameters of nabla's layer constructors, by torch argument name. */
const MODULES: Record<string, Signature> = {
  Linear: ["in_features", "out_features", { options: ["bias"] }],
  Conv2d: ["in_channels", "out_channels", "kernel_size", { options: ["stride", "padding", "dilation", "groups", "bias", "padding_mode"] }],
  MaxPool2d: ["kernel_size", { options: ["stride", "padding", "dilation", "return_indices", "ceil_mode"] }],
  AvgPool2d: ["kernel_size", { options: ["stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"] }],
  AdaptiveAvgPool2d: ["output_size"],
  Flatten: ["start_dim", "end_dim"],
  Unflatten: ["dim", "unflattened_size"],
  Embedding: ["num_embeddings", "embedding_dim", { options: ["padding_idx", "max_norm", "norm_type", "scale_grad_by_freq", "sparse"] }],
  Dropout: ["p", { options: [] }],
  BatchNorm1d: ["num_features", { options: ["eps", "momentum", "affine", "track_running_stats"] }],
  BatchNorm2d: ["num_features", { options: ["eps", "momentum", "affine", "track_running_stats"] }],
  LayerNorm: ["normalized_shape", { options: ["eps", "elementwise_affine", "bias"] }],
  GroupNorm: ["num_groups", "num_channels", { options: ["eps", "affine"] }],
  // Activations as layers.
  ReLU: [],
  ReLU6: [],
  LeakyReLU: ["negative_slope"],
  ELU: ["alpha"],
  SELU: [],
  GELU: ["approximate"],
  SiLU: [],
  Mish: [],
  Tanh: [],
  Sigmoid: [],
  LogSigmoid: [],
  Softplus: ["beta", "threshold"],
  Hardtanh: ["min_val", "max_val"],
  Softmax: ["dim"],
  LogSoftmax: ["dim"],
  Identity: [],
};

const reduceDims = ["input", "dim", "keepdim"];
const pool2d = ["stride", "padding", "dilation", "ceil_mode"];

/** nabla's parameters of each torch function, by torch argument name. */
const FUNCTIONS: Record<string, Signature> = {
  // Activations (nb.nn.functional).
  "torch.nn.functional.relu": ["input"],
  "torch.nn.functional.relu6": ["input"],
  "torch.nn.functional.leaky_relu": ["input", "negative_slope"],
  "torch.nn.functional.elu": ["input", "alpha"],
  "torch.nn.functional.selu": ["input"],
  "torch.nn.functional.gelu": ["input", "approximate"],
  "torch.nn.functional.silu": ["input"],
  "torch.nn.functional.mish": ["input"],
  "torch.nn.functional.softplus": ["input", "beta", "threshold"],
  "torch.nn.functional.hardtanh": ["input", "min_val", "max_val"],
  "torch.nn.functional.sigmoid": ["input"],
  "torch.nn.functional.tanh": ["input"],
  "torch.nn.functional.logsigmoid": ["input"],
  "torch.nn.functional.softmax": ["input", "dim"],
  "torch.nn.functional.log_softmax": ["input", "dim"],
  // Layers as functions (nb.nn.functional).
  "torch.nn.functional.linear": ["input", "weight", "bias"],
  "torch.nn.functional.conv2d": ["input", "weight", "bias", { options: ["stride", "padding", "dilation", "groups"] }],
  "torch.nn.functional.max_pool2d": ["input", "kernel_size", { options: pool2d }],
  "torch.nn.functional.avg_pool2d": ["input", "kernel_size", { options: ["stride", "padding", "ceil_mode", "count_include_pad", "divisor_override"] }],
  "torch.nn.functional.adaptive_avg_pool2d": ["input", "output_size"],
  "torch.nn.functional.embedding": ["input", "weight", { options: ["padding_idx", "max_norm", "norm_type", "scale_grad_by_freq"] }],
  "torch.nn.functional.batch_norm": ["input", "running_mean", "running_var", { options: ["weight", "bias", "training", "momentum", "eps"] }],
  "torch.nn.functional.layer_norm": ["input", "normalized_shape", { options: ["weight", "bias", "eps"] }],
  "torch.nn.functional.group_norm": ["input", "num_groups", { options: ["weight", "bias", "eps"] }],
  "torch.nn.functional.pad": ["input", "pad", { options: ["mode", "value"] }],
  "torch.nn.functional.one_hot": ["tensor", "num_classes"],
  // Elementwise math (nb).
  ...Object.fromEntries(
    ["sigmoid", "tanh", "exp", "log", "log1p", "expm1", "sqrt", "rsqrt", "abs", "sign", "square", "reciprocal", "sin", "cos", "floor", "ceil", "round", "erf", "neg", "relu"].map(
      (f) => [`torch.${f}`, ["input"]],
    ),
  ),
  "torch.add": ["input", "other"],
  "torch.sub": ["input", "other"],
  "torch.mul": ["input", "other"],
  "torch.div": ["input", "other", { options: ["rounding_mode"] }],
  "torch.floor_divide": ["input", "other"],
  "torch.remainder": ["input", "other"],
  "torch.fmod": ["input", "other"],
  "torch.pow": ["input", "exponent"],
  "torch.maximum": ["input", "other"],
  "torch.minimum": ["input", "other"],
  "torch.clamp": ["input", "min", "max"],
  "torch.where": ["condition", "input", "other"],
  "torch.matmul": ["input", "other"],
  // Reductions (nb).
  "torch.sum": reduceDims,
  "torch.mean": reduceDims,
  "torch.prod": reduceDims,
  "torch.logsumexp": reduceDims,
  "torch.amax": reduceDims,
  "torch.amin": reduceDims,
  "torch.argmax": reduceDims,
  "torch.argmin": reduceDims,
  "torch.max": reduceDims,
  "torch.min": reduceDims,
  "torch.var": ["input", "dim", { options: ["unbiased", "correction", "keepdim"] }],
  "torch.std": ["input", "dim", { options: ["unbiased", "correction", "keepdim"] }],
  "torch.cumsum": ["input", "dim"],
  "torch.softmax": ["input", "dim"],
  "torch.log_softmax": ["input", "dim"],
  // Shapes and indexing (nb).
  "torch.flatten": ["input", "start_dim", "end_dim"],
  "torch.reshape": ["input", "shape"],
  "torch.transpose": ["input", "dim0", "dim1"],
  "torch.permute": ["input", "dims"],
  "torch.squeeze": ["input", "dim"],
  "torch.unsqueeze": ["input", "dim"],
  "torch.gather": ["input", "dim", "index"],
  "torch.scatter_add": ["input", "dim", "index", "src"],
  // Losses (nb.nn.functional); class weights are options.
  "torch.nn.functional.mse_loss": ["input", "target", { options: ["reduction"] }],
  "torch.nn.functional.l1_loss": ["input", "target", { options: ["reduction"] }],
  "torch.nn.functional.huber_loss": ["input", "target", { options: ["reduction", "delta"] }],
  "torch.nn.functional.smooth_l1_loss": ["input", "target", { options: ["reduction", "beta"] }],
  "torch.nn.functional.cross_entropy": ["input", "target", { options: ["weight", "ignore_index", "reduction", "label_smoothing"] }],
  "torch.nn.functional.nll_loss": ["input", "target", { options: ["weight", "ignore_index", "reduction"] }],
  "torch.nn.functional.binary_cross_entropy_with_logits": ["input", "target", { options: ["weight", "pos_weight", "reduction"] }],
  "torch.nn.functional.kl_div": ["input", "target", { options: ["reduction", "log_target"] }],
  // Initializers (nb.nn.init, in place; torch's trailing underscore dropped). "tensor" is the tensor filled.
  "torch.nn.init.calculate_gain": ["nonlinearity", "param"],
  "torch.nn.init.kaiming_uniform_": ["tensor", { options: ["a", "mode", "nonlinearity"] }],
  "torch.nn.init.kaiming_normal_": ["tensor", { options: ["a", "mode", "nonlinearity"] }],
  "torch.nn.init.xavier_uniform_": ["tensor", { options: ["gain"] }],
  "torch.nn.init.xavier_normal_": ["tensor", { options: ["gain"] }],
  "torch.nn.init.trunc_normal_": ["tensor", { options: ["mean", "std", "a", "b"] }],
  "torch.nn.init.orthogonal_": ["tensor", { options: ["gain"] }],
  "torch.nn.init.uniform_": ["tensor", "a", "b", { options: [] }],
  "torch.nn.init.normal_": ["tensor", "mean", "std", { options: [] }],
  "torch.nn.init.constant_": ["tensor", "val"],
  "torch.nn.init.zeros_": ["tensor"],
  "torch.nn.init.ones_": ["tensor"],
};

/**
 * Where torch's one function is several in nabla, chosen by an argument:
 * max/min with `dim` return (values, indices) (nabla's maxDim/minDim) and
 * with `other` are the elementwise maximum/minimum; max_pool2d with
 * return_indices is maxPool2dWithIndices. `drop` lists the arguments the
 * choice consumed.
 */
interface Variant {
  path: string;
  signature: Signature;
  drop: readonly string[];
}
const VARIANTS: Record<string, (args: ReadonlyMap<string, unknown>) => Variant | null> = {
  "torch.max": (a) => (a.has("other") ? { path: "maximum", signature: ["input", "other"], drop: [] } : a.has("dim") ? { path: "maxDim", signature: reduceDims, drop: [] } : null),
  "torch.min": (a) => (a.has("other") ? { path: "minimum", signature: ["input", "other"], drop: [] } : a.has("dim") ? { path: "minDim", signature: reduceDims, drop: [] } : null),
  "torch.nn.functional.max_pool2d": (a) =>
    a.get("return_indices") === true
      ? { path: "nn.functional.maxPool2dWithIndices", signature: FUNCTIONS["torch.nn.functional.max_pool2d"]!, drop: ["return_indices"] }
      : { path: "nn.functional.maxPool2d", signature: FUNCTIONS["torch.nn.functional.max_pool2d"]!, drop: ["return_indices"] },
};

/** nabla names that are not the plain camelCase of torch's. */
const RENAMED: Record<string, string> = {
  "torch.nn.functional.logsigmoid": "nn.functional.logSigmoid",
};

/**
 * torch arguments nabla has no parameter for, because it only has the
 * behaviour of this one value: accepted with it, an error with any other.
 */
const ONLY_VALUE: Record<string, unknown> = { inplace: false, sparse: false, min_value: null, max_value: null };

/**
 * Lays out `values` (torch name -> value) in the order of `signature`.
 * A name the signature does not have is an error; one the case does not
 * give is left undefined (nabla's default, as torch's). `extra` joins the
 * options object (a signature without one takes no extras).
 */
function bind(what: string, signature: Signature, values: ReadonlyMap<string, unknown>, extra: Record<string, unknown> = {}): unknown[] {
  const known = new Set(signature.flatMap((s) => (typeof s === "string" ? [s] : s.options)));
  for (const [k, v] of values) {
    if (!known.has(k) && k in ONLY_VALUE && v !== ONLY_VALUE[k]) throw new Error(`${what}: nabla supports only ${k}=${String(ONLY_VALUE[k])}, got ${String(v)}`);
  }
  const unknown = [...values.keys()].filter((k) => !known.has(k) && !(k in ONLY_VALUE));
  if (unknown.length > 0) throw new Error(`${what}: nabla's signature has no argument ${unknown.map((k) => `"${k}"`).join(", ")}`);
  const args = signature.map((slot) => {
    if (typeof slot === "string") return values.get(slot);
    const options: Record<string, unknown> = { ...extra };
    for (const name of slot.options) if (values.has(name)) options[camel(name)] = values.get(name);
    return options;
  });
  while (args.length > 0 && args[args.length - 1] === undefined) args.pop();
  return args;
}

type Callable = (...args: unknown[]) => unknown;

/** Looks up a dotted path ("nn.functional.leakyRelu") in the public `nb` namespace. */
function publicMember(path: string): unknown {
  let at: unknown = nb;
  for (const key of path.split(".")) {
    if ((typeof at !== "object" && typeof at !== "function") || at === null || !(key in at)) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

/**
 * nabla's name for a torch function: the camelCase of its last part (an
 * in-place initializer's trailing underscore dropped), under
 * nb.nn.functional / nb.nn.init for torch.nn.functional / torch.nn.init.
 */
function nablaPath(torchFunction: string): string {
  const renamed = RENAMED[torchFunction];
  if (renamed !== undefined) return renamed;
  const name = camel(torchFunction.split(".").pop()!.replace(/_$/, ""));
  if (torchFunction.startsWith("torch.nn.functional.")) return `nn.functional.${name}`;
  if (torchFunction.startsWith("torch.nn.init.")) return `nn.init.${name}`;
  return name;
}

/**
 * Calls nabla's version of `torchFunction` with the case's tensors and
 * arguments (by torch name); `extra` joins its options object (a generator).
 */
export function callFunction(torchFunction: string, values: ReadonlyMap<string, unknown>, extra?: Record<string, unknown>): unknown {
  const signature = FUNCTIONS[torchFunction];
  if (signature === undefined) throw new Error(`the nn runner does not know nabla's signature for ${torchFunction}`);
  const variant = VARIANTS[torchFunction]?.(values) ?? { path: nablaPath(torchFunction), signature, drop: [] };
  const fn = publicMember(variant.path);
  if (typeof fn !== "function") throw new Error(`${torchFunction}: nabla has no function nb.${variant.path}`);
  const used = new Map([...values].filter(([k]) => !variant.drop.includes(k)));
  return (fn as Callable)(...bind(torchFunction, variant.signature, used, extra));
}

/**
 * Constructs nabla's nb.nn[torchClass] from torch's constructor arguments,
 * with parameters of `dtype` drawn from `generator`.
 */
export function buildModule(torchClass: string, args: Record<string, unknown>, dtype: FloatDType, generator: nb.Generator): nb.nn.Module {
  const signature = MODULES[torchClass];
  if (signature === undefined) throw new Error(`the nn runner does not know nabla's constructor for ${torchClass}`);
  const Layer = publicMember(`nn.${torchClass}`);
  if (typeof Layer !== "function") throw new Error(`nabla has no layer nb.nn.${torchClass}`);
  const ctorArgs = bind(torchClass, signature, new Map(Object.entries(args)), { dtype, generator });
  const module: unknown = new (Layer as new (...a: unknown[]) => unknown)(...ctorArgs);
  if (!(module instanceof nb.nn.Module)) throw new Error(`nb.nn.${torchClass} is not a Module`);
  return module;
}
