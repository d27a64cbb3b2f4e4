// nb.train: the training loop, evaluation, callbacks and metrics.
export * from "./types.js";
export * from "./callbacks.js";
export * from "./metrics.js";
export * from "./fit.js";
export * from "./evaluate.js";
export * from "./batches.js";
export * from "./progressBar.js";
export * from "./earlyStopping.js";
export * from "./models.js";
export * from "./averaging/index.js";
export * from "./gradientMonitor.js";
export type { LossScaler, ScaledOptimizer } from "./lossScaler.js";
export type { CheckpointOptions } from "./checkpointing.js";
export { readCheckpoint, resolveCheckpoint, latestCheckpoint, type CheckpointContents } from "./checkpoint.js";
export * from "./historyLogger.js";
