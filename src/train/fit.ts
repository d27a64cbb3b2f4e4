import { backward } from "../autograd/backward.js";
import { clipGradNorm } from "../nn/utils/clipGradNorm.js";
import type { Schedule } from "../schedules/schedule.js";
import type { Generator } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
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
  /**
   * A learning-rate schedule (a function of the step, written into every
   * param group's lr before each step) or a scheduler object with `step()`
   * (an nb.optim.lrScheduler instance), stepped every batch or every epoch.
   */
  schedule?: Schedule | SchedulerLike;
  /** When the schedule advances: "batch" (default for schedule functions) or "epoch" (default for schedulers). */
  scheduleInterval?: "batch" | "epoch";
  /** For ReduceLROnPlateau-style schedulers: the epoch log passed to `step(metric)` (e.g. "val_loss"). */
  scheduleMetric?: string;
  /** Clip the global gradient norm to this value before every step (torch.nn.utils.clip_grad_norm_). */
  clipGradNorm?: number;
}

/** An lr scheduler as fit drives it: `step()` (or `step(metric)` for ReduceLROnPlateau). */
export type SchedulerLike = { step(): void } | { step(metric: number): void };

/** Steps a scheduler, with the metric when one is monitored. */
function stepScheduler(scheduler: SchedulerLike, metric?: number): void {
  (scheduler.step as (m?: number) => void).call(scheduler, metric);
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
  const schedule = options.schedule;
  const interval = options.scheduleInterval ?? (typeof schedule === "function" ? "batch" : "epoch");
  if (options.scheduleMetric !== undefined && (schedule === undefined || typeof schedule === "function" || interval !== "epoch")) {
    throw new Error("fit: scheduleMetric needs a scheduler object stepped per epoch (scheduleInterval: \"epoch\")");
  }
  if (options.clipGradNorm !== undefined && !(options.clipGradNorm > 0)) {
    throw new RangeError(`fit: clipGradNorm must be a positive number, got ${options.clipGradNorm}`);
  }
  const setLr = (value: number): void => {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`fit: the schedule gave learning rate ${value}`);
    for (const g of optimizer.paramGroups as { lr: number }[]) g.lr = value;
  };
  const params = options.clipGradNorm !== undefined ? model.parameters() : [];
  const beforeStep = (): void => {
    if (options.clipGradNorm !== undefined) clipGradNorm(params, options.clipGradNorm, 2, { errorIfNonfinite: true });
  };
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
    optimizer.train?.();
    if (typeof schedule === "function" && interval === "epoch") setLr(schedule(epoch));
    for (const batch of loader) {
      if (typeof schedule === "function" && interval === "batch") setLr(schedule(step));
      const [x, y] = inputAndTarget(batch, "fit");
      const value = optimizer.requiresClosure ? closureStep(model, optimizer, lossFn, x, y, step, epoch, batchIndex, beforeStep) : plainStep(model, optimizer, lossFn, x, y, step, epoch, batchIndex, beforeStep);
      step++;
      const n = x.shape[0] ?? 1;
      lossSum += value * n;
      samples += n;
      const lr = optimizer.paramGroups[0]?.lr ?? NaN;
      history.steps.push({ step, epoch, loss: value, lr });
      if (schedule !== undefined && typeof schedule !== "function" && interval === "batch") stepScheduler(schedule);
      const logs: BatchLogs = { epoch, batch: batchIndex, step, loss: value, lr, batchSize: n };
      dispatch(callbacks, "onBatchEnd", logs, context);
      batchIndex++;
      if (context.stopTraining) break;
    }
    const seconds = (performance.now() - start) / 1000;
    const record: EpochRecord = {
      epoch,
      loss: samples > 0 ? lossSum / samples : NaN,
      lr: history.steps.length > 0 ? history.steps[history.steps.length - 1]!.lr : (optimizer.paramGroups[0]?.lr ?? NaN),
      seconds,
      samplesPerSecond: samples / seconds,
    };
    if (options.valData !== undefined) {
      optimizer.eval?.();
      const val = evaluate(model, options.valData, { loss: lossFn, metrics, batchSize: Math.max(batchSize, 256) });
      for (const [k, v] of Object.entries(val)) record[`val_${k}`] = v;
    }
    history.epochs.push(record);
    dispatch(callbacks, "onEpochEnd", record, context);
    if (schedule !== undefined && typeof schedule !== "function" && interval === "epoch") {
      if (options.scheduleMetric === undefined) stepScheduler(schedule);
      else {
        const metric = record[options.scheduleMetric];
        if (metric === undefined) throw new Error(`fit: scheduleMetric "${options.scheduleMetric}" is not in the epoch logs (have: ${Object.keys(record).join(", ")})`);
        stepScheduler(schedule, metric);
      }
    }
    // Let timers and stream writes (progress output) run between epochs.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  dispatch(callbacks, "onTrainEnd", context);
  return history;
}

function checkFinite(value: number, step: number, epoch: number, batch: number): void {
  if (!Number.isFinite(value)) {
    throw new Error(
      `fit: the loss is ${value} at step ${step + 1} (epoch ${epoch + 1}, batch ${batch + 1}); stopped before the update so the weights stay finite (try a lower learning rate or gradient clipping)`,
    );
  }
}

/** forward, loss, zeroGrad, backward, step: returns the batch loss. */
function plainStep(
  model: TrainableModel,
  optimizer: StepOptimizer,
  lossFn: LossFn,
  x: Tensor,
  y: Tensor,
  step: number,
  epoch: number,
  batch: number,
  beforeStep: () => void,
): number {
  const loss = lossFn(model.forward(x), y);
  const value = loss.item();
  checkFinite(value, step, epoch, batch);
  optimizer.zeroGrad();
  backward(loss);
  beforeStep();
  optimizer.step();
  return value;
}

/** For optimizers that re-evaluate the loss (L-BFGS, SAM): the closure recomputes loss and gradients. */
function closureStep(
  model: TrainableModel,
  optimizer: StepOptimizer,
  lossFn: LossFn,
  x: Tensor,
  y: Tensor,
  step: number,
  epoch: number,
  batch: number,
  beforeStep: () => void,
): number {
  let first: number | undefined;
  optimizer.step(() => {
    optimizer.zeroGrad();
    const loss = lossFn(model.forward(x), y);
    const value = loss.item();
    if (first === undefined) {
      first = value;
      checkFinite(value, step, epoch, batch);
    }
    backward(loss);
    beforeStep();
    return value;
  });
  return first ?? NaN;
}
