import { allocate, type DType } from "../dtype.js";
import { type FloatArray, gemm } from "../kernels/gemm.js";
import { broadcastShapes, broadcastStrides, type Shape, shapeToString, sizeOf } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { sumToShape } from "./reshape.js";

/**
 * The differentiable matrix product with transpose flags that every other
 * linear-algebra op (and conv2d) is built from:
 *
 *   matmulT(a, b, ta, tb) = op(a) @ op(b),  op(x) = x or x^T (last two axes)
 *
 * over broadcast batch dimensions. Its backward is the same op with other
 * flags, so no transpose is ever materialised and second derivatives work:
 *   C = op(A) op(B):  dA = g op(B)^T  (or op(B) g^T when ta),
 *                     dB = op(A)^T g  (or g^T op(A) when tb),
 * each summed back over the batch dimensions its operand was broadcast along.
 */
export function matmulT(a: Tensor, b: Tensor, transA = false, transB = false): Tensor {
  const op = "matmul";
  if (a.ndim < 2 || b.ndim < 2) {
    throw new Error(`${op}: expected operands with at least 2 dimensions, got shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
  }
  if (a.dtype !== b.dtype) throw new TypeError(`${op}: operands must have the same dtype, got ${a.dtype} and ${b.dtype}`);
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const m = transA ? ac : ar;
  const k = transA ? ar : ac;
  const kb = transB ? bc : br;
  const n = transB ? br : bc;
  if (k !== kb) {
    throw new Error(`${op}: shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)} do not align (${k} != ${kb})`);
  }
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  const batch = broadcastShapes(aBatch, bBatch, op);
  const out = new Tensor(batchedGemm(a, b, transA, transB, m, n, k, aBatch, bBatch, batch), [...batch, m, n]);
  return record(out, "matmul", [a, b], (g) => [
    a.requiresGrad ? sumToShape(transA ? matmulT(b, g, transB, true) : matmulT(g, b, false, !transB), a.shape) : null,
    b.requiresGrad ? sumToShape(transB ? matmulT(g, a, true, transA) : matmulT(a, g, !transA, false), b.shape) : null,
  ]);
}

/**
 * One GEMM per batch entry, reading each operand's matrix at its
 * broadcast position. int32 operands are multiplied in float64 (exact below
 * 2^53) and wrapped to int32 as an integer product would be.
 */
function batchedGemm(
  a: Tensor, b: Tensor, transA: boolean, transB: boolean, m: number, n: number, k: number,
  aBatch: Shape, bBatch: Shape, batch: Shape,
): Float32Array | Float64Array | Int32Array {
  const dtype: DType = a.dtype;
  const count = sizeOf(batch);
  const outSize = count * m * n;
  const ad = asFloat(a.data);
  const bd = asFloat(b.data);
  const c = dtype === "int32" ? new Float64Array(outSize) : (allocate(dtype, outSize) as FloatArray);
  // Leading dimensions stay >= 1 so that empty matrices pass gemm's checks.
  const lda = Math.max(1, transA ? m : k);
  const ldb = Math.max(1, transB ? k : n);
  const ldc = Math.max(1, n);
  const aIndex = matrixIndices(aBatch, batch);
  const bIndex = matrixIndices(bBatch, batch);
  for (let t = 0; t < count; t++) {
    gemm(transA, transB, m, n, k, 1, ad, aIndex[t]! * m * k, lda, bd, bIndex[t]! * k * n, ldb, 0, c, t * m * n, ldc);
  }
  if (dtype !== "int32") return c;
  const ints = new Int32Array(outSize);
  ints.set(c);
  return ints;
}

/** The data as a float array GEMM can read: int32 is copied to float64. */
export function asFloat(data: Float32Array | Float64Array | Int32Array): FloatArray {
  return data instanceof Int32Array ? Float64Array.from(data) : data;
}

/** For each entry of the broadcast batch, the index of the operand's matrix it reads. */
function matrixIndices(shape: Shape, batch: Shape): Int32Array {
  const count = sizeOf(batch);
  const out = new Int32Array(count);
  if (sizeOf(shape) === count) {
    for (let t = 0; t < count; t++) out[t] = t;
    return out;
  }
  if (sizeOf(shape) === 1) return out;
  const strides = broadcastStrides(shape, batch);
  const counters = new Array<number>(batch.length).fill(0);
  let idx = 0;
  for (let t = 0; t < count; t++) {
    out[t] = idx;
    for (let d = batch.length - 1; d >= 0; d--) {
      counters[d]!++;
      idx += strides[d]!;
      if (counters[d]! < batch[d]!) break;
      idx -= strides[d]! * batch[d]!;
      counters[d] = 0;
    }
  }
  return out;
}
