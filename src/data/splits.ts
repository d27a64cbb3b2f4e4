import type { TensorDataset } from "./tensorDataset.js";

export type Task = "classification" | "regression";

/**
 * The common shape of nabla's built-in datasets: a train and a test
 * TensorDataset of (features float32, targets) plus what a model needs to
 * know about them. Classification targets are int32 class indices of
 * shape [N]; regression targets are float32 of shape [N, k], so that they
 * line up with a model's [N, k] output without broadcasting.
 */
export interface SplitDataset {
  readonly name: string;
  readonly task: Task;
  readonly train: TensorDataset;
  readonly test: TensorDataset;
  /** Shape of one input sample, e.g. [1, 28, 28] or [784]. */
  readonly inputShape: readonly number[];
  /** Number of classes for classification; 0 for regression. */
  readonly numClasses: number;
  /** Width of the model output that fits the targets: numClasses, or k for regression. */
  readonly outputSize: number;
  /** Names of the classes, index i naming class i (classification only). */
  readonly classNames?: readonly string[];
}
