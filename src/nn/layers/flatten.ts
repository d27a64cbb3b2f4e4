import { flatten } from "../../tensor/index.js";
import { normalizeAxis, shapeToString, sizeOf } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { Module } from "../module.js";

/** Merges dimensions startDim..endDim (inclusive, may be negative) into one (torch.nn.Flatten). */
export class Flatten extends Module {
  readonly startDim: number;
  readonly endDim: number;

  constructor(startDim = 1, endDim = -1) {
    super();
    if (!Number.isInteger(startDim) || !Number.isInteger(endDim)) {
      throw new TypeError(`Flatten: startDim and endDim must be integers, got ${startDim} and ${endDim}`);
    }
    this.startDim = startDim;
    this.endDim = endDim;
  }

  override forward(x: Tensor): Tensor {
    return flatten(x, this.startDim, this.endDim);
  }

  override extraRepr(): string {
    return `startDim=${this.startDim}, endDim=${this.endDim}`;
  }
}

/** Splits dimension `dim` into `unflattenedSize` (torch.nn.Unflatten); one size may be -1. */
export class Unflatten extends Module {
  readonly dim: number;
  readonly unflattenedSize: readonly number[];

  constructor(dim: number, unflattenedSize: readonly number[]) {
    super();
    if (!Number.isInteger(dim)) throw new TypeError(`Unflatten: dim must be an integer, got ${dim}`);
    if (unflattenedSize.length === 0 || unflattenedSize.some((d) => !Number.isInteger(d) || d < -1)) {
      throw new RangeError(`Unflatten: unflattenedSize must be a non-empty list of sizes (one may be -1), got ${shapeToString(unflattenedSize)}`);
    }
    this.dim = dim;
    this.unflattenedSize = [...unflattenedSize];
  }

  override forward(x: Tensor): Tensor {
    const d = normalizeAxis(this.dim, x.ndim, "Unflatten");
    const sizes = [...this.unflattenedSize];
    const known = sizeOf(sizes.filter((s) => s !== -1));
    const n = x.shape[d]!;
    const inferred = sizes.indexOf(-1);
    if (inferred >= 0 && known > 0 && n % known === 0) sizes[inferred] = n / known;
    if (sizeOf(sizes) !== n) {
      throw new Error(`Unflatten: dimension ${d} of size ${n} cannot be split into ${shapeToString(this.unflattenedSize)}`);
    }
    return x.reshape([...x.shape.slice(0, d), ...sizes, ...x.shape.slice(d + 1)]);
  }

  override extraRepr(): string {
    return `dim=${this.dim}, unflattenedSize=${shapeToString(this.unflattenedSize)}`;
  }
}
