import { checkDType, type DType, isFloating } from "../../tensor/dtype.js";

/** Checks a positive (or, with `allowZero`, non-negative) integer constructor argument. */
export function checkInt(value: number, name: string, op: string, allowZero = false): number {
  if (!Number.isInteger(value) || value < (allowZero ? 0 : 1)) {
    throw new RangeError(`${op}: ${name} must be a ${allowZero ? "non-negative" : "positive"} integer, got ${String(value)}`);
  }
  return value;
}

/** The floating dtype of a layer's parameters (float32 by default). */
export function paramDType(dtype: DType | undefined, op: string): DType {
  const d = checkDType(dtype ?? "float32", op);
  if (!isFloating(d)) throw new TypeError(`${op}: parameters must be floating, got dtype ${d}`);
  return d;
}

/** Checks a number in [lo, hi]. */
export function checkRange(value: number, name: string, op: string, lo: number, hi: number): number {
  if (typeof value !== "number" || !(value >= lo && value <= hi)) {
    throw new RangeError(`${op}: ${name} must be in [${lo}, ${hi}], got ${String(value)}`);
  }
  return value;
}
