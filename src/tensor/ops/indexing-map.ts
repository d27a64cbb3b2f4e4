import { type AxisMaps, putAxesData, takeAxesData } from "../kernels/shapeAxes.js";
import { type Shape } from "../shape.js";
import { emptyTensor, record, type Tensor } from "../tensor.js";

/**
 * The differentiable pair behind slicing, narrowing, tiling, padding and
 * index_select: `takeAxes` reads x through per-axis index maps (see
 * kernels/shapeAxes.ts) and `putAxes` sums a tensor back through the same
 * maps. Each is the other's adjoint, so each is the other's backward rule,
 * which makes every op built on them differentiable to any order.
 */

/** out[o] = x[m_0[o_0], ..., m_k[o_k]] (`fill` where a map entry is -1); backward: putAxes. */
export function takeAxes(x: Tensor, maps: AxisMaps, outShape: Shape, name: string, fill = 0): Tensor {
  const out = emptyTensor(outShape, x.dtype);
  takeAxesData(x.data, x.shape, maps, outShape, out.data, fill);
  return record(out, name, [x], (g) => [putAxes(g, maps, x.shape, name)]);
}

/**
 * The adjoint of takeAxes: a tensor of `inShape`, zero except that every
 * element of g is added at the input position its maps point to (repeated
 * positions sum; -1 entries are dropped). Backward: takeAxes with fill 0.
 */
export function putAxes(g: Tensor, maps: AxisMaps, inShape: Shape, name: string): Tensor {
  const out = emptyTensor(inShape, g.dtype);
  putAxesData(g.data, g.shape, maps, inShape, out.data);
  return record(out, `${name}Backward`, [g], (gg) => [takeAxes(gg, maps, g.shape, name)]);
}
