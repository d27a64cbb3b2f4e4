import type { Tensor } from "../tensor/tensor.js";

/**
 * A metric accumulated over batches: each batch contributes a total and a
 * count, and the epoch value is sum(total) / sum(count), so a smaller last
 * batch is weighted correctly.
 */
export interface Metric {
  readonly name: string;
  /** Higher is better (accuracy) or lower is better (errors). */
  readonly mode: "max" | "min";
  batch(output: Tensor, target: Tensor): { total: number; count: number };
}

/**
 * Classification accuracy: the fraction of rows whose largest logit is the
 * target class (int32 labels). Ties go to the first class, as argmax.
 */
export const accuracy: Metric = {
  name: "accuracy",
  mode: "max",
  batch(output, target) {
    const classes = output.shape[output.ndim - 1]!;
    const rows = output.size / classes;
    if (target.size !== rows) {
      throw new Error(`accuracy: ${rows} predictions but ${target.size} targets (output shape [${output.shape.join(",")}])`);
    }
    const o = output.data;
    const t = target.data;
    let correct = 0;
    for (let r = 0; r < rows; r++) {
      let best = 0;
      let bestValue = o[r * classes]!;
      for (let c = 1; c < classes; c++) {
        const v = o[r * classes + c]!;
        if (v > bestValue) {
          bestValue = v;
          best = c;
        }
      }
      if (best === t[r]) correct++;
    }
    return { total: correct, count: rows };
  },
};

/** Mean absolute error between output and target (regression). */
export const meanAbsoluteError: Metric = {
  name: "mae",
  mode: "min",
  batch(output, target) {
    if (output.size !== target.size) {
      throw new Error(`mae: output has ${output.size} values but target has ${target.size}`);
    }
    let total = 0;
    for (let i = 0; i < output.size; i++) total += Math.abs(output.data[i]! - target.data[i]!);
    return { total, count: output.size };
  },
};

const byName: Record<string, Metric> = { accuracy, acc: accuracy, mae: meanAbsoluteError };

/** Resolves metric names ("accuracy", "mae") and passes Metric objects through. */
export function resolveMetrics(metrics: readonly (Metric | string)[] | undefined): Metric[] {
  return (metrics ?? []).map((m) => {
    if (typeof m !== "string") return m;
    const found = byName[m];
    if (found === undefined) throw new Error(`fit: unknown metric "${m}" (known: ${Object.keys(byName).join(", ")})`);
    return found;
  });
}
