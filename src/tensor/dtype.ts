/**
 * Element types a tensor can hold and the typed arrays that store them.
 * float32 is the default, as in PyTorch; float64 is for exact checks;
 * int32 holds labels and indices.
 */
export type DType = "float32" | "float64" | "int32";

export type TypedArray = Float32Array | Float64Array | Int32Array;

export const DTYPES: readonly DType[] = ["float32", "float64", "int32"];

/** A new zero-filled typed array of the right kind for `dtype`. */
export function allocate(dtype: DType, length: number): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(length);
    case "float64":
      return new Float64Array(length);
    case "int32":
      return new Int32Array(length);
  }
}

/** The dtype whose typed array `data` is. */
export function dtypeOf(data: TypedArray): DType {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Float64Array) return "float64";
  return "int32";
}

export function isFloating(dtype: DType): boolean {
  return dtype !== "int32";
}

export function checkDType(value: unknown, op: string): DType {
  if (value === "float32" || value === "float64" || value === "int32") return value;
  throw new TypeError(`${op}: dtype must be one of ${DTYPES.join(", ")}, got ${String(value)}`);
}

/**
 * The dtype of a binary op's result, following PyTorch's promotion for the
 * three types nabla has: float64 beats float32 beats int32.
 */
export function promoteTypes(a: DType, b: DType): DType {
  if (a === "float64" || b === "float64") return "float64";
  if (a === "float32" || b === "float32") return "float32";
  return "int32";
}
