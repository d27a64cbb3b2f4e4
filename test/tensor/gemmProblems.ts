// Random GEMM problems shared by the reference and WASM kernel tests:
// transposes, alpha/beta, padded leading dimensions and offsets, and the
// buffer layout each problem needs.
import fc from "fast-check";

export interface GemmProblem {
  transA: boolean;
  transB: boolean;
  m: number;
  n: number;
  k: number;
  alpha: number;
  beta: number;
  /** Extra columns in each leading dimension and elements before each matrix. */
  padA: number;
  padB: number;
  padC: number;
  offA: number;
  offB: number;
  offC: number;
  seed: number;
}

/** Problems whose m, n, k are either one of `small` or anything up to `maxDim`. */
export function gemmProblems(small: readonly number[], maxDim: number): fc.Arbitrary<GemmProblem> {
  const dim = fc.oneof(fc.constantFrom(...small), fc.integer({ min: 0, max: maxDim }));
  return fc.record({
    transA: fc.boolean(),
    transB: fc.boolean(),
    m: dim,
    n: dim,
    k: dim,
    alpha: fc.constantFrom(1, -0.5, 2, 0),
    beta: fc.constantFrom(0, 1, 0.5),
    padA: fc.integer({ min: 0, max: 3 }),
    padB: fc.integer({ min: 0, max: 3 }),
    padC: fc.integer({ min: 0, max: 3 }),
    offA: fc.integer({ min: 0, max: 5 }),
    offB: fc.integer({ min: 0, max: 5 }),
    offC: fc.integer({ min: 0, max: 5 }),
    seed: fc.integer({ min: 1, max: 1 << 30 }),
  });
}

/** Leading dimensions and buffer lengths (offset included) for A, B and C of a problem. */
export function gemmLayout(p: GemmProblem): { lda: number; ldb: number; ldc: number; aLength: number; bLength: number; cLength: number } {
  const [aRows, aCols] = p.transA ? [p.k, p.m] : [p.m, p.k];
  const [bRows, bCols] = p.transB ? [p.n, p.k] : [p.k, p.n];
  const lda = Math.max(1, aCols) + p.padA;
  const ldb = Math.max(1, bCols) + p.padB;
  const ldc = Math.max(1, p.n) + p.padC;
  return { lda, ldb, ldc, aLength: p.offA + aRows * lda, bLength: p.offB + bRows * ldb, cLength: p.offC + p.m * ldc };
}
