// The averaging rules AveragedModel applies, after torch.optim.swa_utils'
// get_swa_avg_fn / get_ema_avg_fn (one tensor, returning the new average)
// and get_swa_multi_avg_fn / get_ema_multi_avg_fn (lists, in place).
import { checkInRange } from "../../schedules/validate.js";
import { isFloating } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";
import { lerpInto } from "./tensors.js";

/**
 * One tensor's new average from its current average, the model's value and
 * the number of models averaged so far (torch's `avg_fn`). Called with
 * recording off; the result is copied into the average.
 */
export type AvgFn = (averaged: Tensor, current: Tensor, numAveraged: number) => Tensor;

/**
 * Updates a list of averages in place from the model's values (torch's
 * `multi_avg_fn`); called once per dtype, with recording off.
 */
export type MultiAvgFn = (averaged: Tensor[], current: Tensor[], numAveraged: number) => void;

function checkDecay(fn: string, decay: number): number {
  return checkInRange(fn, "decay", decay, 0, 1);
}

/** A float64 tensor from a per-element rule over two equally shaped tensors. */
function combine(a: Tensor, b: Tensor, f: (x: number, y: number) => number): Tensor {
  const out = new Float64Array(a.size);
  for (let i = 0; i < out.length; i++) out[i] = f(a.data[i]!, b.data[i]!);
  return new Tensor(a.dtype === "float32" ? Float32Array.from(out) : out, a.shape);
}

/** Equal-weight running mean: `avg + (value - avg) / (n + 1)` (SWA; torch's get_swa_avg_fn). */
export function getSwaAvgFn(): AvgFn {
  return (averaged, current, n) => combine(averaged, current, (a, c) => a + (c - a) / (n + 1));
}

/** Exponential average: `decay * avg + (1 - decay) * value` (torch's get_ema_avg_fn), decay in [0, 1]. */
export function getEmaAvgFn(decay = 0.999): AvgFn {
  const d = checkDecay("getEmaAvgFn", decay);
  return (averaged, current) => combine(averaged, current, (a, c) => d * a + (1 - d) * c);
}

/**
 * In-place equal-weight running mean (torch's get_swa_multi_avg_fn):
 * floating averages move by lerp with weight `1 / (n + 1)`; integer ones
 * by `(value - avg) / (n + 1)`, truncated.
 */
export function getSwaMultiAvgFn(): MultiAvgFn {
  return (averaged, current, n) => {
    averaged.forEach((avg, i) => {
      const cur = current[i]!;
      if (isFloating(avg.dtype)) {
        lerpInto(avg, cur, 1 / (n + 1));
      } else {
        for (let k = 0; k < avg.size; k++) avg.data[k] = Math.trunc(avg.data[k]! + (cur.data[k]! - avg.data[k]!) / (n + 1));
      }
    });
  };
}

/**
 * In-place exponential average (torch's get_ema_multi_avg_fn): floating
 * averages by lerp toward the value with weight `1 - decay`; integer ones
 * as `avg * decay + value * (1 - decay)`, truncated. decay in [0, 1].
 */
export function getEmaMultiAvgFn(decay = 0.999): MultiAvgFn {
  const d = checkDecay("getEmaMultiAvgFn", decay);
  return (averaged, current) => {
    averaged.forEach((avg, i) => {
      const cur = current[i]!;
      if (isFloating(avg.dtype)) {
        lerpInto(avg, cur, 1 - d);
      } else {
        for (let k = 0; k < avg.size; k++) avg.data[k] = Math.trunc(avg.data[k]! * d + cur.data[k]! * (1 - d));
      }
    });
  };
}
