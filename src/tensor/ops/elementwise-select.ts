import { allocate, type DType, promoteTypes, type TypedArray } from "../dtype.js";
import { broadcastShapes, broadcastStrides, type Shape, shapesEqual, shapeToString, sizeOf } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { to } from "./cast.js";
import { sumToShape } from "./reshape.js";
import { type TensorLike, toTensor } from "./scalar.js";

/**
 * Selection by a mask: `where` and `maskedFill`. A mask is any tensor,
 * read as true where nonzero (comparisons give int32 0/1 masks). The mask
 * carries no gradient; each value operand gets the upstream gradient where
 * it was chosen, summed back to its shape.
 */

/**
 * out[i] = c[i] != 0 ? a[i] : b[i] over the broadcast `shape` (each operand
 * read through strides that are 0 on its broadcast dimensions).
 */
function whereKernel(
  c: TypedArray,
  cShape: Shape,
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  out: TypedArray,
  shape: Shape,
): void {
  const total = out.length;
  if (total === 0) return;
  if (c.length === total && a.length === total && b.length === total) {
    for (let i = 0; i < total; i++) out[i] = c[i] !== 0 ? a[i]! : b[i]!;
    return;
  }
  if (c.length === total && a.length === total && b.length === 1) {
    // g where mask else 0: the shape of most backward rules.
    const v = b[0]!;
    for (let i = 0; i < total; i++) out[i] = c[i] !== 0 ? a[i]! : v;
    return;
  }
  if (c.length === total && a.length === 1 && b.length === total) {
    const v = a[0]!;
    for (let i = 0; i < total; i++) out[i] = c[i] !== 0 ? v : b[i]!;
    return;
  }
  if ((c.length === total || c.length === 1) && (a.length === total || a.length === 1) && (b.length === total || b.length === 1)) {
    // Full-size operands and single values (scalars): step 1 or 0 through each.
    const dc = c.length === 1 ? 0 : 1;
    const da = a.length === 1 ? 0 : 1;
    const db = b.length === 1 ? 0 : 1;
    for (let i = 0; i < total; i++) out[i] = c[i * dc] !== 0 ? a[i * da]! : b[i * db]!;
    return;
  }
  const nd = shape.length;
  const cs = broadcastStrides(cShape, shape);
  const as = broadcastStrides(aShape, shape);
  const bs = broadcastStrides(bShape, shape);
  const n = nd === 0 ? 1 : shape[nd - 1]!;
  const sc = nd === 0 ? 0 : cs[nd - 1]!;
  const sa = nd === 0 ? 0 : as[nd - 1]!;
  const sb = nd === 0 ? 0 : bs[nd - 1]!;
  const counters = new Array<number>(nd).fill(0);
  let ic = 0;
  let ia = 0;
  let ib = 0;
  for (let io = 0; io < total; io += n) {
    for (let j = 0; j < n; j++) out[io + j] = c[ic + j * sc] !== 0 ? a[ia + j * sa]! : b[ib + j * sb]!;
    for (let d = nd - 2; d >= 0; d--) {
      counters[d]!++;
      ic += cs[d]!;
      ia += as[d]!;
      ib += bs[d]!;
      if (counters[d]! < shape[d]!) break;
      ic -= cs[d]! * shape[d]!;
      ia -= as[d]! * shape[d]!;
      ib -= bs[d]! * shape[d]!;
      counters[d] = 0;
    }
  }
}

/** The kernels behind selection; a faster backend may replace entries. */
export const selectKernels = { where: whereKernel };

/** Both value operands as tensors: a number takes the other side's dtype; two numbers give int32 or float32. */
function valueOperands(a: TensorLike, b: TensorLike): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, toTensor(b, a)];
  if (b instanceof Tensor) return [toTensor(a, b), b];
  const dtype: DType = Number.isInteger(a) && Number.isInteger(b) ? "int32" : "float32";
  return [scalarTensor(a, dtype), scalarTensor(b, dtype)];
}

function scalarTensor(value: number, dtype: DType): Tensor {
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}

/**
 * `a` where `condition` is nonzero, else `b` (torch.where). All three
 * broadcast together; the result has the promoted dtype of a and b.
 * Gradients: a gets g where the condition holds, b where it does not, each
 * summed back to its own shape.
 */
export function where(condition: Tensor, a: TensorLike, b: TensorLike): Tensor {
  if (!(condition instanceof Tensor)) {
    throw new TypeError(`where: condition must be a tensor (a mask), got ${typeof condition}`);
  }
  const [x, y] = valueOperands(a, b);
  const shape = broadcastShapes(broadcastShapes(condition.shape, x.shape, "where"), y.shape, "where");
  const dtype = promoteTypes(x.dtype, y.dtype);
  const out = allocate(dtype, sizeOf(shape));
  selectKernels.where(condition.data, condition.shape, x.data, x.shape, y.data, y.shape, out, shape);
  return record(new Tensor(out, shape), "where", [x, y], (g) => [
    x.requiresGrad ? sumToShape(where(condition, g, 0), x.shape) : null,
    y.requiresGrad ? sumToShape(where(condition, 0, g), y.shape) : null,
  ]);
}

/**
 * x with `value` written where `mask` is nonzero (torch.masked_fill). The
 * mask broadcasts to x's shape (it may not enlarge it); the result keeps
 * x's dtype, so a fractional value written into an int32 tensor truncates.
 * `value` is a number or a one-element tensor, which then gets the sum of
 * the upstream gradient over the filled positions; x gets the rest.
 */
export function maskedFill(x: Tensor, mask: Tensor, value: TensorLike): Tensor {
  if (!(mask instanceof Tensor)) throw new TypeError(`maskedFill: mask must be a tensor, got ${typeof mask}`);
  const shape = broadcastShapes(x.shape, mask.shape, "maskedFill");
  if (!shapesEqual(shape, x.shape)) {
    throw new Error(`maskedFill: mask of shape ${shapeToString(mask.shape)} does not broadcast to the input's shape ${shapeToString(x.shape)}`);
  }
  let fill: Tensor;
  if (value instanceof Tensor) {
    if (value.size !== 1) {
      throw new Error(`maskedFill: value must be a number or a one-element tensor, got shape ${shapeToString(value.shape)}`);
    }
    fill = to(value.ndim === 0 ? value : value.reshape([]), x.dtype);
  } else {
    if (typeof value !== "number") throw new TypeError(`maskedFill: value must be a number or a tensor, got ${typeof value}`);
    fill = scalarTensor(value, x.dtype);
  }
  return where(mask, fill, x);
}

declare module "../tensor.js" {
  interface Tensor {
    /** torch's Tensor.where: this where `condition` is nonzero, else `other`. */
    where(condition: Tensor, other: TensorLike): Tensor;
    maskedFill(mask: Tensor, value: TensorLike): Tensor;
  }
}

Tensor.prototype.where = function (this: Tensor, condition: Tensor, other: TensorLike) {
  return where(condition, this, other);
};
Tensor.prototype.maskedFill = function (this: Tensor, mask: Tensor, value: TensorLike) {
  return maskedFill(this, mask, value);
};
