import { noGrad } from "../autograd/noGrad.js";
import { type DataSource, inputAndTarget, toLoader } from "./batches.js";
import { type Metric, resolveMetrics } from "./metrics.js";
import type { LossFn, TrainableModel } from "./types.js";

export interface EvaluateOptions {
  loss: LossFn;
  metrics?: readonly (Metric | string)[];
  batchSize?: number;
}

/**
 * Mean loss and metrics of `model` over `data` in eval mode (dropout off,
 * batch-norm running statistics) without recording gradients. Each
 * batch's loss is weighted by its size, so the result is the mean over
 * samples for a mean-reduced loss. The model's mode is restored afterwards.
 */
export function evaluate(model: TrainableModel, data: DataSource, options: EvaluateOptions): Record<string, number> {
  const metrics = resolveMetrics(options.metrics);
  const loader = toLoader(data, { batchSize: options.batchSize ?? 256, shuffle: false });
  const wasTraining = model.training;
  model.eval();
  try {
    return noGrad(() => {
      let lossSum = 0;
      let samples = 0;
      const totals = metrics.map(() => ({ total: 0, count: 0 }));
      for (const batch of loader) {
        const [x, y] = inputAndTarget(batch, "evaluate");
        const out = model.forward(x);
        const n = x.shape[0] ?? 1;
        lossSum += options.loss(out, y).item() * n;
        samples += n;
        metrics.forEach((m, i) => {
          const r = m.batch(out, y);
          totals[i]!.total += r.total;
          totals[i]!.count += r.count;
        });
      }
      const result: Record<string, number> = { loss: samples > 0 ? lossSum / samples : NaN };
      metrics.forEach((m, i) => (result[m.name] = totals[i]!.total / totals[i]!.count));
      return result;
    });
  } finally {
    model.train(wasTraining);
  }
}
