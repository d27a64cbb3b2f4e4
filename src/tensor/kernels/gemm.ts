import { gemmBlocked } from "./gemm-blocked.js";

/**
 * General matrix multiply, BLAS's GEMM on row-major storage:
 *
 *   C[m x n] = alpha * op(A)[m x k] * op(B)[k x n] + beta * C
 *
 * with op(X) = X or X^T. Every matrix product in nabla (matmul, linear,
 * conv2d through im2col, and all their backward passes) goes through the
 * `gemmKernels` table, so a faster tier (WebAssembly, worker threads) can
 * replace the entry while the plain TypeScript kernel stays the reference.
 */

/** The floating arrays a GEMM kernel works on. */
export type FloatArray = Float32Array | Float64Array;

/**
 * A GEMM kernel. Matrices are row-major inside their arrays: element (r, c)
 * of the stored A is `a[aOffset + r * lda + c]`; the stored A is m x k, or
 * k x m when `transA` (likewise B: k x n, or n x k when `transB`). With
 * `beta === 0` C is overwritten without being read (NaN in C does not
 * leak, as in BLAS). Kernels must not allocate per call in the hot path.
 */
export type GemmKernel = (
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOffset: number,
  lda: number,
  b: FloatArray,
  bOffset: number,
  ldb: number,
  beta: number,
  c: FloatArray,
  cOffset: number,
  ldc: number,
) => void;

/** The replaceable kernel table. */
export interface GemmKernels {
  gemm: GemmKernel;
}

/** The plain TypeScript kernels (cache-blocked, register-tiled); never replaced. */
export const referenceGemmKernels: Readonly<GemmKernels> = Object.freeze({ gemm: gemmBlocked });

/** The kernels ops call; a faster backend assigns `gemmKernels.gemm`. */
export const gemmKernels: GemmKernels = { gemm: gemmBlocked };

function checkSize(name: string, v: number): void {
  if (!Number.isInteger(v) || v < 0) throw new RangeError(`gemm: ${name} must be a non-negative integer, got ${v}`);
}

function checkMatrix(name: string, arr: FloatArray, offset: number, rows: number, cols: number, ld: number): void {
  if (!Number.isInteger(offset) || offset < 0) throw new RangeError(`gemm: ${name} offset must be a non-negative integer, got ${offset}`);
  if (!Number.isInteger(ld) || ld < Math.max(1, cols)) {
    throw new RangeError(`gemm: leading dimension of ${name} must be an integer >= ${Math.max(1, cols)}, got ${ld}`);
  }
  if (rows > 0 && cols > 0 && offset + (rows - 1) * ld + cols > arr.length) {
    throw new RangeError(`gemm: ${name} (${rows}x${cols}, ld ${ld}, offset ${offset}) does not fit in an array of length ${arr.length}`);
  }
}

/**
 * Checks the arguments (sizes, leading dimensions, that every matrix fits
 * in its array) and runs the current kernel: C = alpha op(A) op(B) + beta C.
 * Throws before writing anything.
 */
export function gemm(
  transA: boolean,
  transB: boolean,
  m: number,
  n: number,
  k: number,
  alpha: number,
  a: FloatArray,
  aOffset: number,
  lda: number,
  b: FloatArray,
  bOffset: number,
  ldb: number,
  beta: number,
  c: FloatArray,
  cOffset: number,
  ldc: number,
): void {
  checkSize("m", m);
  checkSize("n", n);
  checkSize("k", k);
  checkMatrix("A", a, aOffset, transA ? k : m, transA ? m : k, lda);
  checkMatrix("B", b, bOffset, transB ? n : k, transB ? k : n, ldb);
  checkMatrix("C", c, cOffset, m, n, ldc);
  gemmKernels.gemm(transA, transB, m, n, k, alpha, a, aOffset, lda, b, bOffset, ldb, beta, c, cOffset, ldc);
}
