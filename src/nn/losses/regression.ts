import { Tensor } from "../../tensor/tensor.js";
import { huberLoss, l1Loss, mseLoss, type ReductionOptions, smoothL1Loss } from "../functional/loss/regression.js";
import { type Reduction } from "../functional/loss/reduction.js";
import { Module } from "../module.js";

/**
 * Regression losses as modules (torch.nn.MSELoss, ...): the options are
 * stored and `forward(input, target)` calls the function of nn.functional.
 */

/** Mean squared error; see functional.mseLoss. */
export class MSELoss extends Module {
  readonly reduction: Reduction;

  constructor(options: ReductionOptions = {}) {
    super();
    this.reduction = options.reduction ?? "mean";
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return mseLoss(input, target, { reduction: this.reduction });
  }
}

/** Mean absolute error; see functional.l1Loss. */
export class L1Loss extends Module {
  readonly reduction: Reduction;

  constructor(options: ReductionOptions = {}) {
    super();
    this.reduction = options.reduction ?? "mean";
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return l1Loss(input, target, { reduction: this.reduction });
  }
}

/** Huber loss with threshold delta; see functional.huberLoss. */
export class HuberLoss extends Module {
  readonly reduction: Reduction;
  readonly delta: number;

  constructor(options: ReductionOptions & { delta?: number } = {}) {
    super();
    this.reduction = options.reduction ?? "mean";
    this.delta = options.delta ?? 1;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return huberLoss(input, target, { reduction: this.reduction, delta: this.delta });
  }
}

/** Smooth L1 loss with threshold beta; see functional.smoothL1Loss. */
export class SmoothL1Loss extends Module {
  readonly reduction: Reduction;
  readonly beta: number;

  constructor(options: ReductionOptions & { beta?: number } = {}) {
    super();
    this.reduction = options.reduction ?? "mean";
    this.beta = options.beta ?? 1;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return smoothL1Loss(input, target, { reduction: this.reduction, beta: this.beta });
  }
}
