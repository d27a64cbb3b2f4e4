// Records what a comparison plots: per step the loss, learning rate,
// gradient norm and training time; every few steps the validation loss and
// accuracy; and the optimizer's state size.
import type { DataSource } from "../train/batches.js";
import type { BatchLogs, Callback, TrainContext } from "../train/callbacks.js";
import { evaluate } from "../train/evaluate.js";
import type { LossFn, TrainableModel } from "../train/types.js";
import type { GradNormProbe } from "./gradNorm.js";
import { optimizerStateBytes } from "./stateBytes.js";

export interface StepPoint {
  /** Updates done, from 1. */
  step: number;
  epoch: number;
  /** Loss of the batch, computed before this update. */
  loss: number;
  /** Learning rate this update used (first parameter group). */
  lr: number;
  /** Global L2 norm of the gradients this update used. */
  gradNorm: number;
  /** Training time up to the end of this update, evaluations and recording left out. */
  seconds: number;
}

export interface EvalPoint {
  /** Updates done when evaluated (0: the initial weights). */
  step: number;
  seconds: number;
  loss: number;
  accuracy: number;
}

export interface RecorderOptions {
  model: TrainableModel;
  loss: LossFn;
  valData: DataSource;
  /** Evaluate after every `evalEvery` updates (and before the first and after the last). */
  evalEvery: number;
  probe: GradNormProbe;
  /** Evaluate at all (default true); a short sweep run only needs the training loss. */
  evaluate?: boolean;
}

/** The recording callback: see `StepPoint` and `EvalPoint`. */
export class Recorder implements Callback {
  readonly steps: StepPoint[] = [];
  readonly evals: EvalPoint[] = [];
  /** Largest optimizer state seen (bytes of typed arrays), checked after the first update and each epoch. */
  peakStateBytes = 0;
  private start = 0;
  /** Milliseconds spent evaluating and recording, subtracted from the training time. */
  private excludedMs = 0;
  private totalSteps = 0;

  constructor(private readonly options: RecorderOptions) {}

  private seconds(now: number): number {
    return (now - this.start - this.excludedMs - this.options.probe.overheadMs) / 1000;
  }

  private evaluateAt(step: number, seconds: number): void {
    if (this.options.evaluate === false) return;
    const r = evaluate(this.options.model, this.options.valData, { loss: this.options.loss, metrics: ["accuracy"] });
    this.evals.push({ step, seconds, loss: r.loss!, accuracy: r.accuracy! });
  }

  private measureState(): void {
    this.peakStateBytes = Math.max(this.peakStateBytes, optimizerStateBytes(this.options.probe.inner));
  }

  onTrainBegin(context: TrainContext): void {
    this.totalSteps = context.epochs * context.stepsPerEpoch;
    this.evaluateAt(0, 0);
    this.start = performance.now();
  }

  onBatchEnd(logs: BatchLogs): void {
    const enter = performance.now();
    const seconds = this.seconds(enter);
    this.steps.push({ step: logs.step, epoch: logs.epoch, loss: logs.loss, lr: logs.lr, gradNorm: this.options.probe.lastNorm, seconds });
    if (logs.step === 1) this.measureState();
    if (logs.step % this.options.evalEvery === 0 || logs.step === this.totalSteps) this.evaluateAt(logs.step, seconds);
    this.excludedMs += performance.now() - enter;
  }

  onEpochEnd(): void {
    const enter = performance.now();
    this.measureState();
    this.excludedMs += performance.now() - enter;
  }

  /** Evaluates the weights as they are if the last recorded step was not evaluated (a run stopped early). */
  finish(): void {
    const last = this.steps[this.steps.length - 1];
    if (last !== undefined && this.evals[this.evals.length - 1]?.step !== last.step) this.evaluateAt(last.step, last.seconds);
    this.measureState();
  }
}
