import { checkDType, type DType, isFloating } from "../dtype.js";
import { convertArray } from "../creation.js";
import { record, Tensor } from "../tensor.js";

/**
 * Converts to another dtype (a copy; floats to int32 truncate toward zero).
 * Between floating types the gradient is cast back to the input's dtype.
 */
export function to(x: Tensor, dtype: DType): Tensor {
  checkDType(dtype, "to");
  if (dtype === x.dtype) return x;
  const out = new Tensor(convertArray(x.data, dtype), x.shape);
  if (!isFloating(dtype)) return out;
  return record(out, "to", [x], (g) => [to(g, x.dtype)]);
}

declare module "../tensor.js" {
  interface Tensor {
    to(dtype: DType): Tensor;
  }
}

Tensor.prototype.to = function (this: Tensor, dtype: DType) {
  return to(this, dtype);
};
