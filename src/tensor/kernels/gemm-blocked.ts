import type { FloatArray, GemmKernel } from "./gemm.js";

/**
 * The reference GEMM: Goto-style cache blocking with packed panels and a
 * 4x4 register-tiled micro-kernel, in plain TypeScript.
 *
 * For each kc-deep slice of the shared dimension, a kc x nc block of op(B)
 * is packed into column panels of NR = 4 and an mc x kc block of op(A) into
 * row panels of MR = 4, both as float64. The micro-kernel then streams one
 * A panel and one B panel in order, keeping the 4x4 block of C in 16 local
 * accumulators, so the inner loop does 8 loads for 16 multiply-adds and
 * touches no other memory. Packing is where the transposes happen: the
 * four variants (A B, A^T B, A B^T, A^T B^T) differ only in how a panel is
 * read, and no transpose is ever materialised. Packing to float64 also
 * means float32 inputs accumulate in double precision within each
 * kc-deep slice and round once per slice.
 */

const MR = 4;
const NR = 4;

/** Block sizes: an mc x kc panel of A (128 KiB as float64) stays in L2, a kc x 4 strip of B in L1. */
export interface GemmBlocking {
  /** Rows of A packed at once (a multiple of 4). */
  mc: number;
  /** Depth of the shared dimension per packed block. */
  kc: number;
  /** Columns of B packed at once (a multiple of 4). */
  nc: number;
  /** Problems with m*n*k at or below this use the direct loop (packing would dominate). */
  smallWork: number;
}

export const defaultGemmBlocking: Readonly<GemmBlocking> = Object.freeze({ mc: 64, kc: 256, nc: 512, smallWork: 4096 });

/**
 * A blocked GEMM kernel with the given block sizes and its own packing
 * buffers (grown on demand, then reused). Tests use tiny blocks to drive
 * every edge path with small matrices.
 */
export function createBlockedGemm(blocking: GemmBlocking = defaultGemmBlocking): GemmKernel {
  const { mc: MC, kc: KC, nc: NC, smallWork } = blocking;
  for (const [name, v, mult] of [["mc", MC, MR], ["kc", KC, 1], ["nc", NC, NR]] as const) {
    if (!Number.isInteger(v) || v <= 0 || v % mult !== 0) {
      throw new RangeError(`createBlockedGemm: ${name} must be a positive multiple of ${mult}, got ${v}`);
    }
  }
  let packA = new Float64Array(0);
  let packB = new Float64Array(0);
  const tile = new Float64Array(MR * NR);

  return function gemmBlockedKernel(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc) {
    if (m === 0 || n === 0) return;
    if (k === 0 || alpha === 0) {
      scaleC(m, n, beta, c, cOff, ldc);
      return;
    }
    if (m * n * k <= smallWork) {
      gemmDirect(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    const mcMax = Math.min(MC, roundUp(m, MR));
    const ncMax = Math.min(NC, roundUp(n, NR));
    const kcMax = Math.min(KC, k);
    if (packA.length < mcMax * kcMax) packA = new Float64Array(mcMax * kcMax);
    if (packB.length < ncMax * kcMax) packB = new Float64Array(ncMax * kcMax);
    const Ap = packA;
    const Bp = packB;
    for (let jc = 0; jc < n; jc += NC) {
      const nc = Math.min(NC, n - jc);
      for (let pc = 0; pc < k; pc += KC) {
        const kc = Math.min(KC, k - pc);
        if (transB) packBTrans(b, bOff, ldb, pc, jc, kc, nc, Bp);
        else packBPlain(b, bOff, ldb, pc, jc, kc, nc, Bp);
        // Later slices of k add onto what the first one wrote.
        const betaNow = pc === 0 ? beta : 1;
        for (let ic = 0; ic < m; ic += MC) {
          const mcNow = Math.min(MC, m - ic);
          if (transA) packATrans(a, aOff, lda, ic, pc, mcNow, kc, Ap);
          else packAPlain(a, aOff, lda, ic, pc, mcNow, kc, Ap);
          for (let jr = 0; jr < nc; jr += NR) {
            const nr = Math.min(NR, nc - jr);
            for (let ir = 0; ir < mcNow; ir += MR) {
              const mr = Math.min(MR, mcNow - ir);
              micro4x4(kc, Ap, ir * kc, Bp, jr * kc, tile);
              storeTile(tile, mr, nr, alpha, betaNow, c, cOff + (ic + ir) * ldc + jc + jr, ldc);
            }
          }
        }
      }
    }
  };
}

function roundUp(x: number, multiple: number): number {
  return Math.ceil(x / multiple) * multiple;
}

/** C = beta C (beta 0 writes zeros without reading C). */
function scaleC(m: number, n: number, beta: number, c: FloatArray, cOff: number, ldc: number): void {
  for (let i = 0; i < m; i++) {
    const row = cOff + i * ldc;
    if (beta === 0) c.fill(0, row, row + n);
    else if (beta !== 1) for (let j = 0; j < n; j++) c[row + j] = beta * c[row + j]!;
  }
}

/**
 * The 4x4 micro-kernel: tile = A panel (kc x 4, packed row by row) times
 * B panel (kc x 4). Sixteen accumulators live in locals.
 */
function micro4x4(kc: number, Ap: Float64Array, ia: number, Bp: Float64Array, ib: number, tile: Float64Array): void {
  let c00 = 0, c01 = 0, c02 = 0, c03 = 0;
  let c10 = 0, c11 = 0, c12 = 0, c13 = 0;
  let c20 = 0, c21 = 0, c22 = 0, c23 = 0;
  let c30 = 0, c31 = 0, c32 = 0, c33 = 0;
  for (let p = 0; p < kc; p++) {
    const a0 = Ap[ia]!, a1 = Ap[ia + 1]!, a2 = Ap[ia + 2]!, a3 = Ap[ia + 3]!;
    const b0 = Bp[ib]!, b1 = Bp[ib + 1]!, b2 = Bp[ib + 2]!, b3 = Bp[ib + 3]!;
    c00 += a0 * b0; c01 += a0 * b1; c02 += a0 * b2; c03 += a0 * b3;
    c10 += a1 * b0; c11 += a1 * b1; c12 += a1 * b2; c13 += a1 * b3;
    c20 += a2 * b0; c21 += a2 * b1; c22 += a2 * b2; c23 += a2 * b3;
    c30 += a3 * b0; c31 += a3 * b1; c32 += a3 * b2; c33 += a3 * b3;
    ia += MR;
    ib += NR;
  }
  tile[0] = c00; tile[1] = c01; tile[2] = c02; tile[3] = c03;
  tile[4] = c10; tile[5] = c11; tile[6] = c12; tile[7] = c13;
  tile[8] = c20; tile[9] = c21; tile[10] = c22; tile[11] = c23;
  tile[12] = c30; tile[13] = c31; tile[14] = c32; tile[15] = c33;
}

/** C block (mr x nr of the 4x4 tile) = alpha tile + beta C. */
function storeTile(tile: Float64Array, mr: number, nr: number, alpha: number, beta: number, c: FloatArray, o: number, ldc: number): void {
  for (let i = 0; i < mr; i++) {
    const row = o + i * ldc;
    const t = i * NR;
    if (beta === 0) {
      for (let j = 0; j < nr; j++) c[row + j] = alpha * tile[t + j]!;
    } else {
      for (let j = 0; j < nr; j++) c[row + j] = beta * c[row + j]! + alpha * tile[t + j]!;
    }
  }
}

// Packing. A panel of op(A) holds MR rows: Ap[panel * MR * kc + p * MR + i].
// Rows past the edge are zero so the micro-kernel never branches.

/** op(A) = A: element (i, p) at a[aOff + i*lda + p]. */
function packAPlain(a: FloatArray, aOff: number, lda: number, i0: number, p0: number, mc: number, kc: number, Ap: Float64Array): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = Math.min(MR, mc - ir);
    const base = ir * kc;
    for (let i = 0; i < MR; i++) {
      if (i < mr) {
        let src = aOff + (i0 + ir + i) * lda + p0;
        for (let p = 0, dst = base + i; p < kc; p++, dst += MR) Ap[dst] = a[src++]!;
      } else {
        for (let p = 0, dst = base + i; p < kc; p++, dst += MR) Ap[dst] = 0;
      }
    }
  }
}

/** op(A) = A^T: element (i, p) at a[aOff + p*lda + i]. */
function packATrans(a: FloatArray, aOff: number, lda: number, i0: number, p0: number, mc: number, kc: number, Ap: Float64Array): void {
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = Math.min(MR, mc - ir);
    let dst = ir * kc;
    for (let p = 0; p < kc; p++) {
      const src = aOff + (p0 + p) * lda + i0 + ir;
      for (let i = 0; i < mr; i++) Ap[dst + i] = a[src + i]!;
      for (let i = mr; i < MR; i++) Ap[dst + i] = 0;
      dst += MR;
    }
  }
}

/** op(B) = B: element (p, j) at b[bOff + p*ldb + j]. */
function packBPlain(b: FloatArray, bOff: number, ldb: number, p0: number, j0: number, kc: number, nc: number, Bp: Float64Array): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    let dst = jr * kc;
    for (let p = 0; p < kc; p++) {
      const src = bOff + (p0 + p) * ldb + j0 + jr;
      for (let j = 0; j < nr; j++) Bp[dst + j] = b[src + j]!;
      for (let j = nr; j < NR; j++) Bp[dst + j] = 0;
      dst += NR;
    }
  }
}

/** op(B) = B^T: element (p, j) at b[bOff + j*ldb + p]. */
function packBTrans(b: FloatArray, bOff: number, ldb: number, p0: number, j0: number, kc: number, nc: number, Bp: Float64Array): void {
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = Math.min(NR, nc - jr);
    const base = jr * kc;
    for (let j = 0; j < NR; j++) {
      if (j < nr) {
        let src = bOff + (j0 + jr + j) * ldb + p0;
        for (let p = 0, dst = base + j; p < kc; p++, dst += NR) Bp[dst] = b[src++]!;
      } else {
        for (let p = 0, dst = base + j; p < kc; p++, dst += NR) Bp[dst] = 0;
      }
    }
  }
}

/**
 * Small products: one dot product per element of C, accumulated in a
 * double, with strides chosen by the transpose flags.
 */
function gemmDirect(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: FloatArray, aOff: number, lda: number, b: FloatArray, bOff: number, ldb: number,
  beta: number, c: FloatArray, cOff: number, ldc: number,
): void {
  const aRow = transA ? 1 : lda;
  const aCol = transA ? lda : 1;
  const bRow = transB ? 1 : ldb;
  const bCol = transB ? ldb : 1;
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      let ia = aOff + i * aRow;
      let ib = bOff + j * bCol;
      for (let p = 0; p < k; p++) {
        s += a[ia]! * b[ib]!;
        ia += aCol;
        ib += bRow;
      }
      const o = cOff + i * ldc + j;
      c[o] = beta === 0 ? alpha * s : beta * c[o]! + alpha * s;
    }
  }
}

/** The reference kernel with the default blocking. */
export const gemmBlocked: GemmKernel = createBlockedGemm();
