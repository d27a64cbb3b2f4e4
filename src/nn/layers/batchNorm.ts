import { type DType } from "../../tensor/dtype.js";
import { full, zeros } from "../../tensor/creation.js";
import { shapeToString } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { batchNorm } from "../functional/normalization.js";
import { Module } from "../module.js";
import { checkInt, checkRange, paramDType } from "./checks.js";

export interface BatchNormLayerOptions {
  eps?: number;
  /** Running-average factor (default 0.1); null averages every batch equally (a cumulative mean). */
  momentum?: number | null;
  /** Learn a per-channel scale and shift (default true). */
  affine?: boolean;
  /** Keep running statistics for eval mode (default true). */
  trackRunningStats?: boolean;
  dtype?: DType;
}

/**
 * Shared by BatchNorm1d and BatchNorm2d (torch's _BatchNorm). Buffers use
 * torch's names for interop: running_mean, running_var, num_batches_tracked.
 */
abstract class BatchNormBase extends Module {
  readonly numFeatures: number;
  readonly eps: number;
  readonly momentum: number | null;
  readonly affine: boolean;
  readonly trackRunningStats: boolean;
  weight: Tensor | null;
  bias: Tensor | null;

  protected abstract checkInput(x: Tensor): void;

  constructor(numFeatures: number, options: BatchNormLayerOptions, name: string) {
    super();
    this.numFeatures = checkInt(numFeatures, "numFeatures", name);
    this.eps = checkRange(options.eps ?? 1e-5, "eps", name, 0, Infinity);
    const momentum = options.momentum === undefined ? 0.1 : options.momentum;
    this.momentum = momentum === null ? null : checkRange(momentum, "momentum", name, 0, 1);
    this.affine = options.affine ?? true;
    this.trackRunningStats = options.trackRunningStats ?? true;
    const dtype = paramDType(options.dtype, name);
    this.weight = this.registerParameter("weight", this.affine ? full([numFeatures], 1, { dtype }) : null);
    this.bias = this.registerParameter("bias", this.affine ? zeros([numFeatures], { dtype }) : null);
    if (this.trackRunningStats) {
      this.registerBuffer("running_mean", zeros([numFeatures], { dtype }));
      this.registerBuffer("running_var", full([numFeatures], 1, { dtype }));
      this.registerBuffer("num_batches_tracked", zeros([], { dtype: "int32" }));
    }
  }

  /** The running mean (torch's running_mean), or null without trackRunningStats. */
  get runningMean(): Tensor | null {
    return this.trackRunningStats ? this.getBuffer("running_mean") : null;
  }

  get runningVar(): Tensor | null {
    return this.trackRunningStats ? this.getBuffer("running_var") : null;
  }

  /** Number of training batches seen (an int32 0-d tensor), or null without trackRunningStats. */
  get numBatchesTracked(): Tensor | null {
    return this.trackRunningStats ? this.getBuffer("num_batches_tracked") : null;
  }

  /** Resets the running statistics to mean 0, variance 1 and the batch count to 0. */
  resetRunningStats(): void {
    this.runningMean?.data.fill(0);
    this.runningVar?.data.fill(1);
    this.numBatchesTracked?.data.fill(0);
  }

  /**
   * Train mode (or no running statistics): normalise with the batch mean and
   * biased variance; with running statistics, count the batch and fold it
   * in with factor momentum, or 1/numBatchesTracked when momentum is null.
   * Eval mode: normalise with the running statistics.
   */
  override forward(x: Tensor): Tensor {
    this.checkInput(x);
    if (x.shape[1] !== this.numFeatures) {
      throw new Error(`${this.constructor.name}: expected ${this.numFeatures} channels (dimension 1), got input shape ${shapeToString(x.shape)}`);
    }
    const useBatchStats = this.training || !this.trackRunningStats;
    let factor = 0;
    const counter = this.numBatchesTracked;
    if (this.training && counter !== null) {
      // Checked here so that a failing call leaves the counter as it was.
      if (x.size / this.numFeatures <= 1) {
        throw new Error(`${this.constructor.name}: expected more than 1 value per channel when training, got input shape ${shapeToString(x.shape)}`);
      }
      counter.data[0] = counter.data[0]! + 1;
      factor = this.momentum ?? 1 / counter.data[0]!;
    }
    const update = this.training && this.trackRunningStats;
    return batchNorm(x, update || !useBatchStats ? this.runningMean : null, update || !useBatchStats ? this.runningVar : null, {
      weight: this.weight,
      bias: this.bias,
      training: useBatchStats,
      momentum: factor,
      eps: this.eps,
    });
  }

  override extraRepr(): string {
    return `${this.numFeatures}, eps=${this.eps}, momentum=${this.momentum}, affine=${this.affine}, trackRunningStats=${this.trackRunningStats}`;
  }
}

/** Batch normalization over (N, C) or (N, C, L) input, per channel (torch.nn.BatchNorm1d). */
export class BatchNorm1d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, "BatchNorm1d");
  }

  protected checkInput(x: Tensor): void {
    if (x.ndim !== 2 && x.ndim !== 3) throw new Error(`BatchNorm1d: expected 2-D or 3-D input, got shape ${shapeToString(x.shape)}`);
  }
}

/** Batch normalization over (N, C, H, W) input, per channel (torch.nn.BatchNorm2d). */
export class BatchNorm2d extends BatchNormBase {
  constructor(numFeatures: number, options: BatchNormLayerOptions = {}) {
    super(numFeatures, options, "BatchNorm2d");
  }

  protected checkInput(x: Tensor): void {
    if (x.ndim !== 4) throw new Error(`BatchNorm2d: expected 4-D input (N, C, H, W), got shape ${shapeToString(x.shape)}`);
  }
}
