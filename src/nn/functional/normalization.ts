import { noGrad } from "../../autograd/noGrad.js";
import { rsqrt } from "../../tensor/index.js";
import { shapeToString } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";

/**
 * Normalization layers as functions: batchNorm, layerNorm, groupNorm. Each
 * is composed of tensor ops (mean, subtract, square, mean, rsqrt), so the
 * gradient flows through the statistics and is differentiable again. The
 * variance is computed from centred values (two passes), which keeps
 * float32 accurate for inputs far from zero.
 */

/** (x - mean) / sqrt(var + eps) with the biased variance over `axes`. */
function standardize(x: Tensor, axes: readonly number[], eps: number): { y: Tensor; mean: Tensor; variance: Tensor } {
  const mean = x.mean(axes, true);
  const centred = x.sub(mean);
  const variance = centred.mul(centred).mean(axes, true);
  return { y: centred.mul(rsqrt(variance.add(eps))), mean, variance };
}

/** Shape [1, C, 1, ...] for per-channel tensors against an (N, C, ...) input. */
function channelShape(ndim: number, channels: number): number[] {
  return Array.from({ length: ndim }, (_, i) => (i === 1 ? channels : 1));
}

function checkEps(eps: number, op: string): void {
  if (typeof eps !== "number" || !(eps >= 0)) throw new RangeError(`${op}: eps must be a non-negative number, got ${String(eps)}`);
}

function checkChannelTensor(t: Tensor | null | undefined, channels: number, name: string, op: string): void {
  if (t != null && (t.ndim !== 1 || t.shape[0] !== channels)) {
    throw new Error(`${op}: ${name} must have shape [${channels}], got ${shapeToString(t.shape)}`);
  }
}

export interface BatchNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  /** Use the batch statistics (and update the running ones). Default false, as torch. */
  training?: boolean;
  /** The running-average factor f: running = (1 - f) * running + f * batch (default 0.1). */
  momentum?: number;
  eps?: number;
}

/**
 * Batch normalization over an (N, C, ...) input, per channel over every
 * other dimension (Ioffe & Szegedy, 2015; torch.nn.functional.batch_norm).
 * Training: y = (x - mean) / sqrt(var + eps) * weight + bias with the batch
 * mean and biased variance, and (when given) the running statistics are
 * updated in place: running_mean = (1-f) running_mean + f mean,
 * running_var = (1-f) running_var + f var * n/(n-1). Otherwise the running
 * statistics normalise and nothing changes.
 */
export function batchNorm(x: Tensor, runningMean: Tensor | null, runningVar: Tensor | null, options: BatchNormOptions = {}): Tensor {
  const { weight = null, bias = null, training = false, momentum = 0.1, eps = 1e-5 } = options;
  if (x.ndim < 2) throw new Error(`batchNorm: expected an input of at least 2 dimensions (N, C, ...), got shape ${shapeToString(x.shape)}`);
  const channels = x.shape[1]!;
  checkEps(eps, "batchNorm");
  checkChannelTensor(weight, channels, "weight", "batchNorm");
  checkChannelTensor(bias, channels, "bias", "batchNorm");
  checkChannelTensor(runningMean, channels, "runningMean", "batchNorm");
  checkChannelTensor(runningVar, channels, "runningVar", "batchNorm");
  const cshape = channelShape(x.ndim, channels);
  let y: Tensor;
  if (training) {
    const n = x.size / Math.max(channels, 1);
    if (n <= 1) {
      throw new Error(`batchNorm: expected more than 1 value per channel when training, got input shape ${shapeToString(x.shape)}`);
    }
    if (typeof momentum !== "number" || !(momentum >= 0 && momentum <= 1)) {
      throw new RangeError(`batchNorm: momentum must be in [0, 1], got ${String(momentum)}`);
    }
    const axes = Array.from({ length: x.ndim }, (_, i) => i).filter((i) => i !== 1);
    const s = standardize(x, axes, eps);
    y = s.y;
    noGrad(() => {
      const f = momentum;
      if (runningMean !== null) {
        const rm = runningMean.data;
        for (let c = 0; c < channels; c++) rm[c] = (1 - f) * rm[c]! + f * s.mean.data[c]!;
      }
      if (runningVar !== null) {
        const rv = runningVar.data;
        for (let c = 0; c < channels; c++) rv[c] = (1 - f) * rv[c]! + (f * s.variance.data[c]! * n) / (n - 1);
      }
    });
  } else {
    if (runningMean === null || runningVar === null) {
      throw new Error("batchNorm: running statistics are required when not training");
    }
    y = x.sub(runningMean.reshape(cshape)).mul(rsqrt(runningVar.add(eps)).reshape(cshape));
  }
  if (weight !== null) y = y.mul(weight.reshape(cshape));
  if (bias !== null) y = y.add(bias.reshape(cshape));
  return y;
}

export interface LayerNormOptions {
  weight?: Tensor | null;
  bias?: Tensor | null;
  eps?: number;
}

/**
 * Layer normalization over the trailing dimensions `normalizedShape`
 * (Ba et al., 2016; torch.nn.functional.layer_norm): each sample's last
 * dimensions are standardised with their mean and biased variance, then
 * scaled by weight and shifted by bias (both shaped `normalizedShape`).
 */
export function layerNorm(x: Tensor, normalizedShape: readonly number[], options: LayerNormOptions = {}): Tensor {
  const { weight = null, bias = null, eps = 1e-5 } = options;
  checkEps(eps, "layerNorm");
  const k = normalizedShape.length;
  const trailing = x.shape.slice(x.ndim - k);
  if (k === 0 || k > x.ndim || trailing.some((d, i) => d !== normalizedShape[i])) {
    throw new Error(
      `layerNorm: input shape ${shapeToString(x.shape)} does not end with normalizedShape ${shapeToString(normalizedShape)}`,
    );
  }
  for (const [name, t] of [["weight", weight], ["bias", bias]] as const) {
    if (t !== null && shapeToString(t.shape) !== shapeToString(normalizedShape)) {
      throw new Error(`layerNorm: ${name} must have shape ${shapeToString(normalizedShape)}, got ${shapeToString(t.shape)}`);
    }
  }
  const axes = Array.from({ length: k }, (_, i) => x.ndim - k + i);
  let y = standardize(x, axes, eps).y;
  if (weight !== null) y = y.mul(weight);
  if (bias !== null) y = y.add(bias);
  return y;
}

/**
 * Group normalization (Wu & He, 2018; torch.nn.functional.group_norm): the
 * C channels of an (N, C, ...) input form `numGroups` contiguous groups, each
 * standardised per sample with its mean and biased variance; weight and
 * bias are per channel.
 */
export function groupNorm(x: Tensor, numGroups: number, options: LayerNormOptions = {}): Tensor {
  const { weight = null, bias = null, eps = 1e-5 } = options;
  checkEps(eps, "groupNorm");
  if (x.ndim < 2) throw new Error(`groupNorm: expected an input of at least 2 dimensions (N, C, ...), got shape ${shapeToString(x.shape)}`);
  const channels = x.shape[1]!;
  if (!Number.isInteger(numGroups) || numGroups < 1 || channels % numGroups !== 0) {
    throw new Error(`groupNorm: ${channels} channels cannot be split into ${numGroups} groups`);
  }
  checkChannelTensor(weight, channels, "weight", "groupNorm");
  checkChannelTensor(bias, channels, "bias", "groupNorm");
  const grouped = x.reshape([x.shape[0]!, numGroups, -1]);
  let y = standardize(grouped, [2], eps).y.reshape(x.shape);
  const cshape = channelShape(x.ndim, channels);
  if (weight !== null) y = y.mul(weight.reshape(cshape));
  if (bias !== null) y = y.add(bias.reshape(cshape));
  return y;
}
