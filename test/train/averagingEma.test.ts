import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { EMA } from "../../src/train/averaging/index.js";

/** A parameter w, a floating buffer stat and an int32 buffer count, all float64-exact. */
class Tiny extends nb.nn.Module {
  w = nb.tensor([0, 10], { dtype: "float64", requiresGrad: true });
  constructor() {
    super();
    this.registerBuffer("stat", nb.tensor([1], { dtype: "float64" }));
    this.registerBuffer("count", nb.tensor(0, { dtype: "int32" }));
  }
  set(w: number[], stat: number, count: number): this {
    this.w.data.set(w);
    this.getBuffer("stat")!.data[0] = stat;
    this.getBuffer("count")!.data[0] = count;
    return this;
  }
  override forward(x: nb.Tensor): nb.Tensor {
    return x.mul(this.w);
  }
}

const values = (t: nb.Tensor) => Array.from(t.data);

describe("EMA", () => {
  it("averages parameters and floating buffers with a constant decay, copying integer buffers", () => {
    const model = new Tiny();
    const ema = new EMA(model, { decay: 0.5 });
    expect(ema.getDecay()).toBe(0.5);
    model.set([2, 2], 3, 7);
    ema.update(model);
    // 0.5 * [0, 10] + 0.5 * [2, 2] = [1, 6]; stat 0.5 * 1 + 0.5 * 3 = 2; count copied.
    let avg = ema.averagedStateDict();
    expect(values(avg.w!)).toEqual([1, 6]);
    expect(values(avg.stat!)).toEqual([2]);
    expect(values(avg.count!)).toEqual([7]);
    model.set([4, 0], 0, 9);
    ema.update(model);
    avg = ema.averagedStateDict();
    expect(values(avg.w!)).toEqual([2.5, 3]);
    expect(values(avg.stat!)).toEqual([1]);
    expect(values(avg.count!)).toEqual([9]);
    expect(ema.numUpdates).toBe(2);
    // The model itself is untouched.
    expect(values(model.w)).toEqual([4, 0]);
  });

  it("useBuffers: false copies the buffers instead of averaging them", () => {
    const model = new Tiny();
    const ema = new EMA(model, { decay: 0.5, useBuffers: false });
    model.set([2, 2], 3, 7);
    ema.update(model);
    const avg = ema.averagedStateDict();
    expect(values(avg.w!)).toEqual([1, 6]);
    expect(values(avg.stat!)).toEqual([3]);
  });

  it("warmup 'tf': decay_n = min(decay, (1 + n) / (10 + n))", () => {
    const model = new Tiny();
    const ema = new EMA(model, { decay: 0.99, warmup: "tf" });
    expect(ema.getDecay(0)).toBeCloseTo(0.1, 15);
    expect(ema.getDecay(1)).toBeCloseTo(2 / 11, 15);
    expect(ema.getDecay(89)).toBeCloseTo(90 / 99, 15);
    expect(ema.getDecay(989)).toBe(0.99); // 990/999 > 0.99
    model.set([1, 1], 1, 0);
    ema.update(model); // 0.1 * [0, 10] + 0.9 * [1, 1]
    model.set([5, -5], 1, 0);
    ema.update(model);
    const s1 = [0.9, 0.1 * 10 + 0.9];
    const expected = [(2 / 11) * s1[0]! + (9 / 11) * 5, (2 / 11) * s1[1]! + (9 / 11) * -5];
    const got = values(ema.averagedStateDict().w!);
    expect(got[0]).toBeCloseTo(expected[0]!, 12);
    expect(got[1]).toBeCloseTo(expected[1]!, 12);
  });

  it("warmup 'power': 1 - (1 + n / gamma) ** -power within [minDecay, decay], the first update copying", () => {
    const model = new Tiny();
    const ema = new EMA(model, { decay: 0.9, warmup: "power" });
    expect(ema.getDecay(0)).toBe(0);
    expect(ema.getDecay(1)).toBeCloseTo(1 - 2 ** (-2 / 3), 15);
    expect(ema.getDecay(7)).toBeCloseTo(1 - 8 ** (-2 / 3), 15); // 0.75
    expect(ema.getDecay(100)).toBe(0.9);
    const custom = new EMA(model, { decay: 0.999, warmup: "power", warmupGamma: 4, warmupPower: 1, minDecay: 0.5 });
    expect(custom.getDecay(0)).toBe(0);
    expect(custom.getDecay(1)).toBe(0.5); // 1 - 1/1.25 = 0.2, raised to minDecay
    expect(custom.getDecay(12)).toBeCloseTo(0.75, 15); // 1 - 1/4
    model.set([3, 4], 1, 0);
    ema.update(model); // decay 0: copy
    expect(values(ema.averagedStateDict().w!)).toEqual([3, 4]);
  });

  it("withAveraged evaluates with the averages and restores the model's weights, also on error", async () => {
    const model = new Tiny();
    const ema = new EMA(model, { decay: 0.5 });
    model.set([2, 2], 3, 7);
    ema.update(model);
    const x = nb.tensor([1, 1], { dtype: "float64" });
    const out = ema.withAveraged(model, () => values(model.forward(x)));
    expect(out).toEqual([1, 6]);
    expect(values(model.w)).toEqual([2, 2]);
    expect(model.getBuffer("stat")!.data[0]).toBe(3);
    expect(() =>
      ema.withAveraged(model, () => {
        throw new Error("boom");
      }),
    ).toThrow("boom");
    expect(values(model.w)).toEqual([2, 2]);
    const seen = await ema.withAveraged(model, async () => {
      await Promise.resolve();
      return values(model.w);
    });
    expect(seen).toEqual([1, 6]);
    expect(values(model.w)).toEqual([2, 2]);
  });

  it("store / copyTo / restore", () => {
    const model = new Tiny();
    const ema = new EMA(model, { decay: 0.5 });
    model.set([2, 2], 3, 7);
    ema.update(model);
    expect(() => ema.restore(model)).toThrow(/store/);
    ema.store(model);
    ema.copyTo(model);
    expect(values(model.w)).toEqual([1, 6]);
    ema.restore(model);
    expect(values(model.w)).toEqual([2, 2]);
    expect(() => ema.restore(model)).toThrow(/store/);
  });

  it("stateDict / loadStateDict round-trip exactly and later updates agree", () => {
    nb.manualSeed(3);
    const model = nb.mlp(3, [4], 2);
    const a = new EMA(model, { decay: 0.9, warmup: "tf" });
    const jiggle = () => {
      for (const p of model.parameters()) p.data.set(nb.randn(p.shape).data);
    };
    jiggle();
    a.update(model);
    jiggle();
    a.update(model);
    const state = a.stateDict();
    expect(state.numUpdates).toBe(2);
    expect(Object.keys(state.shadow)).toEqual(model.namedParameters().map(([n]) => n));
    const b = new EMA(model, { decay: 0.9, warmup: "tf" });
    b.loadStateDict(state);
    // The saved tensors are copies: changing them does not reach b.
    state.shadow["1.weight"]!.data.fill(123);
    jiggle();
    a.update(model);
    b.update(model);
    const sa = a.stateDict();
    const sb = b.stateDict();
    expect(sb.numUpdates).toBe(3);
    for (const name of Object.keys(sa.shadow)) expect(values(sb.shadow[name]!)).toEqual(values(sa.shadow[name]!));
  });

  it("refuses mismatched models and states, changing nothing", () => {
    const model = new Tiny();
    const ema = new EMA(model, { decay: 0.5 });
    const other = nb.mlp(2, [3], 1);
    expect(() => ema.update(other)).toThrow(/does not match.*missing w/);
    expect(() => ema.copyTo(other)).toThrow(/does not match/);
    const good = ema.stateDict();
    expect(() => ema.loadStateDict({ numUpdates: 1, shadow: { ...good.shadow, extra: nb.tensor([1]) } })).toThrow(/unexpected extra/);
    expect(() => ema.loadStateDict({ numUpdates: 1, shadow: { ...good.shadow, w: nb.tensor([1, 2, 3]) } })).toThrow(/"w" has shape \[3\]/);
    expect(() => ema.loadStateDict({ numUpdates: -1, shadow: good.shadow })).toThrow(/numUpdates/);
    expect(ema.numUpdates).toBe(0);
    expect(values(ema.averagedStateDict().w!)).toEqual([0, 10]);
  });

  it("validates options", () => {
    const model = new Tiny();
    expect(() => new EMA(model, { decay: 1.5 })).toThrow(/decay/);
    expect(() => new EMA(model, { warmup: "linear" as never })).toThrow(/warmup/);
    expect(() => new EMA(model, { decay: 0.9, minDecay: 0.95 })).toThrow(/minDecay/);
    expect(() => new EMA(model, { decai: 0.9 } as never)).toThrow(/unknown option "decai"/);
  });

  it("the averaged weights of noisy SGD sit closer to the optimum than the last iterate", () => {
    // Minimise |w - 3|^2 with gradient noise: the iterates jitter around 3,
    // their EMA much less.
    const gen = new nb.Generator(7);
    class Point extends nb.nn.Module {
      w = nb.zeros([16], { dtype: "float64" }).requiresGrad_();
    }
    const model = new Point();
    const opt = new nb.optim.SGD(model.parameters(), { lr: 0.2 });
    const ema = new EMA(model, { decay: 0.95, warmup: "tf" });
    for (let i = 0; i < 400; i++) {
      const noise = nb.randn([16], { generator: gen, dtype: "float64" });
      model.w.grad = model.w.sub(3).mul(2).add(noise);
      opt.step();
      ema.update(model);
    }
    const err = (w: nb.Tensor) => Math.sqrt(values(w).reduce((s, v) => s + (v - 3) ** 2, 0));
    const last = err(model.w);
    const averaged = err(ema.averagedStateDict().w!);
    expect(averaged).toBeLessThan(last / 2);
  });
});
