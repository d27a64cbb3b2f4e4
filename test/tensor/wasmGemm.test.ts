// The WebAssembly SIMD GEMM against the definition, on random shapes
// (0, 1, odd sizes, non-multiples of the 4x8 tile), both transposes,
// offsets, padded leading dimensions, and blockings small enough that every
// edge of the packing and tiling is crossed.
//
// Tolerance: on data whose products and sums are exact in float32 (multiples
// of 1/8 in [-4, 4], k <= 48) the kernel must equal the definition exactly;
// on random data, each element within (k + 2)·2⁻²³·(|alpha|·Σ|a||b| + |beta·c|)
// + 2⁻¹⁴⁰ of it, the textbook float32 bound for a dot product of length k.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { gemmBlocked } from "../../src/tensor/kernels/gemm-blocked.js";
import type { FloatArray, GemmKernel } from "../../src/tensor/kernels/gemm.js";
import { createWasmGemm, defaultWasmGemmBlocking } from "../../src/tensor/kernels/wasm/gemm.js";
import { sharedWasmRuntime, wasmRuntime } from "../../src/tensor/kernels/wasm/runtime.js";
import { type GemmProblem as Problem, gemmLayout, gemmProblems } from "./gemmProblems.js";

const shared = sharedWasmRuntime();
const kernels: [string, GemmKernel][] = [
  ["default blocking", createWasmGemm()],
  ["tiny blocks (mc 8, kc 5, nc 16)", createWasmGemm({ mc: 8, kc: 5, nc: 16 })],
  ["blocks (mc 4, kc 1, nc 8)", createWasmGemm({ mc: 4, kc: 1, nc: 8 })],
];
if (shared !== null) kernels.push(["the shared-memory instance, tiny blocks (mc 8, kc 3, nc 8)", createWasmGemm({ mc: 8, kc: 3, nc: 8 }, gemmBlocked, shared)]);

const problem = gemmProblems([0, 1, 2, 3, 4, 5, 7, 8, 9], 48);

/** Seeded values: exact multiples of 1/8 in [-4, 4], or arbitrary ones in (-1, 1) scaled by 10^e. */
function values(length: number, seed: number, exact: boolean): Float32Array {
  const out = new Float32Array(length);
  let s = seed;
  for (let i = 0; i < length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648 - 0.5;
    out[i] = exact ? Math.round(u * 64) / 8 : u * 2 * 10 ** ((i % 5) - 2);
  }
  return out;
}

type Setup = { a: Float32Array; b: Float32Array; c: Float32Array; lda: number; ldb: number; ldc: number };

function setup(p: Problem, exact: boolean): Setup {
  const { lda, ldb, ldc, aLength, bLength, cLength } = gemmLayout(p);
  return {
    a: values(aLength, p.seed, exact),
    b: values(bLength, p.seed + 1, exact),
    c: values(cLength + 3, p.seed + 2, exact),
    lda,
    ldb,
    ldc,
  };
}

/** The definition in double, and for each element of C the bound on |alpha|Σ|a||b| + |beta c|. */
function definition(p: Problem, s: Setup): { c: Float64Array; scale: Float64Array } {
  const c = Float64Array.from(s.c);
  const scale = new Float64Array(s.c.length);
  for (let i = 0; i < p.m; i++) {
    for (let j = 0; j < p.n; j++) {
      let sum = 0;
      let abs = 0;
      for (let q = 0; q < p.k; q++) {
        const av = p.transA ? s.a[p.offA + q * s.lda + i]! : s.a[p.offA + i * s.lda + q]!;
        const bv = p.transB ? s.b[p.offB + j * s.ldb + q]! : s.b[p.offB + q * s.ldb + j]!;
        sum += av * bv;
        abs += Math.abs(av * bv);
      }
      const o = p.offC + i * s.ldc + j;
      const old = s.c[o]!;
      c[o] = p.beta === 0 ? p.alpha * sum : p.beta * old + p.alpha * sum;
      scale[o] = Math.abs(p.alpha) * abs + (p.beta === 0 ? 0 : Math.abs(p.beta * old));
    }
  }
  return { c, scale };
}

function run(kernel: GemmKernel, p: Problem, s: Setup): Float32Array {
  const c = s.c.slice();
  kernel(p.transA, p.transB, p.m, p.n, p.k, p.alpha, s.a, p.offA, s.lda, s.b, p.offB, s.ldb, p.beta, c, p.offC, s.ldc);
  return c;
}

function mismatches(got: FloatArray, want: Float64Array, scale: Float64Array, k: number): string[] {
  const out: string[] = [];
  for (let i = 0; i < got.length; i++) {
    const tol = (k + 2) * 2 ** -23 * scale[i]! + 2 ** -140;
    // Outside C, scale is 0: the element must be untouched.
    if (!(Math.abs(got[i]! - want[i]!) <= tol)) out.push(`[${i}] got ${got[i]} want ${want[i]} (tol ${tol})`);
  }
  return out;
}

describe("WASM SIMD sgemm == the definition", () => {
  for (const [name, kernel] of kernels) {
    it(`${name}: exact data gives exact results (up to the sign of zero), elements outside C untouched`, () => {
      fc.assert(
        fc.property(problem, (p) => {
          const s = setup(p, true);
          const got = run(kernel, p, s);
          const want = Float32Array.from(definition(p, s).c);
          // === : the sign of a zero may differ (alpha 0 skips the product, as in BLAS).
          expect(got.filter((x, i) => x !== want[i]).length).toBe(0);
        }),
        { numRuns: 150 },
      );
    });

    it(`${name}: random float32 data within the float32 dot-product bound`, () => {
      fc.assert(
        fc.property(problem, (p) => {
          const s = setup(p, false);
          const { c, scale } = definition(p, s);
          expect(mismatches(run(kernel, p, s), c, scale, p.k)).toEqual([]);
        }),
        { numRuns: 150 },
      );
    });
  }

  it("crosses each default block boundary (m > mc, n > nc, k > kc), all four transposes", () => {
    expect(defaultWasmGemmBlocking).toEqual({ mc: 128, kc: 256, nc: 1024 });
    const kernel = kernels[0]![1];
    for (const [m, n, k] of [[133, 21, 30], [9, 1030, 30], [9, 21, 263]]) {
      for (const [transA, transB] of [[false, false], [true, false], [false, true], [true, true]] as const) {
        const p: Problem = { transA, transB, m, n, k, alpha: 1.5, beta: 0.5, padA: 1, padB: 0, padC: 2, offA: 3, offB: 0, offC: 1, seed: 7 };
        const s = setup(p, false);
        const { c, scale } = definition(p, s);
        expect(mismatches(run(kernel, p, s), c, scale, p.k)).toEqual([]);
      }
    }
  });

  it("beta 0 overwrites C without reading it (NaN in C does not leak)", () => {
    const a = Float32Array.from({ length: 5 * 7 }, (_, i) => i % 3);
    const b = Float32Array.from({ length: 7 * 9 }, (_, i) => (i % 4) - 1);
    for (const [, kernel] of kernels) {
      const c = new Float32Array(5 * 9).fill(NaN);
      kernel(false, false, 5, 9, 7, 1, a, 0, 7, b, 0, 9, 0, c, 0, 9);
      expect(c.every((x) => Number.isFinite(x))).toBe(true);
    }
  });

  it("operands that live in the shared WASM memory are used in place, with the same results", () => {
    if (shared === null) return; // only a shared memory hands out arrays
    const p: Problem = { transA: true, transB: false, m: 37, n: 29, k: 41, alpha: -0.5, beta: 1, padA: 2, padB: 1, padC: 3, offA: 2, offB: 1, offC: 4, seed: 11 };
    const s = setup(p, false);
    const staged = run(kernels[0]![1], p, s);
    const resident = (x: Float32Array): Float32Array => {
      const r = shared.residentFloat32(x.length)!;
      r.set(x);
      return r;
    };
    const a = resident(s.a);
    const b = resident(s.b);
    const c = resident(s.c);
    expect(shared.addressOf(c)).toBeGreaterThan(0);
    expect(wasmRuntime().addressOf(c)).toBe(-1);
    kernels[0]![1](p.transA, p.transB, p.m, p.n, p.k, p.alpha, a, p.offA, s.lda, b, p.offB, s.ldb, p.beta, c, p.offC, s.ldc);
    expect(Array.from(c)).toEqual(Array.from(staged));
    // Mixed: C in WASM memory, A and B ordinary arrays (copied into the shared instance's scratch).
    const c2 = resident(s.c);
    kernels[0]![1](p.transA, p.transB, p.m, p.n, p.k, p.alpha, s.a, p.offA, s.lda, s.b, p.offB, s.ldb, p.beta, c2, p.offC, s.ldc);
    expect(Array.from(c2)).toEqual(Array.from(staged));
  });

  it("float64 and mixed operands go to the reference kernel, bit for bit", () => {
    const a = Float64Array.from({ length: 6 * 5 }, (_, i) => Math.sin(i));
    const b = Float64Array.from({ length: 5 * 7 }, (_, i) => Math.cos(i));
    const c1 = new Float64Array(6 * 7).fill(0.25);
    const c2 = c1.slice();
    kernels[0]![1](false, true, 6, 7, 5, 1.5, a, 0, 5, b, 0, 5, 0.5, c1, 0, 7);
    gemmBlocked(false, true, 6, 7, 5, 1.5, a, 0, 5, b, 0, 5, 0.5, c2, 0, 7);
    expect(Array.from(c1)).toEqual(Array.from(c2));
  });

  it("rejects a blocking the tile cannot use", () => {
    expect(() => createWasmGemm({ mc: 6, kc: 8, nc: 16 })).toThrow(/mc must be a positive multiple of 4, got 6/);
    expect(() => createWasmGemm({ mc: 8, kc: 8, nc: 12 })).toThrow(/nc must be a positive multiple of 8, got 12/);
  });
});

describe("matmul under the wasm backend", () => {
  it("float32 matmul and its backward agree with the js backend to float32 rounding", () => {
    const before = nb.getBackend();
    try {
      const gen = new nb.Generator(3);
      const x = nb.randn([33, 47], { generator: gen, requiresGrad: true });
      const w = nb.randn([47, 19], { generator: gen, requiresGrad: true });
      const results = (["js", "wasm"] as const).map((backend) => {
        nb.setBackend(backend);
        x.grad = null;
        w.grad = null;
        const y = x.matmul(w);
        y.mul(y).sum().backward();
        return [y.data, x.grad!.data, w.grad!.data].map((d) => Array.from(d));
      });
      for (let t = 0; t < 3; t++) {
        const [js, wasm] = [results[0]![t]!, results[1]![t]!];
        const scale = Math.max(...js.map(Math.abs));
        js.forEach((v, i) => expect(Math.abs(wasm[i]! - v)).toBeLessThanOrEqual(1e-5 * scale));
      }
    } finally {
      nb.setBackend(before);
    }
  });
});
