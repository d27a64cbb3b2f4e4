import { zeros } from "../creation.js";
import { gatherAlongData, scatterAddAlongData } from "../kernels/shapeGather.js";
import { normalizeAxis, type Shape, shapeToString } from "../shape.js";
import { emptyTensor, record, Tensor } from "../tensor.js";
import { checkIndexDType, checkIndexRange } from "./indexing-checks.js";
import { pad } from "./pad.js";

/**
 * torch.gather and torch.scatter_add, each the other's backward: gather
 * reads x at index along one axis, and its gradient is the upstream
 * gradient scatter-added into zeros at the same index (repeated indices
 * add); scatter_add's gradient for src is the upstream gradient gathered
 * at index.
 */

/**
 * A private copy of an index that a backward rule will read, so that a
 * caller reusing the index buffer (a data loader's batch) cannot change
 * the gradient after the forward pass.
 */
function snapshot(index: Tensor): Tensor {
  return new Tensor(index.data.slice(), index.shape);
}

function checkIndexShape(op: string, index: Tensor, other: Tensor, otherName: string, axis: number | null): void {
  if (index.ndim !== other.ndim) {
    throw new RangeError(
      `${op}: index of shape ${shapeToString(index.shape)} must have as many dimensions as ${otherName} of shape ${shapeToString(other.shape)} (${index.ndim} != ${other.ndim})`,
    );
  }
  for (let d = 0; d < index.ndim; d++) {
    if (d !== axis && index.shape[d]! > other.shape[d]!) {
      const except = axis === null ? "" : ` except along axis ${axis}`;
      throw new RangeError(
        `${op}: index of shape ${shapeToString(index.shape)} is larger than ${otherName} of shape ${shapeToString(other.shape)} at axis ${d} (index sizes must be <= ${otherName}'s${except})`,
      );
    }
  }
}

/**
 * out[p] = x[p with p[axis] replaced by index[p]] for every position p of
 * `index` (int32, same number of dimensions as x, no larger than x except
 * along `axis`), as torch.gather: for axis 1, out[i][j] = x[i][index[i][j]].
 */
export function gather(x: Tensor, axis: number, index: Tensor): Tensor {
  const values = checkIndexDType(index, "gather");
  const a = normalizeAxis(axis, x.ndim, "gather");
  checkIndexShape("gather", index, x, "input", a);
  checkIndexRange(values, index.shape, x.ndim === 0 ? 1 : x.shape[a]!, "gather", a);
  const out = emptyTensor(index.shape, x.dtype);
  gatherAlongData(x.data, x.shape, a, values, index.shape, out.data);
  const saved = x.requiresGrad ? snapshot(index) : index;
  return record(out, "gather", [x], (g) => [scatterAdd(zeros(x.shape, { dtype: g.dtype }), a, saved, g)]);
}

/** Zero-pads g (shaped like index) at the end of each axis up to `shape`. */
function padTo(g: Tensor, shape: Shape): Tensor {
  if (g.shape.every((d, i) => d === shape[i])) return g;
  const pads: number[] = [];
  for (let d = g.ndim - 1; d >= 0; d--) pads.push(0, shape[d]! - g.shape[d]!);
  return pad(g, pads);
}

/**
 * out = x, then out[p with p[axis] replaced by index[p]] += src[p] for every
 * position p of `index`, as torch.scatter_add: for axis 0,
 * out[index[i][j]][j] += src[i][j]. index (int32) may be smaller than src
 * (only its positions are used) and than x except along `axis`. Gradients:
 * x gets the upstream gradient, src gets it gathered at index (0 outside
 * index's shape).
 */
export function scatterAdd(x: Tensor, axis: number, index: Tensor, src: Tensor): Tensor {
  const values = checkIndexDType(index, "scatterAdd");
  const a = normalizeAxis(axis, x.ndim, "scatterAdd");
  if (src.dtype !== x.dtype) throw new TypeError(`scatterAdd: src has dtype ${src.dtype} but input has ${x.dtype}; they must match`);
  checkIndexShape("scatterAdd", index, x, "input", a);
  checkIndexShape("scatterAdd", index, src, "src", null);
  checkIndexRange(values, index.shape, x.ndim === 0 ? 1 : x.shape[a]!, "scatterAdd", a);
  const out = new Tensor(x.data.slice(), x.shape);
  scatterAddAlongData(out.data, x.shape, a, values, index.shape, src.data, src.shape);
  const saved = src.requiresGrad ? snapshot(index) : index;
  return record(out, "scatterAdd", [x, src], (g) => [g, src.requiresGrad ? padTo(gather(g, a, saved), src.shape) : null]);
}

declare module "../tensor.js" {
  interface Tensor {
    gather(axis: number, index: Tensor): Tensor;
    scatterAdd(axis: number, index: Tensor, src: Tensor): Tensor;
  }
}

Tensor.prototype.gather = function (this: Tensor, axis: number, index: Tensor) {
  return gather(this, axis, index);
};
Tensor.prototype.scatterAdd = function (this: Tensor, axis: number, index: Tensor, src: Tensor) {
  return scatterAdd(this, axis, index, src);
};
