import { type DType } from "../../tensor/dtype.js";
import { linear } from "../../tensor/index.js";
import { type Generator } from "../../tensor/random.js";
import { emptyTensor, Tensor } from "../../tensor/tensor.js";
import { uniform } from "../init/basic.js";
import { kaimingUniform } from "../init/kaiming.js";
import { Module } from "../module.js";
import { checkInt, paramDType } from "./checks.js";

export interface LinearOptions {
  /** Learn an additive bias (default true). */
  bias?: boolean;
  dtype?: DType;
  /** Generator for the initial weights (the global one by default). */
  generator?: Generator;
}

/**
 * Fully connected layer y = x W^T + b (torch.nn.Linear), W of shape
 * [outFeatures, inFeatures]; x may have any number of leading dimensions,
 * including none. Initialized as torch: W ~ kaimingUniform(a = sqrt(5)),
 * which is U(-1/sqrt(inFeatures), 1/sqrt(inFeatures)), and b from the same range.
 */
export class Linear extends Module {
  readonly inFeatures: number;
  readonly outFeatures: number;
  weight: Tensor;
  bias: Tensor | null;

  constructor(inFeatures: number, outFeatures: number, options: LinearOptions = {}) {
    super();
    this.inFeatures = checkInt(inFeatures, "inFeatures", "Linear", true);
    this.outFeatures = checkInt(outFeatures, "outFeatures", "Linear", true);
    const dtype = paramDType(options.dtype, "Linear");
    this.weight = this.registerParameter("weight", emptyTensor([outFeatures, inFeatures], dtype));
    this.bias = this.registerParameter("bias", options.bias === false ? null : emptyTensor([outFeatures], dtype));
    this.resetParameters(options.generator);
  }

  /** Draws fresh initial values, as at construction. */
  resetParameters(generator?: Generator): void {
    if (this.inFeatures === 0) return;
    kaimingUniform(this.weight, { a: Math.sqrt(5), generator });
    const bound = 1 / Math.sqrt(this.inFeatures);
    if (this.bias !== null) uniform(this.bias, -bound, bound, { generator });
  }

  override forward(x: Tensor): Tensor {
    return linear(x, this.weight, this.bias);
  }

  override extraRepr(): string {
    return `inFeatures=${this.inFeatures}, outFeatures=${this.outFeatures}, bias=${this.bias !== null}`;
  }
}
