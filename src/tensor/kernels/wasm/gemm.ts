import { gemmBlocked } from "../gemm-blocked.js";
import type { GemmKernel } from "../gemm.js";
import { runtimeFor, type WasmRuntime } from "./runtime.js";

/**
 * The WebAssembly SIMD GEMM (wasm/assembly/gemm.ts) behind the `GemmKernel`
 * interface: float32 only, a 4x8 register tile of f32x4 accumulators over
 * packed panels, cache-blocked like the TypeScript reference. Operands that
 * are not already in WASM memory are copied into a scratch block kept from
 * call to call (O(n²) copies against O(n³) work; `runtimeFor` picks the
 * instance, the shared one when an operand lives there). Float64 and mixed
 * operands, the degenerate cases (k = 0, alpha = 0), and products whose
 * copies would need more than MAX_STAGED_BYTES of scratch go to `fallback`.
 *
 * Precision: products accumulate in float32 within each kc-deep slice (the
 * reference accumulates in double), so an element of C can differ from the
 * exact result by about k·2⁻²⁴ · Σ|a||b|, the usual bound for float32 GEMM.
 */

/** Block sizes of the WASM GEMM (see gemm-blocked.ts for the scheme). */
export interface WasmGemmBlocking {
  /** Rows of op(A) packed at once: a multiple of 4 (the tile's rows). */
  mc: number;
  /** Depth of the shared dimension per packed block. */
  kc: number;
  /** Columns of op(B) packed at once: a multiple of 8 (the tile's columns). */
  nc: number;
}

/** mc x kc of A (128 KiB) stays in L2, a kc x 8 panel of B (8 KiB) in L1. */
export const defaultWasmGemmBlocking: Readonly<WasmGemmBlocking> = Object.freeze({ mc: 128, kc: 256, nc: 1024 });

/** Bound on the scratch a call may stage operands in (it is kept, at its largest, from call to call). */
export const MAX_STAGED_BYTES = 2 ** 30;

const MR = 4;
const NR = 8;
const ALIGN = 16; // floats: 64 bytes between the sub-blocks of the scratch

function roundUp(x: number, m: number): number {
  return Math.ceil(x / m) * m;
}

/** Elements from the first to the last element of a rows x cols matrix with leading dimension ld. */
function span(rows: number, cols: number, ld: number): number {
  return (rows - 1) * ld + cols;
}

/**
 * A WASM GEMM kernel with the given blocking (tests use small blocks to
 * reach every edge with small matrices), on the runtime `runtimeFor` picks
 * per call unless `runtime` is given.
 */
export function createWasmGemm(blocking: WasmGemmBlocking = defaultWasmGemmBlocking, fallback: GemmKernel = gemmBlocked, runtime?: WasmRuntime): GemmKernel {
  const { mc: MC, kc: KC, nc: NC } = blocking;
  for (const [name, v, mult] of [["mc", MC, MR], ["kc", KC, 1], ["nc", NC, NR]] as const) {
    if (!Number.isInteger(v) || v <= 0 || v % mult !== 0) {
      throw new RangeError(`createWasmGemm: ${name} must be a positive multiple of ${mult}, got ${v}`);
    }
  }

  return function wasmGemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc) {
    if (!(a instanceof Float32Array && b instanceof Float32Array && c instanceof Float32Array) || k === 0 || alpha === 0) {
      fallback(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    if (m === 0 || n === 0) return;
    const rt = runtime ?? runtimeFor([a, b, c]);
    const aSpan = span(transA ? k : m, transA ? m : k, lda);
    const bSpan = span(transB ? n : k, transB ? k : n, ldb);
    const cSpan = span(m, n, ldc);
    const aRes = rt.addressOf(a);
    const bRes = rt.addressOf(b);
    const cRes = rt.addressOf(c);
    // Scratch layout (floats): [staged A][staged B][staged C][packed A][packed B].
    const aStage = 0;
    const bStage = aStage + (aRes < 0 ? roundUp(aSpan, ALIGN) : 0);
    const cStage = bStage + (bRes < 0 ? roundUp(bSpan, ALIGN) : 0);
    const aPack = cStage + (cRes < 0 ? roundUp(cSpan, ALIGN) : 0);
    const bPack = aPack + roundUp(roundUp(Math.min(MC, m), MR) * Math.min(KC, k), ALIGN);
    const total = bPack + roundUp(Math.min(NC, n), NR) * Math.min(KC, k);
    if (total * 4 > MAX_STAGED_BYTES) {
      fallback(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc);
      return;
    }
    const at = rt.scratchBlock("gemm", total * 4) >> 2;
    const f = rt.f32;
    let aAt: number, bAt: number, cAt: number;
    if (aRes >= 0) aAt = aRes + aOff * 4;
    else {
      f.set(a.subarray(aOff, aOff + aSpan), at + aStage);
      aAt = (at + aStage) * 4;
    }
    if (bRes >= 0) bAt = bRes + bOff * 4;
    else {
      f.set(b.subarray(bOff, bOff + bSpan), at + bStage);
      bAt = (at + bStage) * 4;
    }
    if (cRes >= 0) cAt = cRes + cOff * 4;
    else {
      // With beta 0 and no gaps between rows, C's old values are never read.
      if (beta !== 0 || ldc !== n) f.set(c.subarray(cOff, cOff + cSpan), at + cStage);
      cAt = (at + cStage) * 4;
    }
    rt.kernels.sgemm(transA ? 1 : 0, transB ? 1 : 0, m, n, k, alpha, aAt, lda, bAt, ldb, beta, cAt, ldc, (at + aPack) * 4, (at + bPack) * 4, MC, KC, NC);
    if (cRes < 0) c.set(f.subarray(at + cStage, at + cStage + cSpan), cOff);
  };
}

