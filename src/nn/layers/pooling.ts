import { adaptiveAvgPool2d, avgPool2d, type IntPair, maxPool2d, maxPool2dWithIndices } from "../../tensor/index.js";
import { Tensor } from "../../tensor/tensor.js";
import { Module } from "../module.js";

function show(v: IntPair | null | undefined): string {
  return v === null || v === undefined ? "null" : typeof v === "number" ? String(v) : `[${v.join(",")}]`;
}

export interface MaxPool2dLayerOptions<R extends boolean = false> {
  /** Step between windows (default: kernelSize). */
  stride?: IntPair | null;
  /** Implicit -Infinity padding on both sides, at most half the kernel. */
  padding?: IntPair;
  dilation?: IntPair;
  /** Also return the flat index h*W + w of each maximum within its input plane. */
  returnIndices?: R;
  /** Round the output size up, keeping a last partial window. */
  ceilMode?: boolean;
}

/** What MaxPool2d returns: the pooled values, or values and indices with `returnIndices: true`. */
export type MaxPool2dResult<R extends boolean> = R extends true ? { values: Tensor; indices: Tensor } : Tensor;

/**
 * 2-D max pooling (torch.nn.MaxPool2d): each window's maximum, the first in
 * row-major order among ties (only it gets the gradient).
 */
export class MaxPool2d<R extends boolean = false> extends Module {
  readonly kernelSize: IntPair;
  readonly stride: IntPair | null;
  readonly padding: IntPair;
  readonly dilation: IntPair;
  readonly returnIndices: R;
  readonly ceilMode: boolean;

  constructor(kernelSize: IntPair, options: MaxPool2dLayerOptions<R> = {}) {
    super();
    this.kernelSize = kernelSize;
    this.stride = options.stride ?? null;
    this.padding = options.padding ?? 0;
    this.dilation = options.dilation ?? 1;
    this.returnIndices = (options.returnIndices ?? false) as R;
    this.ceilMode = options.ceilMode ?? false;
  }

  override forward(x: Tensor): MaxPool2dResult<R> {
    const options = { stride: this.stride, padding: this.padding, dilation: this.dilation, ceilMode: this.ceilMode };
    if (this.returnIndices) return maxPool2dWithIndices(x, this.kernelSize, options) as MaxPool2dResult<R>;
    return maxPool2d(x, this.kernelSize, options) as MaxPool2dResult<R>;
  }

  override extraRepr(): string {
    return `kernelSize=${show(this.kernelSize)}, stride=${show(this.stride)}, padding=${show(this.padding)}, dilation=${show(this.dilation)}, ceilMode=${this.ceilMode}`;
  }
}

export interface AvgPool2dLayerOptions {
  /** Step between windows (default: kernelSize). */
  stride?: IntPair | null;
  padding?: IntPair;
  ceilMode?: boolean;
  /** Count the zero padding in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window by this instead. */
  divisorOverride?: number | null;
}

/** 2-D average pooling (torch.nn.AvgPool2d); divisors as in the nn README. */
export class AvgPool2d extends Module {
  readonly kernelSize: IntPair;
  readonly options: Readonly<AvgPool2dLayerOptions>;

  constructor(kernelSize: IntPair, options: AvgPool2dLayerOptions = {}) {
    super();
    this.kernelSize = kernelSize;
    this.options = { ...options };
  }

  override forward(x: Tensor): Tensor {
    return avgPool2d(x, this.kernelSize, this.options);
  }

  override extraRepr(): string {
    const o = this.options;
    return `kernelSize=${show(this.kernelSize)}, stride=${show(o.stride)}, padding=${show(o.padding ?? 0)}`;
  }
}

/**
 * Adaptive average pooling to a fixed output size (torch.nn.AdaptiveAvgPool2d):
 * output cell i averages input rows [floor(i H / out), ceil((i + 1) H / out));
 * null keeps that input size.
 */
export class AdaptiveAvgPool2d extends Module {
  readonly outputSize: number | readonly [number | null, number | null];

  constructor(outputSize: number | readonly [number | null, number | null]) {
    super();
    this.outputSize = outputSize;
  }

  override forward(x: Tensor): Tensor {
    return adaptiveAvgPool2d(x, this.outputSize);
  }

  override extraRepr(): string {
    return `outputSize=${JSON.stringify(this.outputSize)}`;
  }
}
