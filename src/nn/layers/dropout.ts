import { type Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import { dropout } from "../functional/dropout.js";
import { Module } from "../module.js";
import { checkRange } from "./checks.js";

export interface DropoutOptions {
  /** Generator for the masks (the global one, seeded by manualSeed, by default). */
  generator?: Generator;
}

/**
 * Dropout (torch.nn.Dropout): in train mode zeroes each element with
 * probability p and scales the rest by 1/(1 - p); in eval mode it is the identity.
 */
export class Dropout extends Module {
  readonly p: number;
  readonly generator: Generator | undefined;

  constructor(p = 0.5, options: DropoutOptions = {}) {
    super();
    this.p = checkRange(p, "p", "Dropout", 0, 1);
    this.generator = options.generator;
  }

  override forward(x: Tensor): Tensor {
    return dropout(x, this.p, this.training, this.generator);
  }

  override extraRepr(): string {
    return `p=${this.p}`;
  }
}
