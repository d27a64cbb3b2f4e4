// WASM elementwise kernels against their definition, on random lengths
// (0, 1, odd, non-multiples of 4, past the staging chunk), in and out of WASM
// memory. Tolerance: bit for bit the float32 evaluation (Math.fround after
// each operation: exact float32 arithmetic), and within 2⁻²²·(|y| + |alpha·x|)
// (4 ulps of the larger term) of the double result.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wasmAxpy } from "../../src/tensor/kernels/wasm/elementwise.js";
import { sharedWasmRuntime } from "../../src/tensor/kernels/wasm/runtime.js";
import { STAGE_CHUNK } from "../../src/tensor/kernels/wasm/staging.js";

const shared = sharedWasmRuntime();

function values(n: number, seed: number): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = (2 * (s / 2147483648) - 1) * 10 ** ((i % 7) - 3);
  }
  return out;
}

describe("wasmAxpy == y + alpha·x", () => {
  it("within 4 float32 ulps of the larger term, for any length and placement", () => {
    const length = fc.oneof(fc.integer({ min: 0, max: 70 }), fc.constantFrom(STAGE_CHUNK + 3, 2 * STAGE_CHUNK + 1));
    fc.assert(
      fc.property(length, fc.integer({ min: 1, max: 1 << 30 }), fc.constantFrom(1, -0.5, 3e-3, 0), fc.boolean(), (n, seed, alpha, inWasm) => {
        const y0 = values(n, seed);
        const x = values(n, seed + 1);
        let y: Float32Array = y0.slice();
        if (inWasm && shared !== null) {
          const r = shared.residentFloat32(n)!;
          r.set(y);
          y = r;
        }
        wasmAxpy(y, x, alpha);
        const bad: number[] = [];
        const a32 = Math.fround(alpha);
        for (let i = 0; i < n; i++) {
          const exact32 = Math.fround(y0[i]! + Math.fround(a32 * x[i]!));
          const want = y0[i]! + alpha * x[i]!;
          if (!Object.is(y[i], exact32) || !(Math.abs(y[i]! - want) <= 2 ** -22 * (Math.abs(y0[i]!) + Math.abs(alpha * x[i]!)))) bad.push(i);
        }
        expect(bad).toEqual([]);
      }),
      { numRuns: 100 },
    );
  });

  it("checks the lengths", () => {
    expect(() => wasmAxpy(new Float32Array(3), new Float32Array(2), 1)).toThrow("wasmAxpy: x has 2 elements, y has 3");
  });
});
