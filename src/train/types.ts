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
  step(): unknown;
  readonly paramGroups: readonly { lr: number }[];
}

/** A loss: (model output, target) -> one-element tensor. */
export type LossFn = (output: Tensor, target: Tensor) => Tensor;
