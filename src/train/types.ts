import type { Tensor } from "../tensor/tensor.js";

/** What `fit` needs of a model: nn.Module has all of it. */
export interface TrainableModel {
  forward(input: Tensor): Tensor;
  train(mode?: boolean): unknown;
  eval(): unknown;
  readonly training: boolean;
  parameters(): Tensor[];
}

/** What `fit` needs of an optimizer: every nb.optim optimizer has it. */
export interface StepOptimizer {
  zeroGrad(options?: { setToNone?: boolean }): void;
  step(closure?: () => number): unknown;
  readonly paramGroups: readonly { lr: number }[];
  /**
   * True for optimizers that must re-evaluate the loss inside `step`
   * (L-BFGS, SAM): `fit` then passes a closure that recomputes the batch's
   * loss and gradients.
   */
  readonly requiresClosure?: boolean;
  /** Switch to the training point (schedule-free optimizers); called before each epoch's batches. */
  train?(): void;
  /** Switch to the evaluation point (schedule-free optimizers); called before evaluating. */
  eval?(): void;
}

/** A loss: (model output, target) -> one-element tensor. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;
