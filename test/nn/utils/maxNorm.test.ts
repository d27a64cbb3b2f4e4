import { describe, expect, it } from "vitest";
import * as nb from "../../../src/index.js";

describe("maxNormConstraint", () => {
  it("rescales only the rows whose L2 norm exceeds the bound, in place", () => {
    const w = nb.tensor([[3, 4], [0.3, 0.4], [0, 0]], { dtype: "float64" });
    const b = nb.tensor([10, 10], { dtype: "float64" });
    expect(nb.nn.utils.maxNormConstraint([w, b], 1)).toBe(1);
    const f = 1 / (5 + 1e-7);
    expect(Array.from(w.data)).toEqual([3 * f, 4 * f, 0.3, 0.4, 0, 0]);
    expect(Array.from(b.data)).toEqual([10, 10]);
  });

  it("rejects a non-positive bound", () => {
    expect(() => nb.nn.utils.maxNormConstraint([], 0)).toThrow(/maxNorm must be a positive finite number, got 0/);
  });
});
