import { type DType, promoteTypes } from "../dtype.js";
import { type ConvGeometry, convOutputShape } from "../kernels/im2col.js";
import { shapeToString } from "../shape.js";
import { Tensor } from "../tensor.js";
import { add } from "./arithmetic.js";
import { to } from "./cast.js";
import { intPair, type IntPair } from "./conv-args.js";
import { swapLeadingAxes } from "./conv-layout.js";
import { im2col } from "./im2col.js";
import { matmulT } from "./linalg-core.js";
import { reshape } from "./reshape.js";

export { col2im, im2col } from "./im2col.js";
export type { ConvGeometry } from "../kernels/im2col.js";
export type { IntPair } from "./conv-args.js";

export interface Conv2dOptions {
  /** Step between windows; default 1. */
  stride?: IntPair;
  /**
   * Zeros added on each side: an int or [ph, pw] (both sides alike),
   * "valid" (none) or "same" (output size = input size; stride 1 only).
   */
  padding?: IntPair | "same" | "valid";
  /** Spacing between kernel taps; default 1. */
  dilation?: IntPair;
  /** Channel groups: output block g sees only input block g; default 1. */
  groups?: number;
}

/** Resolves conv2d's padding to [top, bottom, left, right]; "same" puts the odd extra at the bottom/right, as torch does. */
function resolvePadding(padding: Conv2dOptions["padding"], k: [number, number], d: [number, number], stride: [number, number]): [number, number, number, number] {
  if (padding === "valid") return [0, 0, 0, 0];
  if (padding === "same") {
    if (stride[0] !== 1 || stride[1] !== 1) {
      throw new Error(`conv2d: padding "same" needs stride 1, got stride [${stride.join(",")}]`);
    }
    const th = d[0] * (k[0] - 1);
    const tw = d[1] * (k[1] - 1);
    return [Math.floor(th / 2), th - Math.floor(th / 2), Math.floor(tw / 2), tw - Math.floor(tw / 2)];
  }
  if (typeof padding === "string") throw new RangeError(`conv2d: padding must be a number, a pair, "same" or "valid", got "${String(padding)}"`);
  const [ph, pw] = intPair(padding ?? 0, "padding", "conv2d", 0);
  return [ph, ph, pw, pw];
}

/**
 * torch.nn.functional.conv2d: 2-D cross-correlation (no kernel flip) over
 * NCHW input, weight [O, C/groups, kh, kw], optional bias [O]:
 *
 *   out[n, o, y, x] = b[o] + sum_{c, i, j} w[o, c, i, j] * xpad[n, g*C/groups + c, y*sh + i*dh, x*sw + j*dw]
 *
 * with g = the group of o; output size floor((H + pt + pb - dh*(kh-1) - 1)/sh) + 1.
 * A 3-D input (C, H, W) is one unbatched sample. Built from differentiable
 * pieces: im2col unfolds the input to [C*kh*kw, N*OH*OW], one GEMM per group
 * multiplies it by the weight viewed as [O/groups, C/groups*kh*kw], and the
 * [O, N, OH*OW] result is reordered to NCHW; so backward (col2im, the
 * transposed GEMMs) and double backward follow. int32 operands compute in float32.
 */
export function conv2d(input: Tensor, weight: Tensor, bias?: Tensor | null, options: Conv2dOptions = {}): Tensor {
  const op = "conv2d";
  if (input.ndim !== 3 && input.ndim !== 4) {
    throw new Error(`${op}: expected a 3-D (C, H, W) or 4-D (N, C, H, W) input, got shape ${shapeToString(input.shape)}`);
  }
  if (weight.ndim !== 4) throw new Error(`${op}: weight must be 4-D [out, in/groups, kh, kw], got shape ${shapeToString(weight.shape)}`);
  const groups = options.groups ?? 1;
  if (!Number.isInteger(groups) || groups < 1) throw new RangeError(`${op}: groups must be a positive integer, got ${groups}`);
  const batched = input.ndim === 4;
  const [n, c, h, w] = (batched ? input.shape : [1, ...input.shape]) as [number, number, number, number];
  const [o, cg, kh, kw] = weight.shape as [number, number, number, number];
  if (cg * groups !== c) {
    throw new Error(`${op}: weight ${shapeToString(weight.shape)} with groups ${groups} expects ${cg * groups} input channels, got input ${shapeToString(input.shape)} with ${c}`);
  }
  if (o % groups !== 0) throw new Error(`${op}: out channels ${o} (weight ${shapeToString(weight.shape)}) must be divisible by groups ${groups}`);
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== o)) throw new Error(`${op}: bias must have shape [${o}], got ${shapeToString(bias.shape)}`);
  const stride = intPair(options.stride ?? 1, "stride", op, 1);
  const dilation = intPair(options.dilation ?? 1, "dilation", op, 1);
  const [padTop, padBottom, padLeft, padRight] = resolvePadding(options.padding, [kh, kw], dilation, stride);
  const geom: ConvGeometry = {
    kh, kw, strideH: stride[0], strideW: stride[1], padTop, padBottom, padLeft, padRight, dilationH: dilation[0], dilationW: dilation[1],
  };
  const [oh, ow] = convOutputShape(geom, h, w);
  if (oh <= 0 || ow <= 0) {
    throw new Error(
      `${op}: input ${shapeToString(input.shape)} padded to ${h + padTop + padBottom}x${w + padLeft + padRight} is smaller than the dilated kernel ${dilation[0] * (kh - 1) + 1}x${dilation[1] * (kw - 1) + 1}`,
    );
  }

  let dtype: DType = promoteTypes(promoteTypes(input.dtype, weight.dtype), bias ? bias.dtype : "float32");
  if (dtype === "int32") dtype = "float32";
  const x = to(batched ? input : reshape(input, [1, c, h, w]), dtype);
  const wt = to(weight, dtype);
  const cols = im2col(x, geom);
  const depth = cg * kh * kw;
  const positions = n * oh * ow;
  let out =
    groups === 1
      ? matmulT(reshape(wt, [o, depth]), cols)
      : reshape(matmulT(reshape(wt, [groups, o / groups, depth]), reshape(cols, [groups, depth, positions])), [o, positions]);
  if (bias) out = add(out, reshape(to(bias, dtype), [o, 1]));
  out = n === 1 ? out : swapLeadingAxes(reshape(out, [o, n, oh * ow]));
  return reshape(out, batched ? [n, o, oh, ow] : [o, oh, ow]);
}

declare module "../tensor.js" {
  interface Tensor {
    /** conv2d with this tensor as input; see `conv2d`. */
    conv2d(weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions): Tensor;
  }
}

Tensor.prototype.conv2d = function (this: Tensor, weight: Tensor, bias?: Tensor | null, options?: Conv2dOptions) {
  return conv2d(this, weight, bias, options);
};
