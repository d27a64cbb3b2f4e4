import { type Shape } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { computeFans } from "./fans.js";
import { checkFinite, checkTarget, fillWith, generatorOf, type InitOptions } from "./fill.js";

export interface XavierOptions extends InitOptions {
  /** Scale factor, e.g. `calculateGain("tanh")` (default 1). */
  gain?: number;
}

/**
 * The standard deviation Xavier/Glorot initialization uses for a weight of
 * this shape: gain * sqrt(2 / (fanIn + fanOut)) (Glorot & Bengio, 2010).
 */
export function xavierStd(shape: Shape, gain = 1): number {
  const { fanIn, fanOut } = computeFans(shape);
  return gain * Math.sqrt(2 / (fanIn + fanOut));
}

function gainOf(options: XavierOptions | undefined, op: string): number {
  const gain = options?.gain ?? 1;
  checkFinite(gain, "gain", op);
  return gain;
}

/**
 * Xavier/Glorot uniform initialization in place: U(-bound, bound) with
 * bound = sqrt(3) * xavierStd (torch.nn.init.xavier_uniform_).
 */
export function xavierUniform(t: Tensor, options?: XavierOptions): Tensor {
  checkTarget(t, "xavierUniform");
  const bound = Math.sqrt(3) * xavierStd(t.shape, gainOf(options, "xavierUniform"));
  const g = generatorOf(options);
  return fillWith(t, () => bound * (2 * g.random() - 1));
}

/** Xavier/Glorot normal initialization in place: N(0, xavierStd^2) (torch.nn.init.xavier_normal_). */
export function xavierNormal(t: Tensor, options?: XavierOptions): Tensor {
  checkTarget(t, "xavierNormal");
  const std = xavierStd(t.shape, gainOf(options, "xavierNormal"));
  const g = generatorOf(options);
  return fillWith(t, () => std * g.normal());
}
