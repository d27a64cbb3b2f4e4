import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { type FloatArray, gemm, gemmKernels, type GemmKernel, referenceGemmKernels } from "../../src/tensor/kernels/gemm.js";
import { createBlockedGemm, gemmBlocked } from "../../src/tensor/kernels/gemm-blocked.js";
import { type GemmProblem as Problem, gemmLayout, gemmProblems } from "./gemmProblems.js";

/** The definition: C = alpha op(A) op(B) + beta C, one dot product per element, in doubles. */
function naiveGemm(
  transA: boolean, transB: boolean, m: number, n: number, k: number, alpha: number,
  a: FloatArray, aOff: number, lda: number, b: FloatArray, bOff: number, ldb: number,
  beta: number, c: FloatArray, cOff: number, ldc: number,
): void {
  for (let i = 0; i < m; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let p = 0; p < k; p++) {
        const av = transA ? a[aOff + p * lda + i]! : a[aOff + i * lda + p]!;
        const bv = transB ? b[bOff + j * ldb + p]! : b[bOff + p * ldb + j]!;
        s += av * bv;
      }
      const o = cOff + i * ldc + j;
      c[o] = beta === 0 ? alpha * s : beta * c[o]! + alpha * s;
    }
  }
}

const problem = gemmProblems([0, 1, 2, 3, 4, 5], 37);

function randomArray(make: (n: number) => FloatArray, length: number, seed: number): FloatArray {
  const out = make(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = Math.round((s / 2147483648 - 0.5) * 64) / 8; // multiples of 1/8: exact sums in both precisions
  }
  return out;
}

/** Runs `kernel` and the naive loop on the same problem; returns both C arrays. */
function runBoth(kernel: GemmKernel, p: Problem, make: (n: number) => FloatArray): [FloatArray, FloatArray] {
  const { lda, ldb, ldc, aLength, bLength, cLength } = gemmLayout(p);
  const a = randomArray(make, aLength, p.seed);
  const b = randomArray(make, bLength, p.seed + 1);
  const c0 = randomArray(make, cLength, p.seed + 2);
  const got = c0.slice();
  const want = c0.slice();
  kernel(p.transA, p.transB, p.m, p.n, p.k, p.alpha, a, p.offA, lda, b, p.offB, ldb, p.beta, got, p.offC, ldc);
  naiveGemm(p.transA, p.transB, p.m, p.n, p.k, p.alpha, a, p.offA, lda, b, p.offB, ldb, p.beta, want, p.offC, ldc);
  return [got, want];
}

/** Values with -0 read as 0: a shortcut (alpha 0, k 0) may differ from the loop only in the sign of zero. */
const plain = (x: FloatArray): number[] => Array.from(x, (v) => v + 0);

// Tiny blocks drive every edge path (partial panels, several k slices,
// several row and column blocks) with small matrices.
const tinyBlocks = createBlockedGemm({ mc: 8, kc: 5, nc: 12, smallWork: 0 });
const defaultNoShortcut = createBlockedGemm({ mc: 64, kc: 256, nc: 512, smallWork: 0 });

describe("gemm reference kernel", () => {
  for (const [name, kernel] of [["tiny blocks", tinyBlocks], ["default blocks", defaultNoShortcut], ["exported kernel", gemmBlocked]] as const) {
    it(`matches the naive triple loop in float64 (${name}, all transpose variants, offsets, strides)`, () => {
      fc.assert(
        fc.property(problem, (p) => {
          const [got, want] = runBoth(kernel, p, (n) => new Float64Array(n));
          // Inputs are multiples of 1/8 with small magnitudes: every partial sum is exact.
          expect(plain(got)).toEqual(plain(want));
        }),
        { numRuns: 150 },
      );
    });

    it(`matches the naive triple loop in float32 (${name})`, () => {
      fc.assert(
        fc.property(problem, (p) => {
          const [got, want] = runBoth(kernel, p, (n) => new Float32Array(n));
          expect(plain(got)).toEqual(plain(want));
        }),
        { numRuns: 150 },
      );
    });
  }

  it("agrees with the naive loop on non-dyadic values across block boundaries (relative 1e-12)", () => {
    fc.assert(
      fc.property(
        fc.record({ m: fc.integer({ min: 60, max: 140 }), n: fc.integer({ min: 1, max: 20 }), k: fc.integer({ min: 250, max: 300 }), transA: fc.boolean(), transB: fc.boolean() }),
        ({ m, n, k, transA, transB }) => {
          const a = Float64Array.from({ length: m * k }, (_, i) => Math.sin(i * 0.37));
          const b = Float64Array.from({ length: k * n }, (_, i) => Math.cos(i * 0.11));
          const got = new Float64Array(m * n);
          const want = new Float64Array(m * n);
          const lda = transA ? m : k;
          const ldb = transB ? k : n;
          gemmBlocked(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, got, 0, n);
          naiveGemm(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, want, 0, n);
          for (let i = 0; i < got.length; i++) expect(Math.abs(got[i]! - want[i]!)).toBeLessThan(1e-12 * k);
        },
      ),
      { numRuns: 10 },
    );
  });

  it("computes a hand-checked product with each transpose flag", () => {
    // A = [[1,2,3],[4,5,6]], B = [[7,8],[9,10],[11,12]]: A B = [[58,64],[139,154]].
    const a = new Float64Array([1, 2, 3, 4, 5, 6]);
    const aT = new Float64Array([1, 4, 2, 5, 3, 6]);
    const b = new Float64Array([7, 8, 9, 10, 11, 12]);
    const bT = new Float64Array([7, 9, 11, 8, 10, 12]);
    for (const [ta, tb] of [[false, false], [true, false], [false, true], [true, true]] as const) {
      const c = new Float64Array(4);
      gemm(ta, tb, 2, 2, 3, 1, ta ? aT : a, 0, ta ? 2 : 3, tb ? bT : b, 0, tb ? 3 : 2, 0, c, 0, 2);
      expect(Array.from(c)).toEqual([58, 64, 139, 154]);
    }
  });

  it("overwrites C when beta is 0 (NaN in C does not leak) and scales it otherwise", () => {
    const a = new Float32Array([1, 2]);
    const b = new Float32Array([3, 4]);
    const c = new Float32Array([NaN]);
    gemm(false, false, 1, 1, 2, 1, a, 0, 2, b, 0, 1, 0, c, 0, 1);
    expect(c[0]).toBe(11);
    gemm(false, false, 1, 1, 2, 2, a, 0, 2, b, 0, 1, 0.5, c, 0, 1);
    expect(c[0]).toBe(5.5 + 22);
    const empty = new Float64Array([NaN, 3]);
    gemm(false, false, 1, 2, 0, 1, new Float64Array(0), 0, 1, new Float64Array(0), 0, 2, 0, empty, 0, 2);
    expect(Array.from(empty)).toEqual([0, 0]);
  });

  it("accumulates float32 inputs in double precision within a block of k", () => {
    // 1 + 199 terms of 1e-8: a float32 running sum would stay at 1.
    const k = 200;
    const a = new Float32Array(k).fill(1);
    const b = new Float32Array(k).fill(1e-8);
    b[0] = 1;
    const c = new Float32Array(1);
    gemm(false, false, 1, 1, k, 1, a, 0, k, b, 0, 1, 0, c, 0, 1);
    expect(c[0]).toBeCloseTo(1.00000199, 6);
  });

  it("rejects bad sizes and arrays too short, before writing", () => {
    const c = new Float64Array([7, 7, 7, 7]);
    const a = new Float64Array(6);
    expect(() => gemm(false, false, 2, 2, 3, 1, a, 0, 3, new Float64Array(5), 0, 2, 0, c, 0, 2)).toThrow(/B \(3x2, ld 2, offset 0\) does not fit in an array of length 5/);
    expect(() => gemm(false, false, 2, 2, 3, 1, a, 0, 2, a, 0, 2, 0, c, 0, 2)).toThrow(/leading dimension of A must be an integer >= 3, got 2/);
    expect(() => gemm(false, false, -1, 2, 3, 1, a, 0, 3, a, 0, 2, 0, c, 0, 2)).toThrow(/m must be a non-negative integer, got -1/);
    expect(() => gemm(false, false, 2, 2, 3, 1, a, 1, 3, a, 0, 2, 0, c, 0, 2)).toThrow(/A \(2x3, ld 3, offset 1\)/);
    expect(Array.from(c)).toEqual([7, 7, 7, 7]);
    expect(() => createBlockedGemm({ mc: 6, kc: 4, nc: 8, smallWork: 0 })).toThrow(/mc must be a positive multiple of 4, got 6/);
  });

  it("dispatches through the replaceable kernel table", () => {
    const calls: number[] = [];
    const original = gemmKernels.gemm;
    gemmKernels.gemm = (...args) => {
      calls.push(args[2]);
      referenceGemmKernels.gemm(...args);
    };
    try {
      const c = new Float64Array(1);
      gemm(false, false, 1, 1, 1, 1, new Float64Array([2]), 0, 1, new Float64Array([3]), 0, 1, 0, c, 0, 1);
      expect(c[0]).toBe(6);
      expect(calls).toEqual([1]);
    } finally {
      gemmKernels.gemm = original;
    }
    expect(gemmKernels.gemm).toBe(referenceGemmKernels.gemm);
  });
});
