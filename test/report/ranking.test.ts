import { describe, expect, it } from "vitest";
import type { RecordedRun } from "../../src/report/experiment.js";
import { defaultTarget, rankRuns, summarize } from "../../src/report/ranking.js";

function run(optimizer: string, losses: number[], evals: [number, number, number][], diverged = false): RecordedRun {
  return {
    optimizer,
    lr: 0.1,
    steps: losses.map((loss, i) => ({ step: i + 1, epoch: 0, loss, lr: 0.1, gradNorm: 1, seconds: (i + 1) / 10 })),
    evals: evals.map(([step, loss, accuracy]) => ({ step, seconds: step / 10, loss, accuracy })),
    stateBytes: 40,
    seconds: losses.length / 10,
    diverged: diverged ? { step: losses.length + 1, message: "loss is NaN" } : null,
  };
}

describe("ranking", () => {
  const a = run("a", [1, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.05], [[0, 2, 0.1], [6, 0.6, 0.8], [12, 0.3, 0.9]]);
  const b = run("b", Array(12).fill(0.5), [[0, 2, 0.1], [6, 0.4, 0.85], [12, 0.2, 0.84]]);
  const c = run("c", [1, 2], [[0, 2, 0.1], [2, 0.01, 0.95]], true);

  it("summarizes a run from its curves", () => {
    const s = summarize(a, 0.85);
    // Last 10% of 12 steps, rounded up: the last 2.
    expect(s.finalTrainLoss).toBeCloseTo(0.05, 12);
    expect(s.finalValLoss).toBe(0.3);
    expect(s.bestAccuracy).toBe(0.9);
    expect(s.timeToTarget).toEqual({ step: 12, seconds: 1.2 });
    expect(summarize(b, 0.95).timeToTarget).toBeNull();
  });

  it("ranks by final validation loss, diverged runs last", () => {
    const ranked = rankRuns([a, b, c], 0.8);
    expect(ranked.map((s) => [s.rank, s.optimizer])).toEqual([
      [1, "b"],
      [2, "a"],
      [3, "c"],
    ]);
    expect(ranked[2]!.diverged).toBe(true);
  });

  it("breaks ties on the better accuracy", () => {
    const d = run("d", [1], [[1, 0.2, 0.9]]);
    const e = run("e", [1], [[1, 0.2, 0.95]]);
    expect(rankRuns([d, e], 0.5).map((s) => s.optimizer)).toEqual(["e", "d"]);
  });

  it("defaults the target to 95% of the best accuracy, floored to 0.1%", () => {
    expect(defaultTarget([a, b])).toBe(Math.floor(0.9 * 0.95 * 1000) / 1000);
  });
});
