/**
 * Hooks into `fit`, in the style of Keras callbacks: each is optional and
 * receives the running logs. A callback stops training by setting
 * `context.stopTraining = true`.
 */
export interface EpochLogs {
  epoch: number;
  /** Mean training loss over the epoch's batches. */
  loss: number;
  /** Validation loss and metrics, prefixed with "val_", when validation data is given. */
  [metric: string]: number;
}

export interface BatchLogs {
  epoch: number;
  /** Index of the optimizer step within the epoch (with accumulation, one step covers several batches). */
  batch: number;
  /** Global optimizer step count (1 after the first step). */
  step: number;
  loss: number;
  lr: number;
  batchSize: number;
}

export interface TrainContext {
  epochs: number;
  stepsPerEpoch: number;
  /** Set to true to end training after the current batch. */
  stopTraining: boolean;
}

export interface Callback {
  onTrainBegin?(context: TrainContext): void;
  onEpochBegin?(epoch: number, context: TrainContext): void;
  onBatchEnd?(logs: BatchLogs, context: TrainContext): void;
  onEpochEnd?(logs: EpochLogs, context: TrainContext): void;
  onTrainEnd?(context: TrainContext): void;
}

/** Calls a hook on every callback, in order. */
export function dispatch<K extends keyof Callback>(
  callbacks: readonly Callback[],
  hook: K,
  ...args: Parameters<NonNullable<Callback[K]>>
): void {
  for (const cb of callbacks) {
    const fn = cb[hook] as ((...a: typeof args) => void) | undefined;
    fn?.apply(cb, args);
  }
}
