import { Tensor } from "../../tensor/tensor.js";
import { binaryCrossEntropyWithLogits, type BceWithLogitsOptions } from "../functional/loss/binaryCrossEntropy.js";
import { crossEntropy, type CrossEntropyOptions, nllLoss, type NllLossOptions } from "../functional/loss/crossEntropy.js";
import { klDiv, type KlDivOptions } from "../functional/loss/klDiv.js";
import { Module } from "../module.js";

/**
 * Classification and divergence losses as modules. Class weights are kept
 * as registered buffers named "weight" / "pos_weight" (torch's names), so
 * they are saved with the state dict.
 */

/** Cross-entropy of logits; see functional.crossEntropy. */
export class CrossEntropyLoss extends Module {
  readonly options: Readonly<Omit<CrossEntropyOptions, "weight">>;

  constructor(options: CrossEntropyOptions = {}) {
    super();
    const { weight = null, ...rest } = options;
    this.registerBuffer("weight", weight);
    this.options = rest;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return crossEntropy(input, target, { ...this.options, weight: this.getBuffer("weight") });
  }
}

/** Negative log-likelihood of log-probabilities; see functional.nllLoss. */
export class NLLLoss extends Module {
  readonly options: Readonly<Omit<NllLossOptions, "weight">>;

  constructor(options: NllLossOptions = {}) {
    super();
    const { weight = null, ...rest } = options;
    this.registerBuffer("weight", weight);
    this.options = rest;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return nllLoss(input, target, { ...this.options, weight: this.getBuffer("weight") });
  }
}

/** Binary cross-entropy on logits; see functional.binaryCrossEntropyWithLogits. */
export class BCEWithLogitsLoss extends Module {
  readonly options: Readonly<Pick<BceWithLogitsOptions, "reduction">>;

  constructor(options: BceWithLogitsOptions = {}) {
    super();
    const { weight = null, posWeight = null, ...rest } = options;
    this.registerBuffer("weight", weight);
    this.registerBuffer("pos_weight", posWeight);
    this.options = rest;
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return binaryCrossEntropyWithLogits(input, target, {
      ...this.options,
      weight: this.getBuffer("weight"),
      posWeight: this.getBuffer("pos_weight"),
    });
  }
}

/** KL divergence of log-probabilities; see functional.klDiv. */
export class KLDivLoss extends Module {
  readonly options: Readonly<KlDivOptions>;

  constructor(options: KlDivOptions = {}) {
    super();
    this.options = { ...options };
  }

  override forward(input: Tensor, target: Tensor): Tensor {
    return klDiv(input, target, this.options);
  }
}
