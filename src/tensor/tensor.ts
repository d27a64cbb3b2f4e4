import { allocate, type DType, dtypeOf, isFloating, type TypedArray } from "./dtype.js";
import { isGradEnabled } from "./gradMode.js";
import { type Shape, shapeToString, sizeOf } from "./shape.js";

/**
 * How a tensor was computed, for reverse-mode autograd: the tensors it was
 * computed from and a rule that maps the gradient of the output to the
 * gradients of those inputs (null where an input needs none). Backward
 * rules are written with tensor ops, so that with `createGraph` the
 * gradient is itself differentiable.
 */
export interface GradFn {
  readonly name: string;
  readonly inputs: readonly Tensor[];
  backward(grad: Tensor): readonly (Tensor | null)[];
}

/** A nested array of numbers, as accepted by `tensor()` and returned by `toArray()`. */
export type NestedArray = number | boolean | readonly NestedArray[];

/**
 * An n-dimensional array: a row-major contiguous typed array plus a shape.
 * Most methods (arithmetic, reductions, reshaping, ...) are attached by the
 * op modules in `tensor/ops/`; this file holds what every op relies on.
 */
export class Tensor {
  /** The elements, row-major. Optimizers update it in place. */
  data: TypedArray;
  readonly shape: Shape;
  readonly dtype: DType;
  /** Gradient accumulated by `backward()`; assignable (optimizers read whatever is there). */
  grad: Tensor | null = null;
  /** The op that produced this tensor, or null for a leaf. */
  gradFn: GradFn | null = null;
  private _requiresGrad = false;

  constructor(data: TypedArray, shape: Shape) {
    if (data.length !== sizeOf(shape)) {
      throw new Error(`Tensor: data of length ${data.length} does not fit shape ${shapeToString(shape)} (${sizeOf(shape)} elements)`);
    }
    this.data = data;
    this.shape = Object.freeze([...shape]);
    this.dtype = dtypeOf(data);
  }

  get requiresGrad(): boolean {
    return this._requiresGrad;
  }

  set requiresGrad(value: boolean) {
    if (value && !isFloating(this.dtype)) {
      throw new TypeError(`requiresGrad: only floating tensors can require gradients, got dtype ${this.dtype}`);
    }
    this._requiresGrad = value;
  }

  /** Sets requiresGrad and returns this tensor (PyTorch's requires_grad_). */
  requiresGrad_(value = true): this {
    this.requiresGrad = value;
    return this;
  }

  /** True for a tensor the user created (not computed by a recorded op). */
  get isLeaf(): boolean {
    return this.gradFn === null;
  }

  /** Number of elements. */
  get size(): number {
    return this.data.length;
  }

  /** Number of dimensions. */
  get ndim(): number {
    return this.shape.length;
  }

  /** The single value of a one-element tensor. */
  item(): number {
    if (this.data.length !== 1) {
      throw new Error(`item: expected a tensor with one element, got shape ${shapeToString(this.shape)}`);
    }
    return this.data[0]!;
  }

  /** The values as nested arrays (a number for a 0-d tensor). */
  toArray(): NestedArray {
    const data = this.data;
    const shape = this.shape;
    if (shape.length === 0) return data[0]!;
    let offset = 0;
    const build = (dim: number): NestedArray[] => {
      const n = shape[dim]!;
      const out: NestedArray[] = new Array(n);
      for (let i = 0; i < n; i++) out[i] = dim === shape.length - 1 ? data[offset++]! : build(dim + 1);
      return out;
    };
    return build(0);
  }

  /** A copy sharing no memory with this tensor; gradients flow through it. */
  clone(): Tensor {
    return record(new Tensor(this.data.slice(), this.shape), "clone", [this], (g) => [g]);
  }

  /** The same data, cut from the graph (no copy). */
  detach(): Tensor {
    return new Tensor(this.data, this.shape);
  }

  toString(): string {
    return `tensor(${JSON.stringify(this.toArray())}, dtype=${this.dtype})`;
  }
}

/** A fresh zero tensor with the given shape and dtype. */
export function emptyTensor(shape: Shape, dtype: DType): Tensor {
  return new Tensor(allocate(dtype, sizeOf(shape)), shape);
}

/**
 * Attaches a backward rule to an op's output when grad mode is on and any
 * input requires a gradient; otherwise returns the output untouched. Every
 * differentiable op ends with `return record(out, name, inputs, rule)`.
 */
export function record(
  out: Tensor,
  name: string,
  inputs: readonly Tensor[],
  backward: (grad: Tensor) => readonly (Tensor | null)[],
): Tensor {
  if (!isGradEnabled() || !isFloating(out.dtype)) return out;
  let needed = false;
  for (const t of inputs) if (t.requiresGrad) needed = true;
  if (!needed) return out;
  out.gradFn = { name, inputs, backward };
  out.requiresGrad = true;
  return out;
}
