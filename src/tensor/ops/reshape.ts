import { type Shape, shapeToString, shapesEqual, sizeOf } from "../shape.js";
import { allocate } from "../dtype.js";
import { forEachRow } from "../kernels/broadcast.js";
import { broadcastShapes, broadcastStrides } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { sum } from "./reduce.js";

/**
 * The same elements under a new shape; one dimension may be -1 and is
 * inferred. Shares memory with `x` (tensors are always contiguous).
 */
export function reshape(x: Tensor, shape: Shape): Tensor {
  const target = [...shape];
  const inferred = target.indexOf(-1);
  if (inferred !== target.lastIndexOf(-1)) {
    throw new RangeError(`reshape: only one dimension can be -1, got ${shapeToString(shape)}`);
  }
  for (const d of target) {
    if (!Number.isInteger(d) || d < -1) throw new RangeError(`reshape: invalid dimension in ${shapeToString(shape)}`);
  }
  if (inferred >= 0) {
    const known = sizeOf(target.filter((_, i) => i !== inferred));
    if (known === 0 || x.size % known !== 0) {
      throw new Error(`reshape: cannot reshape ${shapeToString(x.shape)} (${x.size} elements) into ${shapeToString(shape)}`);
    }
    target[inferred] = x.size / known;
  }
  if (sizeOf(target) !== x.size) {
    throw new Error(`reshape: cannot reshape ${shapeToString(x.shape)} (${x.size} elements) into ${shapeToString(shape)}`);
  }
  if (shapesEqual(target, x.shape) && !x.requiresGrad) return x;
  const out = new Tensor(x.data, target);
  return record(out, "reshape", [x], (g) => [reshape(g, x.shape)]);
}

/**
 * Repeats size-1 dimensions (and adds leading ones) to reach `shape`, like
 * torch.expand; -1 keeps a dimension. nabla tensors are contiguous, so this
 * copies. The gradient is summed back over the repeated dimensions.
 */
export function expand(x: Tensor, shape: Shape): Tensor {
  if (shape.length < x.ndim) {
    throw new Error(`expand: cannot expand ${shapeToString(x.shape)} to fewer dimensions ${shapeToString(shape)}`);
  }
  const lead = shape.length - x.ndim;
  shape.forEach((d, i) => {
    if (!Number.isInteger(d) || d < -1 || (d === -1 && i < lead)) {
      throw new RangeError(`expand: invalid size ${d} at dimension ${i} of ${shapeToString(shape)} (-1 only keeps an existing dimension)`);
    }
  });
  const target = shape.map((d, i) => (d === -1 ? x.shape[i - lead]! : d));
  for (let i = 0; i < x.ndim; i++) {
    const have = x.shape[i]!;
    const want = target[i + lead]!;
    if (have !== want && have !== 1) {
      throw new Error(`expand: cannot expand ${shapeToString(x.shape)} to ${shapeToString(shape)} (dimension ${i + lead}: ${have} vs ${want})`);
    }
  }
  const full = broadcastShapes(x.shape, target, "expand");
  if (shapesEqual(full, x.shape)) return x;
  const out = allocate(x.dtype, sizeOf(full));
  const src = x.data;
  forEachRow(full, broadcastStrides(x.shape, full), new Array<number>(full.length).fill(0), (ix, _b, io, n, sx) => {
    for (let j = 0; j < n; j++) out[io + j] = src[ix + j * sx]!;
  });
  return record(new Tensor(out, full), "expand", [x], (g) => [sumToShape(g, x.shape)]);
}

/** Sums a broadcast gradient back to the shape of the operand it came from. */
export function sumToShape(g: Tensor, shape: Shape): Tensor {
  if (shapesEqual(g.shape, shape)) return g;
  const lead = g.ndim - shape.length;
  const axes: number[] = [];
  for (let i = 0; i < g.ndim; i++) {
    if (i < lead || (shape[i - lead] === 1 && g.shape[i] !== 1)) axes.push(i);
  }
  return reshape(sum(g, axes, true), shape);
}

declare module "../tensor.js" {
  interface Tensor {
    reshape(shape: Shape): Tensor;
    /** Same as reshape: tensors are contiguous, so every reshape is a view. */
    view(shape: Shape): Tensor;
    expand(shape: Shape): Tensor;
  }
}

Tensor.prototype.reshape = function (this: Tensor, shape: Shape) {
  return reshape(this, shape);
};
Tensor.prototype.view = function (this: Tensor, shape: Shape) {
  return reshape(this, shape);
};
Tensor.prototype.expand = function (this: Tensor, shape: Shape) {
  return expand(this, shape);
};
