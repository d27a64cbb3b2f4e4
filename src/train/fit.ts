import type { DataLoader } from "../data/dataLoader.js";
import type { Schedule } from "../schedules/schedule.js";
import type { Generator, GeneratorState } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { groupStep, nextGroup, type StepContext } from "./accumulate.js";
import { type DataSource, inputAndTarget, toLoader } from "./batches.js";
import { type BatchLogs, type Callback, dispatch, type EpochLogs, type TrainContext } from "./callbacks.js";
import { type CheckpointOptions, Checkpointer } from "./checkpointing.js";
import { evaluate } from "./evaluate.js";
import { type LossScaler, scaledOptimizer } from "./lossScaler.js";
import { type Metric, resolveMetrics } from "./metrics.js";
import { type Progress, type Restored, restoreCallbacks, restoreGenerators } from "./trainerState.js";
import type { LossFn, StepOptimizer, TrainableModel } from "./types.js";

export interface FitOptions extends CheckpointOptions {
  optimizer: StepOptimizer;
  loss: LossFn;
  trainData: DataSource;
  valData?: DataSource;
  /** Total epochs of the run (also when resuming: a run saved after 3 of 10 trains 7 more). */
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
   * (an nb.optim.lrScheduler instance), stepped every optimizer step or every epoch.
   */
  schedule?: Schedule | SchedulerLike;
  /** When the schedule advances: "batch" (each optimizer step; default for schedule functions) or "epoch" (default for schedulers). */
  scheduleInterval?: "batch" | "epoch";
  /** For ReduceLROnPlateau-style schedulers: the epoch log passed to `step(metric)` (e.g. "val_loss"). */
  scheduleMetric?: string;
  /** Clip the global gradient norm to this value before every step (torch.nn.utils.clip_grad_norm_), on the accumulated gradient. */
  clipGradNorm?: number;
  /**
   * Gradient accumulation: one optimizer step per `accumulationSteps`
   * batches, on the gradient of their mean loss, which for a mean-reduced
   * loss is the update of one batch that many times larger, with the memory
   * of one batch. The last group of an epoch may be shorter; it still steps.
   * Default 1.
   */
  accumulationSteps?: number;
  /**
   * A dynamic loss scaler (nb.amp.GradScaler): losses are scaled before
   * backward, gradients unscaled before clipping, and a step whose
   * gradients hold Inf or NaN is skipped (the scale backs off) instead of
   * stopping training.
   */
  gradScaler?: LossScaler;
}

/** An lr scheduler as fit drives it: `step()` (or `step(metric)` for ReduceLROnPlateau). */
export type SchedulerLike = { step(): void } | { step(metric: number): void };

/** Steps a scheduler, with the metric when one is monitored. */
function stepScheduler(scheduler: SchedulerLike, metric?: number): void {
  (scheduler.step as (m?: number) => void).call(scheduler, metric);
}

export interface StepRecord {
  /** Optimizer steps so far (1 after the first). */
  step: number;
  epoch: number;
  /** The step's loss: the mean over its batches' samples. */
  loss: number;
  lr: number;
  /** The loss scale after the step, when a gradScaler is used (it drops when a step was skipped). */
  lossScale?: number;
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
 * Trains `model` for `epochs` passes over `trainData`: for each batch (or
 * group of `accumulationSteps` batches), forward, loss, backward, optional
 * clipping, optimizer.step(). After each epoch the model is evaluated on
 * `valData` (loss and metrics, logged as "val_*"). A non-finite loss stops
 * training before the update that would put it into the weights, with an
 * error naming the step (and the last good checkpoint), unless a
 * `gradScaler` skips that step. With `checkpointDir` the whole training
 * state is saved as it goes, and `resume` continues a run exactly where it
 * stopped, bit for bit. Returns the per-epoch and per-step history (loss,
 * learning rate, time).
 */
export async function fit(model: TrainableModel, options: FitOptions): Promise<History> {
  const { optimizer, loss: lossFn, epochs } = options;
  if (!Number.isInteger(epochs) || epochs < 0) throw new RangeError(`fit: epochs must be a non-negative integer, got ${epochs}`);
  const batchSize = options.batchSize ?? 32;
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new RangeError(`fit: batchSize must be a positive integer, got ${batchSize}`);
  const k = options.accumulationSteps ?? 1;
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`fit: accumulationSteps must be a positive integer, got ${k}`);
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
  const scaler = options.gradScaler;
  if (scaler !== undefined) {
    if (optimizer.requiresClosure) throw new Error("fit: gradScaler cannot drive an optimizer that re-evaluates the loss in step(closure) (as in torch.amp)");
    scaledOptimizer(optimizer);
  }
  const scheduler = schedule !== undefined && typeof schedule !== "function" ? schedule : undefined;
  const checkpoints =
    options.checkpointDir !== undefined || (options.resume !== undefined && options.resume !== false)
      ? new Checkpointer(
          { model, optimizer, scheduler, scaler, callbacks, loaderGenerator: loader.generator },
          { batchesPerEpoch: loader.length, datasetLength: loader.dataset.length, batchSize: loader.batchSize, accumulationSteps: k },
          options,
        )
      : undefined;
  const setLr = (value: number): void => {
    if (!Number.isFinite(value) || value < 0) throw new RangeError(`fit: the schedule gave learning rate ${value}`);
    for (const g of optimizer.paramGroups as { lr: number }[]) g.lr = value;
  };
  const context: TrainContext = { epochs, stepsPerEpoch: Math.ceil(loader.length / k), stopTraining: false };
  const restored: Restored | undefined = checkpoints?.resume();
  const history: History = restored?.history ?? { epochs: [], steps: [] };
  let progress: Progress = restored?.progress ?? { epoch: 0, batch: 0, step: 0, lossSum: 0, samples: 0, seconds: 0 };
  let resuming = restored !== undefined;

  dispatch(callbacks, "onTrainBegin", context);
  if (restored) restoreCallbacks(callbacks, restored.callbacks);
  while (progress.epoch < epochs && !context.stopTraining) {
    const epoch = progress.epoch;
    dispatch(callbacks, "onEpochBegin", epoch, context);
    model.train();
    optimizer.train?.();
    if (typeof schedule === "function" && interval === "epoch") setLr(schedule(epoch));
    const { it, epochStart } = openEpoch(loader, resuming ? restored : undefined);
    resuming = false;
    const start = performance.now();
    const elapsed = (): number => progress.seconds + (performance.now() - start) / 1000;
    const ctx: StepContext = {
      model,
      optimizer,
      loss: lossFn,
      scaler,
      clipGradNorm: options.clipGradNorm,
      params: options.clipGradNorm !== undefined ? model.parameters() : [],
      onNonFinite: (value, index) => {
        throw new Error(
          `fit: the loss is ${value} at step ${progress.step + 1} (epoch ${epoch + 1}, batch ${progress.batch + index + 1}); ` +
            `stopped before the update so the weights stay finite (try a lower learning rate or gradient clipping)` +
            (checkpoints ? `; ${checkpoints.describeLast()}` : ""),
        );
      },
    };
    for (;;) {
      const group = nextGroup(it, k, (batch) => inputAndTarget(batch, "fit"));
      if (group.length === 0) break;
      if (typeof schedule === "function" && interval === "batch") setLr(schedule(progress.step));
      const stepInEpoch = Math.floor(progress.batch / k);
      const value = groupStep(ctx, group);
      const n = group.reduce((s, [x]) => s + (x.shape[0] ?? 1), 0);
      progress = { ...progress, step: progress.step + 1, batch: progress.batch + group.length, lossSum: progress.lossSum + value * n, samples: progress.samples + n };
      const lr = optimizer.paramGroups[0]?.lr ?? NaN;
      history.steps.push({ step: progress.step, epoch, loss: value, lr, ...(scaler ? { lossScale: scaler.getScale() } : {}) });
      if (scheduler !== undefined && interval === "batch") stepScheduler(scheduler);
      if (checkpoints?.dueAfterStep(progress.step, progress.batch >= loader.length)) {
        checkpoints.save({ ...progress, seconds: elapsed() }, history, epochStart);
      }
      const logs: BatchLogs = { epoch, batch: stepInEpoch, step: progress.step, loss: value, lr, batchSize: n };
      dispatch(callbacks, "onBatchEnd", logs, context);
      if (context.stopTraining) break;
    }
    const seconds = elapsed();
    const record: EpochRecord = {
      epoch,
      loss: progress.samples > 0 ? progress.lossSum / progress.samples : NaN,
      lr: history.steps.length > 0 ? history.steps[history.steps.length - 1]!.lr : (optimizer.paramGroups[0]?.lr ?? NaN),
      seconds,
      samplesPerSecond: progress.samples / seconds,
    };
    if (options.valData !== undefined) {
      optimizer.eval?.();
      const val = evaluate(model, options.valData, { loss: lossFn, metrics, batchSize: Math.max(batchSize, 256) });
      for (const [key, v] of Object.entries(val)) record[`val_${key}`] = v;
    }
    history.epochs.push(record);
    dispatch(callbacks, "onEpochEnd", record, context);
    if (scheduler !== undefined && interval === "epoch") {
      if (options.scheduleMetric === undefined) stepScheduler(scheduler);
      else {
        const metric = record[options.scheduleMetric];
        if (metric === undefined) throw new Error(`fit: scheduleMetric "${options.scheduleMetric}" is not in the epoch logs (have: ${Object.keys(record).join(", ")})`);
        stepScheduler(scheduler, metric);
      }
    }
    // A run stopped inside an epoch by a callback is saved as at that epoch's end.
    progress = { epoch: epoch + 1, batch: 0, step: progress.step, lossSum: 0, samples: 0, seconds: 0 };
    if (checkpoints?.dueAfterEpoch(progress.step)) checkpoints.save(progress, history, undefined);
    // Let timers and stream writes (progress output) run between epochs.
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
  if (checkpoints?.dueAtEnd(progress.step)) checkpoints.save(progress, history, undefined);
  dispatch(callbacks, "onTrainEnd", context);
  return history;
}

/**
 * Starts an epoch's batches and notes the shuffle generator's state as the
 * epoch draws its order (a mid-epoch checkpoint needs it). When resuming,
 * the generators are restored first and the batches the checkpointed run
 * had already trained on are skipped.
 */
function openEpoch(loader: DataLoader<Tensor[], Tensor[]>, restored: Restored | undefined): { it: Iterator<Tensor[]>; epochStart: GeneratorState } {
  if (restored === undefined) {
    const epochStart = loader.generator.getState();
    return { it: loader[Symbol.iterator](), epochStart };
  }
  const it = restoreGenerators(restored.rng, loader.generator, () => loader[Symbol.iterator]());
  for (let b = 0; b < restored.progress.batch; b++) it.next();
  return { it, epochStart: restored.rng.loaderEpochStart ?? restored.rng.loader };
}
