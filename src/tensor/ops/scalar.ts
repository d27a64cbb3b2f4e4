import { type DType, isFloating } from "../dtype.js";
import { Tensor } from "../tensor.js";

/** An operand that may be a tensor or a plain number. */
export type TensorLike = Tensor | number;

/**
 * The dtype a plain number takes next to a tensor of `dtype`: the tensor's
 * own if floating, else int32 for integers and float32 for fractions (as a
 * Python scalar does in PyTorch).
 */
export function scalarDType(value: number, dtype: DType): DType {
  if (isFloating(dtype)) return dtype;
  return Number.isInteger(value) ? "int32" : "float32";
}

/** Turns a TensorLike into a tensor, giving numbers the dtype of `like`. */
export function toTensor(value: TensorLike, like: Tensor): Tensor {
  if (value instanceof Tensor) return value;
  const dtype = scalarDType(value, like.dtype);
  const data = dtype === "float64" ? new Float64Array(1) : dtype === "float32" ? new Float32Array(1) : new Int32Array(1);
  data[0] = value;
  return new Tensor(data, []);
}

/** Both operands of a binary op as tensors; a number takes the other side's dtype. */
export function operands(a: TensorLike, b: TensorLike, op: string): [Tensor, Tensor] {
  if (a instanceof Tensor) return [a, toTensor(b, a)];
  if (b instanceof Tensor) return [toTensor(a, b), b];
  throw new TypeError(`${op}: at least one operand must be a tensor, got ${a} and ${b}`);
}
