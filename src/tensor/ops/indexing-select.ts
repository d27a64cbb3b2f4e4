import { allocate } from "../dtype.js";
import { normalizeAxis, shapeToString } from "../shape.js";
import { Tensor } from "../tensor.js";
import { checkIndexDType, checkIndexRange, positionOf } from "./indexing-checks.js";
import { takeAxes } from "./indexing-map.js";

/**
 * Rows of x picked by an index vector along `axis`, as torch.index_select:
 * out has x's shape with that axis replaced by index's length. `index` is
 * an int32 vector (or a 0-d tensor, giving length 1) of values in
 * [0, size). The gradient sums the upstream rows back into the rows they
 * came from (index_add into zeros), so repeated indices add.
 */
export function indexSelect(x: Tensor, axis: number, index: Tensor): Tensor {
  const values = checkIndexDType(index, "indexSelect");
  if (x.ndim === 0) throw new RangeError("indexSelect: input must have at least one dimension, got a 0-d tensor");
  const a = normalizeAxis(axis, x.ndim, "indexSelect");
  if (index.ndim > 1) throw new RangeError(`indexSelect: index must be 1-D, got shape ${shapeToString(index.shape)}`);
  checkIndexRange(values, index.shape, x.shape[a]!, "indexSelect", a);
  // The map is kept for the backward pass: copy it so later writes to index cannot change the gradient.
  const map = x.requiresGrad ? values.slice() : values;
  const maps = x.shape.map((_, i) => (i === a ? map : null));
  const outShape = x.shape.map((d, i) => (i === a ? values.length : d));
  return takeAxes(x, maps, outShape, "indexSelect");
}

/**
 * One-hot encoding, as torch.nn.functional.one_hot but float32: out has
 * labels' shape plus a last axis of `numClasses`, 1 at each label and 0
 * elsewhere. numClasses -1 (default) means max(labels) + 1.
 */
export function oneHot(labels: Tensor, numClasses = -1): Tensor {
  const values = checkIndexDType(labels, "oneHot", "labels");
  let classes = numClasses;
  if (classes === -1) {
    if (values.length === 0) throw new RangeError("oneHot: cannot infer the number of classes from empty labels; pass numClasses");
    classes = 0;
    for (const v of values) classes = Math.max(classes, v + 1);
  } else if (!Number.isInteger(classes) || classes < 1) {
    throw new RangeError(`oneHot: numClasses must be a positive integer or -1, got ${numClasses}`);
  }
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (v < 0 || v >= classes) {
      throw new RangeError(`oneHot: label ${v} at position ${positionOf(i, labels.shape)} is out of range for ${classes} classes (expected 0..${classes - 1})`);
    }
  }
  const out = allocate("float32", values.length * classes);
  for (let i = 0; i < values.length; i++) out[i * classes + values[i]!] = 1;
  return new Tensor(out, [...labels.shape, classes]);
}

declare module "../tensor.js" {
  interface Tensor {
    indexSelect(axis: number, index: Tensor): Tensor;
    oneHot(numClasses?: number): Tensor;
  }
}

Tensor.prototype.indexSelect = function (this: Tensor, axis: number, index: Tensor) {
  return indexSelect(this, axis, index);
};
Tensor.prototype.oneHot = function (this: Tensor, numClasses?: number) {
  return oneHot(this, numClasses);
};
