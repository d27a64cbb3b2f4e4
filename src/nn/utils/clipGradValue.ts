import { gradsOf, type ParamsLike, toParamList } from "./params.js";

/**
 * Clamps every gradient element to `[-clipValue, clipValue]` in place,
 * matching torch.nn.utils.clip_grad_value_. Parameters whose grad is null
 * are skipped; NaN stays NaN.
 */
export function clipGradValue(params: ParamsLike, clipValue: number): void {
  const fn = "clipGradValue";
  if (typeof clipValue !== "number" || !(clipValue >= 0)) {
    throw new RangeError(`${fn}: clipValue must be a number >= 0, got ${String(clipValue)}`);
  }
  const grads = gradsOf(fn, toParamList(fn, params));
  const lo = -clipValue;
  for (const g of grads) {
    const d = g.data;
    for (let i = 0; i < d.length; i++) {
      const v = d[i]!;
      if (v > clipValue) d[i] = clipValue;
      else if (v < lo) d[i] = lo;
    }
  }
}
