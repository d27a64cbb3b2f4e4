import type { TypedArray } from "../dtype.js";
import { mapBinary } from "../kernels/broadcast.js";
import { unaryKernels } from "../kernels/unary.js";
import { Tensor } from "../tensor.js";
import { applyUnary } from "./elementwise-common.js";
import { operands, type TensorLike } from "./scalar.js";

/**
 * Elementwise comparisons with NumPy broadcasting. Results are int32 masks
 * (1 where the relation holds, 0 elsewhere), nabla's stand-in for torch's
 * bool tensors; they carry no gradient. NaN compares unequal to everything,
 * itself included, as in IEEE 754 (so `ne(nan, nan)` is 1). Values are
 * compared as doubles.
 */

/** The kernels behind the comparisons; a faster backend may replace entries. */
export const compareKernels = {
  eq: (x: number, y: number): number => (x === y ? 1 : 0),
  ne: (x: number, y: number): number => (x !== y ? 1 : 0),
  lt: (x: number, y: number): number => (x < y ? 1 : 0),
  gt: (x: number, y: number): number => (x > y ? 1 : 0),
  le: (x: number, y: number): number => (x <= y ? 1 : 0),
  ge: (x: number, y: number): number => (x >= y ? 1 : 0),
};

type CompareOp = keyof typeof compareKernels;

/**
 * x[i] op y into `out`: the common case of a tensor against one value
 * (masks in backward rules: x > 0), as explicit loops rather than a call
 * per element.
 */
export function compareWithScalar(op: CompareOp, x: TypedArray, y: number, out: TypedArray): void {
  const n = x.length;
  switch (op) {
    case "eq":
      for (let i = 0; i < n; i++) out[i] = x[i] === y ? 1 : 0;
      break;
    case "ne":
      for (let i = 0; i < n; i++) out[i] = x[i] !== y ? 1 : 0;
      break;
    case "lt":
      for (let i = 0; i < n; i++) out[i] = x[i]! < y ? 1 : 0;
      break;
    case "gt":
      for (let i = 0; i < n; i++) out[i] = x[i]! > y ? 1 : 0;
      break;
    case "le":
      for (let i = 0; i < n; i++) out[i] = x[i]! <= y ? 1 : 0;
      break;
    case "ge":
      for (let i = 0; i < n; i++) out[i] = x[i]! >= y ? 1 : 0;
      break;
  }
}

function compare(a: TensorLike, b: TensorLike, op: CompareOp): Tensor {
  const [x, y] = operands(a, b, op);
  if (y.size === 1 && y.ndim <= x.ndim) {
    const out = new Int32Array(x.size);
    compareWithScalar(op, x.data, y.data[0]!, out);
    return new Tensor(out, x.shape);
  }
  const { data, shape } = mapBinary(x.data, x.shape, y.data, y.shape, "int32", compareKernels[op], op);
  return new Tensor(data, shape);
}

/** a == b as an int32 mask, broadcast. */
export function eq(a: TensorLike, b: TensorLike): Tensor {
  return compare(a, b, "eq");
}

/** a != b as an int32 mask, broadcast. */
export function ne(a: TensorLike, b: TensorLike): Tensor {
  return compare(a, b, "ne");
}

/** a < b as an int32 mask, broadcast. */
export function lt(a: TensorLike, b: TensorLike): Tensor {
  return compare(a, b, "lt");
}

/** a > b as an int32 mask, broadcast. */
export function gt(a: TensorLike, b: TensorLike): Tensor {
  return compare(a, b, "gt");
}

/** a <= b as an int32 mask, broadcast. */
export function le(a: TensorLike, b: TensorLike): Tensor {
  return compare(a, b, "le");
}

/** a >= b as an int32 mask, broadcast. */
export function ge(a: TensorLike, b: TensorLike): Tensor {
  return compare(a, b, "ge");
}

/** 1 where x is finite (not NaN or +-Infinity), else 0, as an int32 mask. */
export function isFinite(x: Tensor): Tensor {
  return applyUnary(x, unaryKernels.isFinite, "int32");
}

declare module "../tensor.js" {
  interface Tensor {
    eq(other: TensorLike): Tensor;
    ne(other: TensorLike): Tensor;
    lt(other: TensorLike): Tensor;
    gt(other: TensorLike): Tensor;
    le(other: TensorLike): Tensor;
    ge(other: TensorLike): Tensor;
    isFinite(): Tensor;
  }
}

Tensor.prototype.eq = function (this: Tensor, other: TensorLike) {
  return eq(this, other);
};
Tensor.prototype.ne = function (this: Tensor, other: TensorLike) {
  return ne(this, other);
};
Tensor.prototype.lt = function (this: Tensor, other: TensorLike) {
  return lt(this, other);
};
Tensor.prototype.gt = function (this: Tensor, other: TensorLike) {
  return gt(this, other);
};
Tensor.prototype.le = function (this: Tensor, other: TensorLike) {
  return le(this, other);
};
Tensor.prototype.ge = function (this: Tensor, other: TensorLike) {
  return ge(this, other);
};
Tensor.prototype.isFinite = function (this: Tensor) {
  return isFinite(this);
};
