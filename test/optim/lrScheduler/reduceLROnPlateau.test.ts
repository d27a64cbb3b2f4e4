import { describe, expect, it } from "vitest";
import * as nb from "../../../src/index.js";

const { ReduceLROnPlateau } = nb.optim.lrScheduler;
const opt = (...lrs: number[]) => ({ paramGroups: lrs.map((lr) => ({ lr })) });

/** Feeds the metrics and returns group 0's lr after each. */
function run(s: InstanceType<typeof ReduceLROnPlateau>, o: { paramGroups: { lr: number }[] }, metrics: number[]): number[] {
  return metrics.map((m) => (s.step(m), o.paramGroups[0]!.lr));
}

describe("ReduceLROnPlateau", () => {
  it("mode min: reduces after more than `patience` epochs without improvement", () => {
    const o = opt(1);
    const s = new ReduceLROnPlateau(o, { factor: 0.5, patience: 2 });
    expect(run(s, o, [1, 0.9, 0.95, 0.95, 0.95, 0.95, 0.95, 0.95])).toEqual([1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25]);
    expect(s.best).toBe(0.9);
    expect(s.getLastLr()).toEqual([0.25]);
  });

  it("mode max: higher is better", () => {
    const o = opt(1);
    const s = new ReduceLROnPlateau(o, { mode: "max", factor: 0.1, patience: 0 });
    expect(run(s, o, [0.5, 0.6, 0.6, 0.7, 0.65])).toEqual([1, 1, 0.1, 0.1, 0.1 * 0.1]);
    expect(s.best).toBe(0.7);
  });

  it("thresholdMode rel needs best*(1 - threshold); abs needs best - threshold", () => {
    const rel = opt(1);
    const r = new ReduceLROnPlateau(rel, { patience: 0, threshold: 0.1 });
    r.step(1);
    r.step(0.95); // not < 0.9: bad
    expect(rel.paramGroups[0]!.lr).toBeCloseTo(0.1, 16);
    const abs = opt(1);
    const a = new ReduceLROnPlateau(abs, { patience: 0, threshold: 0.1, thresholdMode: "abs" });
    a.step(1);
    a.step(0.89); // < 0.9: better
    expect(abs.paramGroups[0]!.lr).toBe(1);
    expect(a.best).toBe(0.89);
  });

  it("max rel with negative metrics accepts a slightly worse value (torch's rule)", () => {
    const o = opt(1);
    const s = new ReduceLROnPlateau(o, { mode: "max", patience: 0, threshold: 0.01 });
    s.step(-1);
    s.step(-1.005); // > -1 * 1.01 = -1.01: counts as better
    expect(s.best).toBe(-1.005);
    expect(o.paramGroups[0]!.lr).toBe(1);
  });

  it("cooldown epochs do not count as bad; minLr per group bounds the lr; eps skips tiny reductions", () => {
    const o = opt(1, 0.01);
    const s = new ReduceLROnPlateau(o, { factor: 0.5, patience: 0, cooldown: 2, minLr: [0.3, 0], eps: 0.006 });
    s.step(1);
    s.step(2); // bad -> reduce: 0.5; group 1 0.01 -> 0.005 is a change of 0.005 <= eps: skipped
    expect(o.paramGroups.map((g) => g.lr)).toEqual([0.5, 0.01]);
    expect(s.cooldownCounter).toBe(2);
    s.step(2);
    s.step(2); // cooldown
    expect(o.paramGroups[0]!.lr).toBe(0.5);
    s.step(2); // bad again -> max(0.25, 0.3) = 0.3
    expect(o.paramGroups[0]!.lr).toBe(0.3);
    s.step(2);
    s.step(2);
    s.step(2);
    expect(o.paramGroups[0]!.lr).toBe(0.3);
  });

  it("a NaN metric is a bad epoch; a non-number is refused", () => {
    const o = opt(1);
    const s = new ReduceLROnPlateau(o, { patience: 0 });
    s.step(1);
    s.step(NaN);
    expect(o.paramGroups[0]!.lr).toBeCloseTo(0.1, 16);
    expect(() => s.step("0.5" as never)).toThrow(/metric must be a number or a one-element tensor, got "0.5"/);
  });

  it("accepts a one-element tensor as the metric", () => {
    const o = opt(1);
    const s = new ReduceLROnPlateau(o);
    s.step(nb.tensor([0.25], { dtype: "float64" }));
    expect(s.best).toBe(0.25);
  });

  it("state round trip: resuming equals running straight through (also through JSON)", () => {
    const metrics = [1, 0.9, 0.95, 0.97, 0.99, 0.8, 0.85, 0.86, 0.9, 0.95, 0.7, 0.75, 0.8];
    const whole = opt(1);
    const ref = new ReduceLROnPlateau(whole, { factor: 0.5, patience: 1, cooldown: 1 });
    const expected = run(ref, whole, metrics);
    const first = opt(1);
    const a = new ReduceLROnPlateau(first, { factor: 0.5, patience: 1, cooldown: 1 });
    const head = run(a, first, metrics.slice(0, 6));
    const saved = JSON.parse(JSON.stringify(a.stateDict())) as ReturnType<typeof a.stateDict>;
    const second = opt(first.paramGroups[0]!.lr);
    const b = new ReduceLROnPlateau(second, { factor: 0.5, patience: 1, cooldown: 1 });
    b.loadStateDict(saved);
    expect([...head, ...run(b, second, metrics.slice(6))]).toEqual(expected);
  });

  it("state before any metric stores best as null and round-trips", () => {
    const o = opt(1);
    const s = new ReduceLROnPlateau(o, { mode: "max" });
    const state = s.stateDict();
    expect(state.best).toBeNull();
    s.loadStateDict(JSON.parse(JSON.stringify(state)) as typeof state);
    s.step(-5);
    expect(s.best).toBe(-5);
  });
});
