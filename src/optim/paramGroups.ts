import type { Tensor } from "../tensor/tensor.js";

/** Anything with parameters: a model (nn.Module) or a list of tensors. */
export type ParameterSource = Iterable<Tensor> | { parameters(): Tensor[] };

function paramsOf(source: ParameterSource): Tensor[] {
  return "parameters" in source && typeof source.parameters === "function" ? source.parameters() : [...(source as Iterable<Tensor>)];
}

/**
 * True for parameters that weight decay should apply to: matrices and
 * kernels (2 or more dimensions). Biases and the scales and shifts of
 * normalization layers (1-D) are not decayed, the rule of BERT / nanoGPT /
 * timm's `param_groups_weight_decay`. Usable as a `maskedBy` mask.
 */
export function decayMask(source: ParameterSource): boolean[] {
  return paramsOf(source).map((p) => p.ndim >= 2);
}

/**
 * Two param groups for a PyTorch-style optimizer: the weights with
 * `weightDecay`, and biases / normalization parameters with 0 (see
 * `decayMask`). `new nb.optim.AdamW(weightDecayGroups(model, 0.01), { lr })`.
 */
export function weightDecayGroups(source: ParameterSource, weightDecay: number): { params: Tensor[]; weightDecay: number }[] {
  if (typeof weightDecay !== "number" || !(weightDecay >= 0)) {
    throw new RangeError(`weightDecayGroups: weightDecay must be a number >= 0, got ${String(weightDecay)}`);
  }
  const params = paramsOf(source);
  const mask = params.map((p) => p.ndim >= 2);
  return [
    { params: params.filter((_, i) => mask[i]), weightDecay },
    { params: params.filter((_, i) => !mask[i]), weightDecay: 0 },
  ].filter((g) => g.params.length > 0);
}
