import { Tensor } from "../../../tensor/tensor.js";
import "../../../tensor/index.js";

/** How a loss combines its per-element values: their mean, their sum, or none (the unreduced tensor). */
export type Reduction = "mean" | "sum" | "none";

export function checkReduction<R extends string>(reduction: R, allowed: readonly R[], op: string): void {
  if (!allowed.includes(reduction)) {
    throw new Error(`${op}: reduction must be one of ${allowed.map((r) => `"${r}"`).join(", ")}, got ${JSON.stringify(reduction)}`);
  }
}

/** Applies "mean" (divide the sum by the element count), "sum" or "none". */
export function reduce(loss: Tensor, reduction: Reduction): Tensor {
  if (reduction === "none") return loss;
  return reduction === "sum" ? loss.sum() : loss.mean();
}

/** Checks that two operands of an elementwise loss have the same shape (torch broadcasts with a warning; nabla refuses). */
export function checkSameShape(input: Tensor, target: Tensor, op: string): void {
  const a = input.shape;
  const b = target.shape;
  if (a.length !== b.length || a.some((d, i) => d !== b[i])) {
    throw new Error(`${op}: input shape [${a.join(",")}] and target shape [${b.join(",")}] differ`);
  }
}

/** Checks that the loss inputs are floating. */
export function checkFloating(t: Tensor, name: string, op: string): void {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: ${name} must be a Tensor`);
  if (t.dtype === "int32") throw new TypeError(`${op}: ${name} must be floating, got int32`);
}
