import { backward } from "../autograd/backward.js";
import type { Generator } from "../tensor/random.js";
import { type DataSource, inputAndTarget, toLoader } from "./batches.js";
import { type BatchLogs, type Callback, dispatch, type EpochLogs, type TrainContext } from "./callbacks.js";
import { evaluate } from "./evaluate.js";
import { type Metric, resolveMetrics } from "./metrics.js";
import type { LossFn, StepOptimizer, TrainableModel } from "./types.js";

export interface FitOptions {
  optimizer: StepOptimizer;
  loss: LossFn;
  trainData: DataSource;
  valData?: DataSource;
  epochs: number;
  /** Used when trainData/valData are datasets rather than DataLoaders. Default 32. */
  batchSize?: number;
  /** Shuffle a training dataset each epoch (default true). */
  shuffle?: boolean;
  /** Generator for the shuffling; the global one by default. */
  generator?: Generator;
  callbacks?: readonly Callback[];
  /** Metrics computed on the validation data each epoch ("accuracy", "mae" or Metric objects). */
  metrics?: readonly (Metric | string)[];
}

export interface StepRecord {
  step: number;
  epoch: number;
  loss: number;
  lr: number;
}

export interface EpochRecord extends EpochLogs {
  lr: number;
  /** Wall time of the epoch's training batches, in seconds. */
  seconds: number;
  samplesPerSecond: number;
}

export interface History {
  epochs: EpochRecord[];
  steps: StepRecord[];
}

/**
 * Trains `model` for `epochs` passes over `trainData`: for each batch,
 * forward, loss, zeroGrad, backward, optimizer.step(). After each epoch the
 * model is evaluated on `valData` (loss and metrics, logged as "val_*").
 * A non-finite loss stops training before the update that would put it into
 * the weights, with an error naming the step. Returns the per-epoch and
 * per-step history (loss, learning rate, time).
 */
export async function fit(model: TrainableModel, options: FitOptions): Promise<History> {
  const { optimizer, loss: lossFn, epochs } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  const metrics = resolveMetrics(options.metrics);
  const callbacks = options.callbacks ?? [];
  const loader = toLoader(options.trainData, { batchSize, shuffle: options.shuffle ?? true, generator: options.generator });
  const context: TrainContext = { epochs, stepsPerEpoch: loader.length, stopTraining: false };
  const history: History = { epochs: [], steps: [] };
  let step = 0;

  dispatch(callbacks, "onTrainBegin", context);
  for (let epoch = 0; epoch < epochs && !context.stopTraining; epoch++) {
    dispatch(callbacks, "onEpochBegin", epoch, context);
    model.train();
    const start = performance.now();
    let lossSum = 0;
    let samples = 0;
    let batchIndex = 0;
    for (const batch of loader) {
      const [x, y] = inputAndTarget(batch, "fit");
      const output = model.forward(x);
      const loss = lossFn(output, y);
      const value = loss.item();
      if (!Number.isFinite(value)) {
        throw new Error(
          `fit: the loss is ${value} at step ${step + 1} (epoch ${epoch + 1}, batch ${batchIndex + 1}); stopped before the update so the weights stay finite (try a lower learning rate or gradient clipping)`,
        );
      }
      optimizer.zeroGrad();
      backward(loss);
      optimizer.step();
      step++;
      const n = x.shape[0] ?? 1;
      lossSum += value * n;
      samples += n;
      const lr = optimizer.paramGroups[0]?.lr ?? NaN;
      history.steps.push({ step, epoch, loss: value, lr });
      const logs: BatchLogs = { epoch, batch: batchIndex, step, loss: value, lr, batchSize: n };
      dispatch(callbacks, "onBatchEnd", logs, context);
      batchIndex++;
      if (context.stopTraining) break;
    }
    const seconds = (performance.now() - start) / 1000;
    const record: EpochRecord = {
      epoch,
      loss: samples > 0 ? lossSum / samples : NaN,
      lr: optimizer.paramGroups[0]?.lr ?? NaN,
      seconds,
      samplesPerSecond: samples / seconds,
    };
    if (options.valData !== undefined) {
      const val = evaluate(model, options.valData, { loss: lossFn, metrics, batchSize: Math.max(batchSize, 256) });
      for (const [k, v] of Object.entries(val)) record[`val_${k}`] = v;
    }
    history.epochs.push(record);
    dispatch(callbacks, "onEpochEnd", record, context);
    // Let timers and stream writes (progress output) run between epochs.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  dispatch(callbacks, "onTrainEnd", context);
  return history;
}
