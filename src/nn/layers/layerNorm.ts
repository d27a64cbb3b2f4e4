import { type DType } from "../../tensor/dtype.js";
import { full, zeros } from "../../tensor/creation.js";
import { Tensor } from "../../tensor/tensor.js";
import { groupNorm, layerNorm } from "../functional/normalization.js";
import { Module } from "../module.js";
import { checkInt, checkRange, paramDType } from "./checks.js";

export interface LayerNormLayerOptions {
  eps?: number;
  /** Learn weight (and bias) of shape normalizedShape (default true). */
  elementwiseAffine?: boolean;
  /** With elementwiseAffine, also learn the bias (default true). */
  bias?: boolean;
  dtype?: DType;
}

/**
 * Layer normalization over the trailing `normalizedShape` dimensions
 * (torch.nn.LayerNorm); weight starts at 1 and bias at 0.
 */
export class LayerNorm extends Module {
  readonly normalizedShape: readonly number[];
  readonly eps: number;
  readonly elementwiseAffine: boolean;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(normalizedShape: number | readonly number[], options: LayerNormLayerOptions = {}) {
    super();
    const shape = typeof normalizedShape === "number" ? [normalizedShape] : [...normalizedShape];
    if (shape.length === 0) throw new RangeError("LayerNorm: normalizedShape must have at least one dimension");
    shape.forEach((d, i) => checkInt(d, `normalizedShape[${i}]`, "LayerNorm"));
    this.normalizedShape = shape;
    this.eps = checkRange(options.eps ?? 1e-5, "eps", "LayerNorm", 0, Infinity);
    this.elementwiseAffine = options.elementwiseAffine ?? true;
    const dtype = paramDType(options.dtype, "LayerNorm");
    this.weight = this.registerParameter("weight", this.elementwiseAffine ? full(shape, 1, { dtype }) : null);
    this.bias = this.registerParameter("bias", this.elementwiseAffine && options.bias !== false ? zeros(shape, { dtype }) : null);
  }

  override forward(x: Tensor): Tensor {
    return layerNorm(x, this.normalizedShape, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `[${this.normalizedShape.join(",")}], eps=${this.eps}, elementwiseAffine=${this.elementwiseAffine}`;
  }
}

export interface GroupNormLayerOptions {
  eps?: number;
  /** Learn a per-channel weight and bias (default true). */
  affine?: boolean;
  dtype?: DType;
}

/**
 * Group normalization (torch.nn.GroupNorm): the channels of (N, C, ...) input
 * in `numGroups` contiguous groups, each normalised per sample; per-channel
 * weight 1 and bias 0 to start.
 */
export class GroupNorm extends Module {
  readonly numGroups: number;
  readonly numChannels: number;
  readonly eps: number;
  readonly affine: boolean;
  weight: Tensor | null;
  bias: Tensor | null;

  constructor(numGroups: number, numChannels: number, options: GroupNormLayerOptions = {}) {
    super();
    this.numGroups = checkInt(numGroups, "numGroups", "GroupNorm");
    this.numChannels = checkInt(numChannels, "numChannels", "GroupNorm");
    if (numChannels % numGroups !== 0) throw new Error(`GroupNorm: numChannels (${numChannels}) must be divisible by numGroups (${numGroups})`);
    this.eps = checkRange(options.eps ?? 1e-5, "eps", "GroupNorm", 0, Infinity);
    this.affine = options.affine ?? true;
    const dtype = paramDType(options.dtype, "GroupNorm");
    this.weight = this.registerParameter("weight", this.affine ? full([numChannels], 1, { dtype }) : null);
    this.bias = this.registerParameter("bias", this.affine ? zeros([numChannels], { dtype }) : null);
  }

  override forward(x: Tensor): Tensor {
    if (x.ndim < 2 || x.shape[1] !== this.numChannels) {
      throw new Error(`GroupNorm: expected input (N, ${this.numChannels}, ...), got shape [${x.shape.join(",")}]`);
    }
    return groupNorm(x, this.numGroups, { weight: this.weight, bias: this.bias, eps: this.eps });
  }

  override extraRepr(): string {
    return `${this.numGroups}, ${this.numChannels}, eps=${this.eps}, affine=${this.affine}`;
  }
}
