import { type Shape } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { type FanMode, selectFan } from "./fans.js";
import { checkFinite, checkTarget, fillWith, generatorOf, type InitOptions } from "./fill.js";
import { calculateGain, type Nonlinearity } from "./gain.js";

export interface KaimingOptions extends InitOptions {
  /** Negative slope of the leaky_relu that follows (default 0: the relu gain sqrt(2)). */
  a?: number;
  /** Which fan: "fanIn" (default, preserves the forward variance) or "fanOut" (the backward). */
  mode?: FanMode;
  /** Default "leaky_relu", which with a = 0 is relu's gain. */
  nonlinearity?: Nonlinearity;
}

/**
 * The standard deviation Kaiming/He initialization uses for a weight of
 * this shape: gain / sqrt(fan), with gain = calculateGain(nonlinearity, a)
 * and fan chosen by `mode` (He et al., 2015, as torch).
 */
export function kaimingStd(shape: Shape, options: Omit<KaimingOptions, "generator"> = {}, op = "kaimingStd"): number {
  const a = options.a ?? 0;
  checkFinite(a, "a", op);
  const fan = selectFan(shape, options.mode ?? "fanIn", op);
  if (fan === 0) throw new Error(`${op}: cannot initialize a tensor with a zero fan (shape [${shape.join(",")}])`);
  return calculateGain(options.nonlinearity ?? "leaky_relu", a) / Math.sqrt(fan);
}

/**
 * Kaiming/He uniform initialization in place: U(-bound, bound) with
 * bound = sqrt(3) * kaimingStd = gain * sqrt(3 / fan) (torch.nn.init.kaiming_uniform_).
 */
export function kaimingUniform(t: Tensor, options?: KaimingOptions): Tensor {
  checkTarget(t, "kaimingUniform");
  const bound = Math.sqrt(3) * kaimingStd(t.shape, options, "kaimingUniform");
  const g = generatorOf(options);
  return fillWith(t, () => bound * (2 * g.random() - 1));
}

/** Kaiming/He normal initialization in place: N(0, kaimingStd^2) (torch.nn.init.kaiming_normal_). */
export function kaimingNormal(t: Tensor, options?: KaimingOptions): Tensor {
  checkTarget(t, "kaimingNormal");
  const std = kaimingStd(t.shape, options, "kaimingNormal");
  const g = generatorOf(options);
  return fillWith(t, () => std * g.normal());
}
