import { allocate } from "../dtype.js";
import { gatherPlanesKernel, scatterPlanesKernel } from "../kernels/pool.js";
import { type Shape, shapeToString, sizeOf } from "../shape.js";
import { record, Tensor } from "../tensor.js";

/**
 * Gather and scatter-add within planes, the linear maps behind max
 * pooling's backward. A tensor [..., H, W] is a stack of H*W planes; an
 * int32 index [..., OH, OW] with the same leading dimensions picks a flat
 * position h*W + w in its plane (-1 picks nothing). Each op is the other's
 * transpose, hence its backward: max pooling differentiates to any order.
 */

function planeLayout(index: Tensor, shape: Shape, op: string): { planeSize: number; perPlane: number } {
  if (index.dtype !== "int32") throw new TypeError(`${op}: index must be int32, got ${index.dtype}`);
  if (shape.length < 2 || index.ndim !== shape.length || shapeToString(index.shape.slice(0, -2)) !== shapeToString(shape.slice(0, -2))) {
    throw new Error(`${op}: index of shape ${shapeToString(index.shape)} does not share the leading dimensions of planes ${shapeToString(shape)}`);
  }
  const planeSize = shape[shape.length - 2]! * shape[shape.length - 1]!;
  for (const v of index.data) {
    if (v < -1 || v >= planeSize) throw new RangeError(`${op}: index ${v} is out of range for planes of ${planeSize} elements`);
  }
  return { planeSize, perPlane: index.shape[index.ndim - 2]! * index.shape[index.ndim - 1]! };
}

/** out[..., i, j] = src[..., flat index[..., i, j]] (0 where the index is -1). */
export function gatherPlanes(src: Tensor, index: Tensor): Tensor {
  const { planeSize, perPlane } = planeLayout(index, src.shape, "gatherPlanes");
  const out = allocate(src.dtype, index.size);
  gatherPlanesKernel(src.data, planeSize, index.data as Int32Array, perPlane, out);
  return record(new Tensor(out, index.shape), "gatherPlanes", [src], (g) => [scatterPlanes(g, index, src.shape)]);
}

/** A zero tensor of `shape` with values[..., i, j] added at flat position index[..., i, j] of its plane. */
export function scatterPlanes(values: Tensor, index: Tensor, shape: Shape): Tensor {
  const { planeSize, perPlane } = planeLayout(index, shape, "scatterPlanes");
  if (shapeToString(values.shape) !== shapeToString(index.shape)) {
    throw new Error(`scatterPlanes: values of shape ${shapeToString(values.shape)} must match index ${shapeToString(index.shape)}`);
  }
  const out = allocate(values.dtype, sizeOf(shape));
  scatterPlanesKernel(values.data, planeSize, index.data as Int32Array, perPlane, out);
  return record(new Tensor(out, shape), "scatterPlanes", [values], (g) => [gatherPlanes(g, index)]);
}
