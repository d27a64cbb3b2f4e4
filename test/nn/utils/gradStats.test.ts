import { describe, expect, it } from "vitest";
import * as nb from "../../../src/index.js";

const { gradStats, snapshotWeights } = nb.nn.utils;

describe("gradStats", () => {
  it("reports gradient and weight norms per parameter and in total", () => {
    const w = nb.tensor([[3, 4]], { dtype: "float64" });
    w.grad = nb.tensor([[0, -2]], { dtype: "float64" });
    const b = nb.tensor([1], { dtype: "float64" });
    const stats = gradStats([["w", w], ["b", b]]);
    expect(stats.params[0]).toEqual({
      name: "w",
      shape: [1, 2],
      size: 2,
      gradNorm: 2,
      gradMaxAbs: 2,
      gradNonfinite: 0,
      weightNorm: 5,
      updateNorm: null,
      updateRatio: null,
    });
    expect(stats.params[1]!.gradNorm).toBeNull();
    expect(stats.totalGradNorm).toBe(2);
    expect(stats.totalWeightNorm).toBeCloseTo(Math.sqrt(26), 15);
    expect(stats.nonfiniteGrads).toBe(0);
  });

  it("gives the update and update/weight ratio against a snapshot", () => {
    const w = nb.tensor([3, 4], { dtype: "float64" });
    const before = snapshotWeights({ w });
    w.data[0] = 3.03; // moves by 0.03
    w.data[1] = 4.04; // and 0.04: update norm 0.05, old norm 5
    const s = gradStats(new Map([["w", w]]), { previousWeights: before }).params[0]!;
    expect(s.updateNorm).toBeCloseTo(0.05, 15);
    expect(s.updateRatio).toBeCloseTo(0.01, 15);
    // the snapshot is a copy
    expect(Array.from(before.w!)).toEqual([3, 4]);
  });

  it("counts non-finite gradient elements and handles zero old weights", () => {
    const w = nb.tensor([0, 0], { dtype: "float64" });
    const before = snapshotWeights({ w });
    w.grad = nb.tensor([NaN, Infinity], { dtype: "float64" });
    let s = gradStats({ w }, { previousWeights: before });
    expect(s.nonfiniteGrads).toBe(2);
    expect(s.params[0]!.updateRatio).toBe(0);
    w.data[0] = 1;
    s = gradStats({ w }, { previousWeights: before });
    expect(s.params[0]!.updateNorm).toBe(1);
    expect(s.params[0]!.updateRatio).toBeNull();
  });

  it("returns plain data that survives JSON", () => {
    const w = nb.tensor([1, 2]);
    w.grad = nb.tensor([0.5, 0.5]);
    const s = gradStats({ w }, { previousWeights: snapshotWeights({ w }) });
    expect(JSON.parse(JSON.stringify(s))).toEqual(s);
  });

  it("rejects a snapshot of the wrong size and non-tensors", () => {
    const w = nb.tensor([1, 2]);
    expect(() => gradStats({ w }, { previousWeights: { w: [1] } })).toThrow(/gradStats: previousWeights\["w"\] has 1 values, the parameter has 2/);
    expect(() => gradStats({ w: [1, 2] as never })).toThrow(/gradStats: parameter "w" is not a Tensor/);
  });
});
