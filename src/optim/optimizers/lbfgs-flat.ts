// L-BFGS works on one flat vector: every parameter (and every gradient)
// concatenated in order, as torch.optim.LBFGS does. This file holds that
// view and the few vector operations the algorithm needs. Vectors are typed
// arrays of the parameters' dtype, so float32 runs round where torch's
// float32 tensors would; scalars (dot products, step sizes) are doubles.
import type { Tensor } from "../../tensor/tensor.js";
import type { FloatArray } from "../types.js";

/** An empty vector of `length` elements in the dtype of `like`. */
export function vectorLike(like: FloatArray, length = like.length): FloatArray {
  return like instanceof Float64Array ? new Float64Array(length) : new Float32Array(length);
}

/** The parameters of an L-BFGS optimizer seen as one flat vector (read and written by copying). */
export class FlatParams {
  /** Total number of elements over all parameters. */
  readonly numel: number;
  private readonly float64: boolean;

  constructor(private readonly params: readonly Tensor[]) {
    this.numel = params.reduce((n, p) => n + p.size, 0);
    this.float64 = params[0]!.dtype === "float64";
  }

  /** A new zero vector of the parameters' dtype. */
  zeros(): FloatArray {
    return this.float64 ? new Float64Array(this.numel) : new Float32Array(this.numel);
  }

  /** The gradients concatenated; a parameter without a gradient contributes zeros (torch's _gather_flat_grad). */
  gatherGrad(): FloatArray {
    const out = this.zeros();
    let offset = 0;
    for (const p of this.params) {
      if (p.grad !== null) out.set(p.grad.data, offset);
      offset += p.size;
    }
    return out;
  }

  /** A copy of the parameters' values. */
  values(): FloatArray {
    const out = this.zeros();
    let offset = 0;
    for (const p of this.params) {
      out.set(p.data, offset);
      offset += p.size;
    }
    return out;
  }

  /** Overwrites the parameters with `flat`. */
  assign(flat: FloatArray): void {
    let offset = 0;
    for (const p of this.params) {
      (p.data as FloatArray).set(flat.subarray(offset, offset + p.size));
      offset += p.size;
    }
  }

  /** p ← p + step·dir, in place (torch's _add_grad). */
  addScaled(step: number, dir: FloatArray): void {
    let offset = 0;
    for (const p of this.params) {
      const data = p.data as FloatArray;
      for (let i = 0; i < data.length; i++) data[i] += step * dir[offset + i]!;
      offset += p.size;
    }
  }
}

/** Σ a_i·b_i, accumulated in double. */
export function dot(a: FloatArray, b: FloatArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

/** Σ |a_i|. */
export function sumAbs(a: FloatArray): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]!);
  return s;
}

/**
 * max |scale·a_i| as the vector `scale·a` of a's dtype would hold it; NaN if
 * any element is NaN (a tensor's max propagates NaN, so every test against
 * it fails, as in torch).
 */
export function maxAbs(a: FloatArray, scale = 1): number {
  const round = a instanceof Float32Array ? Math.fround : (x: number) => x;
  let m = 0;
  for (let i = 0; i < a.length; i++) {
    const v = Math.abs(round(scale * a[i]!));
    if (Number.isNaN(v)) return NaN;
    if (v > m) m = v;
  }
  return m;
}

/** A new vector `scale·a` in a's dtype. */
export function scaled(a: FloatArray, scale: number): FloatArray {
  const out = vectorLike(a);
  for (let i = 0; i < a.length; i++) out[i] = scale * a[i]!;
  return out;
}

/** A new vector `a − b` in a's dtype. */
export function difference(a: FloatArray, b: FloatArray): FloatArray {
  const out = vectorLike(a);
  for (let i = 0; i < a.length; i++) out[i] = a[i]! - b[i]!;
  return out;
}

/** y ← y + alpha·x, in place. */
export function axpy(y: FloatArray, alpha: number, x: FloatArray): void {
  for (let i = 0; i < y.length; i++) y[i] += alpha * x[i]!;
}
