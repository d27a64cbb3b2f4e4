import { allocate } from "../dtype.js";
import { type MaxPoolGeometry, maxPoolKernel, poolOutputSize } from "../kernels/pool.js";
import { shapeToString } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { to } from "./cast.js";
import { intPair, type IntPair } from "./conv-args.js";
import { adaptivePlan, avgPoolPlan, windowAverage } from "./pool-average.js";
import { scatterPlanes } from "./pool-planes.js";

export { gatherPlanes, scatterPlanes } from "./pool-planes.js";
export { windowAverage, windowAverageTranspose } from "./pool-average.js";

/**
 * 2-D pooling over the last two dimensions of an (N, C, H, W) or unbatched
 * (C, H, W) input, with torch.nn.functional's conventions (see
 * conformance/nn/README.md): output size floor((H + 2p - d*(k-1) - 1)/s) + 1,
 * with ceilMode ceil(...) + 1, dropping a last window that would start in
 * the right padding.
 */

export interface MaxPool2dOptions {
  /** Default: kernelSize (null also means kernelSize, as in torch). */
  stride?: IntPair | null;
  /** Implicit -inf on each side, at most half the kernel; default 0. */
  padding?: IntPair;
  dilation?: IntPair;
  ceilMode?: boolean;
}

export interface AvgPool2dOptions {
  /** Default: kernelSize (null also means kernelSize). */
  stride?: IntPair | null;
  /** Implicit zeros on each side, at most half the kernel; default 0. */
  padding?: IntPair;
  ceilMode?: boolean;
  /** Count padding zeros in the divisor (default true). */
  countIncludePad?: boolean;
  /** Divide every window by this instead. */
  divisorOverride?: number | null;
}

interface Window {
  k: [number, number];
  s: [number, number];
  p: [number, number];
  d: [number, number];
  out: [number, number];
  h: number;
  w: number;
}

/** Validates a pooling call and computes its output size. */
function poolWindow(
  op: string, input: Tensor, kernelSize: IntPair, stride: IntPair | null | undefined, padding: IntPair | undefined,
  dilation: IntPair | undefined, ceilMode: boolean,
): Window {
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new Error(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${shapeToString(input.shape)}`);
  }
  const k = intPair(kernelSize, "kernelSize", op, 1);
  const s = stride === null || stride === undefined ? k : intPair(stride, "stride", op, 1);
  const p = intPair(padding ?? 0, "padding", op, 0);
  const d = intPair(dilation ?? 1, "dilation", op, 1);
  if (p[0] > Math.floor(k[0] / 2) || p[1] > Math.floor(k[1] / 2)) {
    throw new RangeError(`${op}: padding [${p.join(",")}] must be at most half the kernel size [${k.join(",")}]`);
  }
  const h = input.shape[input.ndim - 2]!;
  const w = input.shape[input.ndim - 1]!;
  const out: [number, number] = [poolOutputSize(h, k[0], s[0], p[0], d[0], ceilMode), poolOutputSize(w, k[1], s[1], p[1], d[1], ceilMode)];
  if (out[0] <= 0 || out[1] <= 0) {
    throw new Error(`${op}: input ${shapeToString(input.shape)} gives output size ${out[0]}x${out[1]}, which is too small (kernel [${k.join(",")}], padding [${p.join(",")}], dilation [${d.join(",")}])`);
  }
  return { k, s, p, d, out, h, w };
}

/**
 * torch.nn.functional.max_pool2d with return_indices: the maximum of each
 * window (padding is -inf) and its flat index h*W + w within the input
 * plane. Ties go to the first maximum in row-major window order; only it
 * gets the gradient, and overlapping windows add theirs. Backward scatters
 * g to the argmax positions (`scatterPlanes`, linear in g; its own backward
 * gathers at the same positions).
 */
export function maxPool2dWithIndices(input: Tensor, kernelSize: IntPair, options: MaxPool2dOptions = {}): { values: Tensor; indices: Tensor } {
  const win = poolWindow("maxPool2d", input, kernelSize, options.stride, options.padding, options.dilation, options.ceilMode ?? false);
  const geom: MaxPoolGeometry = {
    kh: win.k[0], kw: win.k[1], strideH: win.s[0], strideW: win.s[1], padH: win.p[0], padW: win.p[1],
    dilationH: win.d[0], dilationW: win.d[1], outH: win.out[0], outW: win.out[1],
  };
  const shape = [...input.shape.slice(0, -2), win.out[0], win.out[1]];
  const planes = input.size / Math.max(1, win.h * win.w);
  const count = planes * win.out[0] * win.out[1];
  const values = allocate(input.dtype, count);
  const indexData = new Int32Array(count);
  if (win.h * win.w > 0) maxPoolKernel(input.data, planes, win.h, win.w, geom, values, indexData);
  const indices = new Tensor(indexData, shape);
  const out = record(new Tensor(values, shape), "maxPool2d", [input], (g) => [scatterPlanes(g, indices, input.shape)]);
  return { values: out, indices };
}

/** torch.nn.functional.max_pool2d: the values of `maxPool2dWithIndices`. */
export function maxPool2d(input: Tensor, kernelSize: IntPair, options: MaxPool2dOptions = {}): Tensor {
  return maxPool2dWithIndices(input, kernelSize, options).values;
}

/**
 * torch.nn.functional.avg_pool2d: window (i, j) sums the input inside
 * rows [i*s - p, i*s - p + k) ∩ [0, H) (columns alike) and divides by
 * `divisorOverride`, or with countIncludePad (default) by the window
 * clipped to the padded input, (min(h0+k, H+p) - h0) * (min(w0+k, W+p) - w0),
 * or else by the number of input elements it covers. Linear, so backward
 * is the transpose map (and double backward the map itself). int32 input
 * gives float32.
 */
export function avgPool2d(input: Tensor, kernelSize: IntPair, options: AvgPool2dOptions = {}): Tensor {
  const win = poolWindow("avgPool2d", input, kernelSize, options.stride, options.padding, 1, options.ceilMode ?? false);
  const override = options.divisorOverride ?? null;
  if (override !== null && (!Number.isInteger(override) || override === 0)) {
    throw new RangeError(`avgPool2d: divisorOverride must be a non-zero integer, got ${override}`);
  }
  const plan = avgPoolPlan(win.h, win.w, win.k, win.s, win.p, win.out[0], win.out[1], options.countIncludePad ?? true, override);
  return windowAverage(input.dtype === "int32" ? to(input, "float32") : input, plan);
}

/**
 * torch.nn.functional.adaptive_avg_pool2d: output cell (i, j) averages
 * input rows [floor(i*H/oh), ceil((i+1)*H/oh)) and the columns alike;
 * windows overlap when H is not a multiple of oh, and oh may exceed H.
 * A number applies to both dimensions; null keeps that input size.
 */
export function adaptiveAvgPool2d(input: Tensor, outputSize: number | readonly [number | null, number | null]): Tensor {
  const op = "adaptiveAvgPool2d";
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new Error(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${shapeToString(input.shape)}`);
  }
  const h = input.shape[input.ndim - 2]!;
  const w = input.shape[input.ndim - 1]!;
  if (h === 0 || w === 0) throw new Error(`${op}: input ${shapeToString(input.shape)} has an empty spatial dimension`);
  const sizes = typeof outputSize === "number" ? [outputSize, outputSize] : outputSize;
  if (!Array.isArray(sizes) || sizes.length !== 2) {
    throw new RangeError(`${op}: outputSize must be a number or a pair, got ${String(outputSize)}`);
  }
  const oh = sizes[0] ?? h;
  const ow = sizes[1] ?? w;
  for (const v of [oh, ow]) {
    if (!Number.isInteger(v) || v < 0) throw new RangeError(`${op}: output sizes must be non-negative integers or null, got [${sizes.join(",")}]`);
  }
  return windowAverage(input.dtype === "int32" ? to(input, "float32") : input, adaptivePlan(h, w, oh, ow));
}

declare module "../tensor.js" {
  interface Tensor {
    maxPool2d(kernelSize: IntPair, options?: MaxPool2dOptions): Tensor;
    maxPool2dWithIndices(kernelSize: IntPair, options?: MaxPool2dOptions): { values: Tensor; indices: Tensor };
    avgPool2d(kernelSize: IntPair, options?: AvgPool2dOptions): Tensor;
    adaptiveAvgPool2d(outputSize: number | readonly [number | null, number | null]): Tensor;
  }
}

Tensor.prototype.maxPool2d = function (this: Tensor, kernelSize: IntPair, options?: MaxPool2dOptions) {
  return maxPool2d(this, kernelSize, options);
};
Tensor.prototype.maxPool2dWithIndices = function (this: Tensor, kernelSize: IntPair, options?: MaxPool2dOptions) {
  return maxPool2dWithIndices(this, kernelSize, options);
};
Tensor.prototype.avgPool2d = function (this: Tensor, kernelSize: IntPair, options?: AvgPool2dOptions) {
  return avgPool2d(this, kernelSize, options);
};
Tensor.prototype.adaptiveAvgPool2d = function (this: Tensor, outputSize: number | readonly [number | null, number | null]) {
  return adaptiveAvgPool2d(this, outputSize);
};
