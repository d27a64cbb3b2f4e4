import { allocate, checkDType, type DType, dtypeOf, isFloating, type TypedArray } from "./dtype.js";
import { defaultGenerator, type Generator } from "./random.js";
import { checkShape, type Shape, shapeToString, sizeOf } from "./shape.js";
import { type NestedArray, Tensor } from "./tensor.js";

export interface CreateOptions {
  /** Element type; float32 unless the data is a typed array of another kind. */
  dtype?: DType;
  requiresGrad?: boolean;
}

export interface RandomOptions extends CreateOptions {
  /** Generator to draw from; the global one (seeded by `manualSeed`) by default. */
  generator?: Generator;
}

function finish(t: Tensor, options: CreateOptions | undefined): Tensor {
  if (options?.requiresGrad) t.requiresGrad = true;
  return t;
}

function resolveDType(options: CreateOptions | undefined, fallback: DType, op: string): DType {
  return options?.dtype === undefined ? fallback : checkDType(options.dtype, op);
}

/** Copies `source` into a new array of `dtype`, truncating toward zero for int32. */
export function convertArray(source: ArrayLike<number>, dtype: DType): TypedArray {
  const out = allocate(dtype, source.length);
  if (dtype === "int32") {
    for (let i = 0; i < source.length; i++) out[i] = Math.trunc(source[i]!);
  } else {
    out.set(source);
  }
  return out;
}

/**
 * A tensor from nested arrays, a typed array (1-D unless `shape` is given)
 * or a number (0-d). Nested arrays must be rectangular.
 */
export function tensor(
  data: NestedArray | TypedArray,
  options?: CreateOptions & { shape?: Shape },
): Tensor {
  if (ArrayBuffer.isView(data)) {
    const typed = data as TypedArray;
    const dtype = resolveDType(options, dtypeOf(typed), "tensor");
    const shape = options?.shape ? checkShape(options.shape, "tensor") : [typed.length];
    const values = dtype === dtypeOf(typed) ? typed.slice() : convertArray(typed, dtype);
    return finish(new Tensor(values, shape), options);
  }
  const dtype = resolveDType(options, "float32", "tensor");
  const shape: number[] = [];
  let probe: NestedArray = data;
  while (Array.isArray(probe)) {
    shape.push(probe.length);
    if (probe.length === 0) break;
    probe = probe[0] as NestedArray;
  }
  const out = allocate(dtype, sizeOf(shape));
  let offset = 0;
  const fill = (value: NestedArray, dim: number, path: string): void => {
    if (dim === shape.length) {
      if (Array.isArray(value)) throw new Error(`tensor: ragged nested array at ${path}: expected a number, got an array`);
      const v = typeof value === "boolean" ? Number(value) : (value as number);
      if (typeof v !== "number") throw new TypeError(`tensor: expected numbers, got ${typeof value} at ${path}`);
      out[offset++] = dtype === "int32" ? Math.trunc(v) : v;
      return;
    }
    if (!Array.isArray(value) || value.length !== shape[dim]) {
      throw new Error(
        `tensor: ragged nested array at ${path}: expected ${shape[dim]} elements, got ${Array.isArray(value) ? value.length : "a number"}`,
      );
    }
    for (let i = 0; i < value.length; i++) fill(value[i] as NestedArray, dim + 1, `${path}[${i}]`);
  };
  fill(data, 0, "data");
  if (options?.shape) {
    const target = checkShape(options.shape, "tensor");
    if (sizeOf(target) !== out.length) {
      throw new Error(`tensor: ${out.length} values do not fit shape ${shapeToString(target)}`);
    }
    return finish(new Tensor(out, target), options);
  }
  return finish(new Tensor(out, shape), options);
}

/** A tensor of the given shape filled with `value`. */
export function full(shape: Shape, value: number, options?: CreateOptions): Tensor {
  const dims = checkShape(shape, "full");
  const data = allocate(resolveDType(options, "float32", "full"), sizeOf(dims));
  data.fill(value);
  return finish(new Tensor(data, dims), options);
}

export function zeros(shape: Shape, options?: CreateOptions): Tensor {
  return full(shape, 0, options);
}

export function ones(shape: Shape, options?: CreateOptions): Tensor {
  return full(shape, 1, options);
}

function likeOptions(like: Tensor, options?: CreateOptions): CreateOptions {
  return { ...options, dtype: options?.dtype ?? like.dtype };
}

export function zerosLike(like: Tensor, options?: CreateOptions): Tensor {
  return zeros(like.shape, likeOptions(like, options));
}

export function onesLike(like: Tensor, options?: CreateOptions): Tensor {
  return ones(like.shape, likeOptions(like, options));
}

export function fullLike(like: Tensor, value: number, options?: CreateOptions): Tensor {
  return full(like.shape, value, likeOptions(like, options));
}

/**
 * Values from `start` to `end` (exclusive) by `step`, like torch.arange.
 * `arange(n)` counts 0..n-1. The count is ceil((end - start) / step).
 */
export function arange(start: number, end?: number, step = 1, options?: CreateOptions): Tensor {
  if (end === undefined) {
    end = start;
    start = 0;
  }
  if (step === 0 || !Number.isFinite(step)) throw new RangeError(`arange: step must be finite and non-zero, got ${step}`);
  if (!Number.isFinite(start) || !Number.isFinite(end)) {
    throw new RangeError(`arange: start and end must be finite, got ${start} and ${end}`);
  }
  if ((end - start) / step < 0) {
    throw new RangeError(`arange: step ${step} does not lead from ${start} to ${end}`);
  }
  const n = Math.ceil((end - start) / step);
  const data = allocate(resolveDType(options, "float32", "arange"), n);
  for (let i = 0; i < n; i++) data[i] = start + i * step;
  return finish(new Tensor(data, [n]), options);
}

/** `steps` evenly spaced values from `start` to `end`, both included. */
export function linspace(start: number, end: number, steps: number, options?: CreateOptions): Tensor {
  if (!Number.isInteger(steps) || steps < 0) throw new RangeError(`linspace: steps must be a non-negative integer, got ${steps}`);
  const data = allocate(resolveDType(options, "float32", "linspace"), steps);
  const delta = steps > 1 ? (end - start) / (steps - 1) : 0;
  // Fill from both ends so the last value is exactly `end`, as torch does.
  const half = Math.floor(steps / 2);
  for (let i = 0; i < steps; i++) data[i] = i < half ? start + i * delta : end - (steps - 1 - i) * delta;
  return finish(new Tensor(data, [steps]), options);
}

/** An n x m matrix with ones on the diagonal. */
export function eye(n: number, m = n, options?: CreateOptions): Tensor {
  const dims = checkShape([n, m], "eye");
  const data = allocate(resolveDType(options, "float32", "eye"), n * m);
  for (let i = 0; i < Math.min(n, m); i++) data[i * m + i] = 1;
  return finish(new Tensor(data, dims), options);
}

function randomFloat(shape: Shape, options: RandomOptions | undefined, op: string, draw: (g: Generator) => number): Tensor {
  const dims = checkShape(shape, op);
  const dtype = resolveDType(options, "float32", op);
  if (!isFloating(dtype)) throw new TypeError(`${op}: dtype must be floating, got ${dtype}`);
  const g = options?.generator ?? defaultGenerator;
  const data = allocate(dtype, sizeOf(dims));
  for (let i = 0; i < data.length; i++) data[i] = draw(g);
  return finish(new Tensor(data, dims), options);
}

/** Uniform samples in [0, 1). */
export function rand(shape: Shape, options?: RandomOptions): Tensor {
  return randomFloat(shape, options, "rand", (g) => g.random());
}

/** Standard normal samples. */
export function randn(shape: Shape, options?: RandomOptions): Tensor {
  return randomFloat(shape, options, "randn", (g) => g.normal());
}

/** Uniform integers in [low, high); int32 unless another dtype is asked for. */
export function randint(low: number, high: number, shape: Shape, options?: RandomOptions): Tensor {
  const dims = checkShape(shape, "randint");
  if (!Number.isInteger(low) || !Number.isInteger(high) || low >= high) {
    throw new RangeError(`randint: need integers low < high, got low=${low}, high=${high}`);
  }
  const g = options?.generator ?? defaultGenerator;
  const data = allocate(resolveDType(options, "int32", "randint"), sizeOf(dims));
  for (let i = 0; i < data.length; i++) data[i] = g.randint(low, high);
  return finish(new Tensor(data, dims), options);
}

export function randLike(like: Tensor, options?: RandomOptions): Tensor {
  return rand(like.shape, { ...options, dtype: options?.dtype ?? like.dtype });
}

export function randnLike(like: Tensor, options?: RandomOptions): Tensor {
  return randn(like.shape, { ...options, dtype: options?.dtype ?? like.dtype });
}

export function randintLike(like: Tensor, low: number, high: number, options?: RandomOptions): Tensor {
  return randint(low, high, like.shape, { ...options, dtype: options?.dtype ?? like.dtype });
}

/** Wraps a number as a 0-d tensor of `dtype`; returns tensors unchanged. */
export function asTensor(value: Tensor | number, dtype: DType): Tensor {
  if (value instanceof Tensor) return value;
  const data = allocate(dtype, 1);
  data[0] = value;
  return new Tensor(data, []);
}
