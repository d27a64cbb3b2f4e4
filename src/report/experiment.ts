// One recorded training run, as `nabla compare` and `nabla lr-find` do them:
// the task and model set up once, every run starting from the same weights
// and seeing the batches in the same order.
import { DATASET_NAMES, loadDataset, type TaskData } from "../cli/datasets.js";
import { makeOptimizer, type OptimizerFlags } from "../cli/optimizers.js";
import { buildTaskModel, type TaskModel } from "../cli/taskModel.js";
import { UsageError } from "../cli/usageError.js";
import { Subset } from "../data/subset.js";
import { crossEntropy } from "../nn/functional/index.js";
import type { StateDict } from "../nn/module.js";
import { Generator, manualSeed } from "../tensor/random.js";
import type { Callback } from "../train/callbacks.js";
import { fit } from "../train/fit.js";
import type { LossFn } from "../train/types.js";
import { GradNormProbe } from "./gradNorm.js";
import { type EvalPoint, Recorder, type StepPoint } from "./recorder.js";
import { ScheduleCallback } from "./scheduleCallback.js";
import type { Schedule } from "../schedules/schedule.js";

export interface TaskFlags {
  task: string;
  model: "mlp" | "cnn";
  hidden: number[];
  seed: number;
  /** Keep only the first N training samples. */
  trainSize?: number;
  /** Keep only the first N validation (test split) samples. */
  testSize?: number;
}

export type { TaskModel };

/** A task ready to train on: the data, the model and its initial weights. */
export interface Experiment {
  data: TaskData;
  model: TaskModel;
  modelName: string;
  initialWeights: StateDict;
}

/** The first `n` samples (all of them when `n` is absent or larger). */
function firstN(data: TaskData["train"], n: number | undefined): TaskData["train"] {
  if (n === undefined || n >= data.length) return data;
  return new Subset(data, Array.from({ length: n }, (_, i) => i));
}

/**
 * Loads the task (UsageError naming --task when it cannot), builds the
 * model with `manualSeed(seed)` and keeps a copy of its initial weights.
 */
export function setUpExperiment(flags: TaskFlags): Experiment {
  let loaded: TaskData;
  try {
    loaded = loadDataset(flags.task, flags.seed);
  } catch (e) {
    throw new UsageError(`--task: ${(e as Error).message} (expected ${DATASET_NAMES.join(", ")})`);
  }
  const data: TaskData = {
    ...loaded,
    train: firstN(loaded.train, flags.trainSize),
    test: firstN(loaded.test, flags.testSize),
  };
  manualSeed(flags.seed);
  const { model, name: modelName } = buildTaskModel(flags.model, flags.hidden, data);
  return { data, model, modelName, initialWeights: model.stateDict() };
}

/** The classification loss every command here trains with. */
export const taskLoss: LossFn = (out, y) => crossEntropy(out, y);

export interface RecordedRunOptions {
  optimizer: string;
  lr: number;
  optimizerFlags?: OptimizerFlags;
  epochs: number;
  batchSize: number;
  seed: number;
  evalEvery: number;
  /** Learning rate as a function of the step (its peak is `lr`); constant `lr` when absent. */
  schedule?: Schedule;
  /** Stop after this many updates (a short run, as in a learning-rate sweep). */
  maxSteps?: number;
  callbacks?: readonly Callback[];
  /** Evaluate on the test split (default true). */
  evaluate?: boolean;
}

export interface RecordedRun {
  optimizer: string;
  lr: number;
  steps: StepPoint[];
  evals: EvalPoint[];
  /** Bytes of typed arrays in the optimizer state, the most seen. */
  stateBytes: number;
  /** Training time (evaluations left out). */
  seconds: number;
  /** Set when the loss became non-finite: the update that would have used it was not made. */
  diverged: { step: number; message: string } | null;
}

/** Stops `fit` once `maxSteps` updates are done. */
class StopAfter implements Callback {
  constructor(private readonly maxSteps: number) {}
  onBatchEnd(logs: { step: number }, context: { stopTraining: boolean }): void {
    if (logs.step >= this.maxSteps) context.stopTraining = true;
  }
}

/**
 * Trains the experiment's model from its initial weights with one
 * optimizer, recording every step and evaluating on the test split every
 * `evalEvery` updates. The data order depends only on `seed`, so runs with
 * different optimizers see the same batches. A non-finite loss ends the run
 * (recorded in `diverged`) instead of failing it.
 */
export async function recordRun(exp: Experiment, o: RecordedRunOptions): Promise<RecordedRun> {
  exp.model.loadStateDict(exp.initialWeights);
  const params = exp.model.parameters();
  const optimizer = makeOptimizer(o.optimizer, params, { ...o.optimizerFlags, lr: o.lr });
  const probe = new GradNormProbe(optimizer, params);
  const recorder = new Recorder({ model: exp.model, loss: taskLoss, valData: exp.data.test, evalEvery: o.evalEvery, probe, evaluate: o.evaluate ?? true });
  let nonFinite = false;
  const loss: LossFn = (out, y) => {
    const value = taskLoss(out, y);
    if (!Number.isFinite(value.item())) nonFinite = true;
    return value;
  };
  const callbacks: Callback[] = [];
  if (o.schedule !== undefined) callbacks.push(new ScheduleCallback(probe, o.schedule));
  callbacks.push(recorder);
  if (o.maxSteps !== undefined) callbacks.push(new StopAfter(o.maxSteps));
  callbacks.push(...(o.callbacks ?? []));
  let diverged: RecordedRun["diverged"] = null;
  try {
    await fit(exp.model, {
      optimizer: probe,
      loss,
      trainData: exp.data.train,
      epochs: o.epochs,
      batchSize: o.batchSize,
      generator: new Generator(o.seed),
      callbacks,
    });
  } catch (e) {
    if (!nonFinite) throw e;
    diverged = { step: recorder.steps.length + 1, message: (e as Error).message };
  }
  recorder.finish();
  const last = recorder.steps[recorder.steps.length - 1];
  return {
    optimizer: o.optimizer,
    lr: o.lr,
    steps: recorder.steps,
    evals: recorder.evals,
    stateBytes: recorder.peakStateBytes,
    seconds: last?.seconds ?? 0,
    diverged,
  };
}
