import { allocate } from "../dtype.js";
import { col2imKernel, type ConvGeometry, convOutputShape, im2colKernel } from "../kernels/im2col.js";
import { type Shape, shapeToString } from "../shape.js";
import { record, Tensor } from "../tensor.js";

export type { ConvGeometry } from "../kernels/im2col.js";

/**
 * im2col and col2im as differentiable ops. Both are linear and each is the
 * other's transpose, so each one's backward is the other: conv2d composed
 * from them and matmul differentiates to any order.
 */

/**
 * Unfolds x [N, C, H, W] into the column matrix [C*kh*kw, N*OH*OW]
 * (layout in kernels/im2col.ts): column (n, oh, ow) holds the receptive
 * field of output position (oh, ow) of sample n, zero where it covers padding.
 */
export function im2col(x: Tensor, geom: ConvGeometry): Tensor {
  if (x.ndim !== 4) throw new Error(`im2col: expected a 4-D input [N, C, H, W], got shape ${shapeToString(x.shape)}`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [oh, ow] = convOutputShape(geom, h, w);
  if (oh <= 0 || ow <= 0) {
    throw new Error(`im2col: output size ${oh}x${ow} for input ${shapeToString(x.shape)} is too small (kernel ${geom.kh}x${geom.kw} larger than the padded input)`);
  }
  const cols = allocate(x.dtype, c * geom.kh * geom.kw * n * oh * ow);
  im2colKernel(x.data, n, c, h, w, geom, cols);
  const out = new Tensor(cols, [c * geom.kh * geom.kw, n * oh * ow]);
  return record(out, "im2col", [x], (g) => [col2im(g, x.shape, geom)]);
}

/**
 * Folds a column matrix [C*kh*kw, N*OH*OW] back into an image of
 * `shape` [N, C, H, W], adding overlapping entries: the transpose of im2col.
 */
export function col2im(cols: Tensor, shape: Shape, geom: ConvGeometry): Tensor {
  if (shape.length !== 4) throw new Error(`col2im: expected a 4-D output shape [N, C, H, W], got ${shapeToString(shape)}`);
  const [n, c, h, w] = shape as [number, number, number, number];
  const [oh, ow] = convOutputShape(geom, h, w);
  const rows = c * geom.kh * geom.kw;
  if (cols.ndim !== 2 || cols.shape[0] !== rows || cols.shape[1] !== n * oh * ow) {
    throw new Error(`col2im: columns of shape ${shapeToString(cols.shape)} do not fit image ${shapeToString(shape)} (expected [${rows},${n * oh * ow}])`);
  }
  const image = allocate(cols.dtype, n * c * h * w);
  col2imKernel(cols.data, n, c, h, w, geom, image);
  const out = new Tensor(image, shape);
  return record(out, "col2im", [cols], (g) => [im2col(g, geom)]);
}
