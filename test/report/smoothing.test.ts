import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { betaForLength, smoothEma, thin } from "../../src/report/smoothing.js";

describe("smoothEma", () => {
  it("is the bias-corrected moving average", () => {
    // m1 = 0.5*0, s1 = 0 / 0.5 = 0; m2 = 0.5*0 + 0.5*2 = 1, s2 = 1 / (1 - 0.25) = 4/3.
    const [a, b] = smoothEma([0, 2], 0.5);
    expect(a).toBe(0);
    expect(b).toBeCloseTo(4 / 3, 14);
    // A constant is left as it is from the first point on (no pull towards 0).
    for (const v of smoothEma([3, 3, 3, 3], 0.98)) expect(v).toBeCloseTo(3, 12);
    expect(smoothEma([1, 5, 2], 0)).toEqual([1, 5, 2]);
  });

  it("carries a non-finite loss forward", () => {
    const s = smoothEma([1, Infinity, 1], 0.5);
    expect(s[0]).toBe(1);
    expect(s[1]).toBe(Infinity);
    expect(s[2]).toBe(Infinity);
  });

  it("rejects beta outside [0, 1)", () => {
    expect(() => smoothEma([1], 1)).toThrow(/beta must be in \[0, 1\), got 1/);
  });

  it("picks a window of about n/50 points", () => {
    expect(betaForLength(10)).toBe(0);
    expect(betaForLength(500)).toBeCloseTo(0.9, 12);
    expect(betaForLength(1e6)).toBe(0.98);
  });
});

describe("thin", () => {
  it("keeps at most max items, the first and the last, in order", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), fc.integer({ min: 2, max: 700 }), (n, max) => {
        const items = Array.from({ length: n }, (_, i) => i);
        const out = thin(items, max);
        expect(out.length).toBeLessThanOrEqual(Math.max(max, 0));
        if (n <= max) expect(out).toEqual(items);
        else {
          expect(out[0]).toBe(0);
          expect(out[out.length - 1]).toBe(n - 1);
          for (let i = 1; i < out.length; i++) expect(out[i]!).toBeGreaterThan(out[i - 1]!);
        }
      }),
    );
  });
});
