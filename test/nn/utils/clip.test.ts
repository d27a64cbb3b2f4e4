import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as nb from "../../../src/index.js";

const { clipGradNorm, clipGradValue } = nb.nn.utils;

/** A parameter tensor whose grad holds `values` (or null). */
function param(values: number[] | null, dtype: "float32" | "float64" = "float64"): nb.Tensor {
  const p = nb.zeros([values?.length ?? 1], { dtype });
  if (values !== null) p.grad = nb.tensor(values, { dtype });
  return p;
}
const gradOf = (p: nb.Tensor): number[] => Array.from(p.grad!.data);

describe("clipGradNorm", () => {
  it("scales by maxNorm / (total + 1e-6) and returns the norm before clipping", () => {
    const p = param([3, 4]);
    expect(clipGradNorm([p], 1)).toBe(5);
    const c = 1 / (5 + 1e-6);
    expect(gradOf(p)).toEqual([3 * c, 4 * c]);
  });

  it("the total is over all tensors together", () => {
    const a = param([1, 2]);
    const b = param([2]);
    expect(clipGradNorm([a, b], 1.5)).toBe(3);
    expect(gradOf(a)[1]! / gradOf(b)[0]!).toBeCloseTo(1, 15);
    expect(Math.hypot(...gradOf(a), ...gradOf(b))).toBeCloseTo(1.5, 6);
  });

  it("leaves gradients under the limit alone", () => {
    const p = param([0.3, -0.4]);
    expect(clipGradNorm([p], 1)).toBeCloseTo(0.5, 15);
    expect(gradOf(p)).toEqual([0.3, -0.4]);
  });

  it("norm types 1, 3 and Infinity (also as \"inf\")", () => {
    expect(clipGradNorm([param([1, -2]), param([3])], 100, 1)).toBe(6);
    expect(clipGradNorm([param([1, -2]), param([3])], 100, 3)).toBeCloseTo(36 ** (1 / 3), 14);
    const a = param([1, -7]);
    expect(clipGradNorm([a, param([3])], 3.5, Infinity)).toBe(7);
    expect(gradOf(a)[1]).toBeCloseTo(-3.5, 5);
    expect(clipGradNorm([param([1, -2])], 100, "inf")).toBe(2);
  });

  it("skips parameters without a gradient; none at all gives 0", () => {
    const none = param(null);
    const p = param([6, 8]);
    expect(clipGradNorm([none, p], 5)).toBe(10);
    expect(none.grad).toBeNull();
    expect(clipGradNorm([param(null)], 1)).toBe(0);
    expect(clipGradNorm(param([0.5]), 1)).toBe(0.5); // a single tensor works too
  });

  it("works in float32 in place", () => {
    const p = param([3, 4], "float32");
    const data = p.grad!.data;
    clipGradNorm([p], 1);
    expect(p.grad!.data).toBe(data);
    expect(data).toBeInstanceOf(Float32Array);
    expect(data[0]).toBeCloseTo(0.6, 6);
  });

  it("a non-finite total scales like torch by default (inf -> zeros, NaN -> NaN)", () => {
    const a = param([Infinity, 1]);
    expect(clipGradNorm([a], 1)).toBe(Infinity);
    expect(gradOf(a)).toEqual([NaN, 0]);
    const b = param([NaN, 1]);
    expect(clipGradNorm([b], 1)).toBeNaN();
    expect(gradOf(b)).toEqual([NaN, NaN]);
  });

  it("with errorIfNonfinite a non-finite total throws and leaves every gradient unchanged", () => {
    for (const bad of [Infinity, -Infinity, NaN]) {
      const ok = param([1, 2]);
      const p = param([bad, 3]);
      expect(() => clipGradNorm([ok, p], 1, 2, { errorIfNonfinite: true })).toThrow(
        /clipGradNorm: the total 2-norm of the gradients is (Infinity|NaN), so they cannot be clipped; the gradients were left unchanged/,
      );
      expect(gradOf(ok)).toEqual([1, 2]);
      expect(gradOf(p)).toEqual([bad, 3]);
    }
    // a finite total passes even with the flag
    expect(clipGradNorm([param([3, 4])], 1, 2, { errorIfNonfinite: true })).toBe(5);
  });

  it("rejects bad arguments before touching anything", () => {
    const p = param([3, 4]);
    expect(() => clipGradNorm([p], -1)).toThrow(/clipGradNorm: maxNorm must be a number >= 0, got -1/);
    expect(() => clipGradNorm([p], NaN)).toThrow(/maxNorm must be a number >= 0, got NaN/);
    expect(() => clipGradNorm([p], 1, 0)).toThrow(/normType must be a number > 0 or Infinity, got 0/);
    expect(() => clipGradNorm([p, 3 as never], 1)).toThrow(/clipGradNorm: params\[1\] is not a Tensor/);
    expect(() => clipGradNorm(5 as never, 1)).toThrow(/params must be a Tensor or an iterable of Tensors/);
    const q = nb.zeros([2]);
    q.grad = nb.tensor([1, 2], { dtype: "int32" });
    expect(() => clipGradNorm([p, q], 1)).toThrow(/params\[1\].grad has dtype int32/);
    expect(gradOf(p)).toEqual([3, 4]);
  });

  it("afterwards the norm is at most maxNorm; every element is scaled by the same factor (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.double({ min: -1e3, max: 1e3, noNaN: true }), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
        fc.double({ min: 1e-3, max: 100, noNaN: true }),
        fc.constantFrom(1, 2, 3, Infinity),
        (grads, maxNorm, p) => {
          const params = grads.map((g) => param(g));
          const total = clipGradNorm(params, maxNorm, p);
          const after = clipGradNorm(params.map((q) => param(gradOf(q))), Infinity, p);
          expect(after).toBeLessThanOrEqual(Math.max(maxNorm, 0) * (1 + 1e-12));
          if (total <= maxNorm) expect(after).toBeCloseTo(total, 6);
          const coef = Math.min(1, maxNorm / (total + 1e-6));
          params.forEach((q, i) => expect(gradOf(q)).toEqual(grads[i]!.map((g) => g * coef)));
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("clipGradValue", () => {
  it("clamps to [-v, v], keeps NaN, skips missing gradients", () => {
    const a = param([0.1, 0.7, -2, NaN]);
    const none = param(null);
    clipGradValue([a, none], 0.5);
    expect(gradOf(a)).toEqual([0.1, 0.5, -0.5, NaN]);
    expect(none.grad).toBeNull();
  });

  it("rejects a negative or non-number clip value", () => {
    const a = param([2]);
    expect(() => clipGradValue([a], -1)).toThrow(/clipGradValue: clipValue must be a number >= 0, got -1/);
    expect(() => clipGradValue([a], "1" as never)).toThrow(/clipValue must be a number >= 0, got 1/);
    expect(gradOf(a)).toEqual([2]);
  });
});
