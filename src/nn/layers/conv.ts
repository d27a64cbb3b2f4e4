import { type DType } from "../../tensor/dtype.js";
import { conv2d, type IntPair, pad } from "../../tensor/index.js";
import { type Generator } from "../../tensor/random.js";
import { emptyTensor, Tensor } from "../../tensor/tensor.js";
import { uniform } from "../init/basic.js";
import { kaimingUniform } from "../init/kaiming.js";
import { Module } from "../module.js";
import { checkInt, paramDType } from "./checks.js";

export type PaddingMode = "zeros" | "reflect" | "replicate" | "circular";

export interface Conv2dLayerOptions {
  stride?: IntPair;
  /** Zero-padding on both sides, or "valid" (none) or "same" (output size = input size; stride 1 only). */
  padding?: IntPair | "same" | "valid";
  dilation?: IntPair;
  groups?: number;
  bias?: boolean;
  /** How the border is padded: zeros (default), or like F.pad's reflect / replicate / circular. */
  paddingMode?: PaddingMode;
  dtype?: DType;
  generator?: Generator;
}

function pair(value: IntPair, name: string, min: number): [number, number] {
  const p: [number, number] = typeof value === "number" ? [value, value] : [value[0], value[1]];
  if (p.length !== 2 || p.some((v) => !Number.isInteger(v) || v < min)) {
    throw new RangeError(`Conv2d: ${name} must be an integer >= ${min} or a pair of them, got ${JSON.stringify(value)}`);
  }
  return p;
}

/**
 * 2-D convolution (cross-correlation) over NCHW input (torch.nn.Conv2d);
 * weight [out, in/groups, kh, kw]. A non-zeros `paddingMode` pads the input
 * with F.pad's mode and then convolves without padding. Initialized as
 * torch: weight ~ kaimingUniform(a = sqrt(5)) = U(-1/sqrt(fanIn), 1/sqrt(fanIn))
 * with fanIn = in/groups * kh * kw, bias from the same range.
 */
export class Conv2d extends Module {
  readonly inChannels: number;
  readonly outChannels: number;
  readonly kernelSize: [number, number];
  readonly stride: [number, number];
  readonly padding: [number, number] | "same" | "valid";
  readonly dilation: [number, number];
  readonly groups: number;
  readonly paddingMode: PaddingMode;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inChannels: number, outChannels: number, kernelSize: IntPair, options: Conv2dLayerOptions = {}) {
    super();
    this.inChannels = checkInt(inChannels, "inChannels", "Conv2d");
    this.outChannels = checkInt(outChannels, "outChannels", "Conv2d");
    this.kernelSize = pair(kernelSize, "kernelSize", 1);
    this.stride = pair(options.stride ?? 1, "stride", 1);
    this.dilation = pair(options.dilation ?? 1, "dilation", 1);
    const padding = options.padding ?? 0;
    this.padding = padding === "same" || padding === "valid" ? padding : pair(padding, "padding", 0);
    this.groups = checkInt(options.groups ?? 1, "groups", "Conv2d");
    if (inChannels % this.groups !== 0 || outChannels % this.groups !== 0) {
      throw new Error(`Conv2d: inChannels (${inChannels}) and outChannels (${outChannels}) must be divisible by groups (${this.groups})`);
    }
    if (this.padding === "same" && (this.stride[0] !== 1 || this.stride[1] !== 1)) {
      throw new Error(`Conv2d: padding "same" is not supported for strided convolutions (stride [${this.stride.join(",")}])`);
    }
    this.paddingMode = options.paddingMode ?? "zeros";
    if (!["zeros", "reflect", "replicate", "circular"].includes(this.paddingMode)) {
      throw new Error(`Conv2d: paddingMode must be "zeros", "reflect", "replicate" or "circular", got ${JSON.stringify(this.paddingMode)}`);
    }
    const dtype = paramDType(options.dtype, "Conv2d");
    const [kh, kw] = this.kernelSize;
    this.weight = this.registerParameter("weight", emptyTensor([outChannels, inChannels / this.groups, kh, kw], dtype));
    this.bias = this.registerParameter("bias", options.bias === false ? null : emptyTensor([outChannels], dtype));
    this.resetParameters(options.generator);
  }

  resetParameters(generator?: Generator): void {
    kaimingUniform(this.weight, { a: Math.sqrt(5), generator });
    const fanIn = (this.inChannels / this.groups) * this.kernelSize[0] * this.kernelSize[1];
    const bound = 1 / Math.sqrt(fanIn);
    if (this.bias !== null) uniform(this.bias, -bound, bound, { generator });
  }

  /** F.pad's list [left, right, top, bottom] for the explicit padding modes. */
  #padList(): [number, number, number, number] {
    if (this.padding === "valid") return [0, 0, 0, 0];
    if (this.padding === "same") {
      const total = [0, 1].map((i) => this.dilation[i]! * (this.kernelSize[i]! - 1));
      const [th, tw] = total as [number, number];
      return [Math.floor(tw / 2), tw - Math.floor(tw / 2), Math.floor(th / 2), th - Math.floor(th / 2)];
    }
    const [ph, pw] = this.padding;
    return [pw, pw, ph, ph];
  }

  override forward(x: Tensor): Tensor {
    const options = { stride: this.stride, dilation: this.dilation, groups: this.groups };
    if (this.paddingMode === "zeros") return conv2d(x, this.weight, this.bias, { ...options, padding: this.padding });
    const padded = pad(x, this.#padList(), { mode: this.paddingMode });
    return conv2d(padded, this.weight, this.bias, { ...options, padding: 0 });
  }

  override extraRepr(): string {
    const pad = typeof this.padding === "string" ? `"${this.padding}"` : `[${this.padding.join(",")}]`;
    return (
      `${this.inChannels}, ${this.outChannels}, kernelSize=[${this.kernelSize.join(",")}], stride=[${this.stride.join(",")}], ` +
      `padding=${pad}, dilation=[${this.dilation.join(",")}], groups=${this.groups}, bias=${this.bias !== null}, paddingMode=${this.paddingMode}`
    );
  }
}
