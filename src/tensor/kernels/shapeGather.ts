import { type TypedArray } from "../dtype.js";
import { type Shape, stridesOf } from "../shape.js";
import { forEachRow } from "./broadcast.js";

/**
 * Reference kernels for torch.gather and torch.scatter_add along one axis.
 * Both walk the positions p of `index` row-major; the input offset of p is
 * its own coordinates on every other axis plus index[p] on `axis`, so the
 * walk uses the input's strides with the axis stride zeroed and adds
 * index[p] * stride(axis) per element. Index values are checked by the op
 * before these run.
 */

function walkStrides(shape: Shape, axis: number): { walk: number[]; axisStride: number } {
  const walk = stridesOf(shape);
  const axisStride = walk[axis] ?? 1;
  if (walk.length > 0) walk[axis] = 0;
  return { walk, axisStride };
}

/** dst[p] = src[p with p[axis] = index[p]]; dst has index's shape. */
export function gatherAlongData(src: TypedArray, shape: Shape, axis: number, index: Int32Array, indexShape: Shape, dst: TypedArray): void {
  const { walk, axisStride } = walkStrides(shape, axis);
  forEachRow(indexShape, walk, walk, (ix, _unused, io, n, sx) => {
    for (let j = 0; j < n; j++) dst[io + j] = src[ix + j * sx + index[io + j]! * axisStride]!;
  });
}

/**
 * dst[p with p[axis] = index[p]] += src[p] for every position p of index
 * (src may be larger than index: only index's positions are read).
 */
export function scatterAddAlongData(
  dst: TypedArray,
  shape: Shape,
  axis: number,
  index: Int32Array,
  indexShape: Shape,
  src: TypedArray,
  srcShape: Shape,
): void {
  const { walk, axisStride } = walkStrides(shape, axis);
  forEachRow(indexShape, walk, stridesOf(srcShape), (id, is, io, n, sd, ss) => {
    for (let j = 0; j < n; j++) {
      const k = id + j * sd + index[io + j]! * axisStride;
      dst[k] = dst[k]! + src[is + j * ss]!;
    }
  });
}
