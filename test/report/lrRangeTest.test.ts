import { describe, expect, it } from "vitest";
import { analyzeLrRange, lrRange } from "../../src/report/lrRangeTest.js";

describe("lrRange", () => {
  it("grows geometrically from minLr to maxLr", () => {
    const lrs = lrRange(1e-6, 1, 7);
    expect(lrs).toHaveLength(7);
    expect(lrs[0]).toBe(1e-6);
    expect(lrs[6]).toBeCloseTo(1, 12);
    for (let i = 1; i < lrs.length; i++) expect(lrs[i]! / lrs[i - 1]!).toBeCloseTo(10, 9);
    expect(() => lrRange(1, 0.1, 5)).toThrow(/0 < minLr < maxLr/);
    expect(() => lrRange(1e-3, 1, 1)).toThrow(/at least 2 steps/);
  });
});

describe("analyzeLrRange", () => {
  // A loss that falls fastest (against ln lr) at lr = e^x0, flattens, then explodes past lr = e^x1.
  const lrs = lrRange(1e-5, 10, 301);
  const x0 = Math.log(1e-3);
  const x1 = Math.log(0.5);
  const losses = lrs.map((lr) => {
    const x = Math.log(lr);
    return 2 - Math.tanh(x - x0) + (x > x1 ? Math.exp(3 * (x - x1)) - 1 : 0);
  });

  it("without smoothing, suggests the rate of steepest descent and cuts at divergence", () => {
    const a = analyzeLrRange(lrs, losses, { beta: 0, divergeFactor: 4 });
    expect(a.smoothed).toEqual(losses);
    // The grid steps by a factor 10^(6/300); the suggestion is the grid point nearest e^x0.
    expect(Math.abs(Math.log10(a.suggestedLr!) - -3)).toBeLessThanOrEqual(0.02 + 1e-9);
    // Divergence: the first loss above 4 * the minimum.
    const min = Math.min(...losses.slice(0, a.divergedAt!));
    expect(losses[a.divergedAt!]!).toBeGreaterThan(4 * min);
    expect(losses[a.divergedAt! - 1]!).toBeLessThanOrEqual(4 * Math.min(...losses.slice(0, a.divergedAt! - 1)));
    // The lowest loss sits between the descent and the blow-up, at x1 or just before.
    expect(lrs[a.minIndex]!).toBeGreaterThan(1e-3);
    expect(lrs[a.minIndex]!).toBeLessThanOrEqual(0.5 * 1.05);
    expect(a.minLrDiv10).toBeCloseTo(lrs[a.minIndex]! / 10, 15);
  });

  it("smoothing delays the curve but keeps the suggestion in the falling part", () => {
    const a = analyzeLrRange(lrs, losses);
    expect(a.suggestedLr!).toBeGreaterThan(1e-4);
    expect(a.suggestedLr!).toBeLessThan(1e-2);
  });

  it("stops at the first non-finite loss and needs three points to suggest anything", () => {
    const a = analyzeLrRange([1, 2, 3, 4], [1, 0.5, NaN, 0.1], { beta: 0 });
    expect(a.divergedAt).toBe(2);
    expect(a.suggestedLr).toBeNull();
    expect(a.minIndex).toBe(1);
    const b = analyzeLrRange([1, 2, 4, 8], [1, 0.9, 0.5, 0.45], { beta: 0, skipStart: 0 });
    // Slopes per ln(lr): central differences; the steepest is around index 1..2 where the loss drops by 0.4.
    expect(b.divergedAt).toBeNull();
    expect(b.steepestIndex).toBe(1);
    expect(b.suggestedLr).toBe(2);
    expect(() => analyzeLrRange([1, 2], [1], {})).toThrow(/2 rates but 1 losses/);
  });
});
