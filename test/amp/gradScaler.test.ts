import { describe, expect, it } from "vitest";
import { GradScaler, type GradScalerState } from "../../src/amp/index.js";
import * as nb from "../../src/index.js";

/** A one-parameter SGD problem whose gradient we set by hand. */
function setup(lr = 0.5) {
  const p = nb.tensor([1, 2, 3], { requiresGrad: true });
  const opt = new nb.optim.SGD([p], { lr });
  return { p, opt };
}

/** Runs one scaler iteration with a hand-made scaled gradient; returns whether the step ran. */
function iterate(scaler: GradScaler, opt: nb.optim.SGD, p: nb.Tensor, finite: boolean): boolean {
  p.grad = nb.tensor(finite ? [1, 1, 1] : [1, Infinity, 1]);
  const before = [...p.data];
  scaler.step(opt);
  scaler.update();
  return p.data.some((v, i) => v !== before[i]);
}

describe("GradScaler", () => {
  it("scale multiplies by the scale (recorded for backward) and starts at initScale = 2**16", () => {
    const scaler = new GradScaler();
    expect(scaler.getScale()).toBe(65536);
    expect(scaler.getGrowthTracker()).toBe(0);
    expect(scaler.isEnabled()).toBe(true);
    const w = nb.tensor([2, -3], { requiresGrad: true });
    const loss = w.mul(w).sum(); // 13
    const scaled = scaler.scale(loss);
    expect(scaled.item()).toBe(13 * 65536);
    scaled.backward();
    expect(Array.from(w.grad!.data)).toEqual([4 * 65536, -6 * 65536]);
    const [a, b] = scaler.scale([nb.tensor(1), nb.tensor([2, 3])]);
    expect(a!.item()).toBe(65536);
    expect(Array.from(b!.data)).toEqual([2 * 65536, 3 * 65536]);
  });

  it("follows torch's update rule over a sequence of finite and non-finite steps", () => {
    // Worked by hand from torch's _amp_update_scale_: Inf -> scale *= 0.5,
    // tracker = 0; finite -> tracker + 1, and at growthInterval (3) the
    // scale doubles and the tracker returns to 0.
    const scaler = new GradScaler({ initScale: 8, growthFactor: 2, backoffFactor: 0.5, growthInterval: 3 });
    scaler.scale(nb.tensor(1));
    const { p, opt } = setup();
    const pattern = [true, true, true, false, true, true, false, true, true, true, true];
    const expected: [number, number][] = [
      [8, 1],
      [8, 2],
      [16, 0],
      [8, 0],
      [8, 1],
      [8, 2],
      [4, 0],
      [4, 1],
      [4, 2],
      [8, 0],
      [8, 1],
    ];
    const seen = pattern.map((finite) => {
      const stepped = iterate(scaler, opt, p, finite);
      expect(stepped).toBe(finite);
      return [scaler.getScale(), scaler.getGrowthTracker()];
    });
    expect(seen).toEqual(expected);
  });

  it("uses non-default growth and backoff factors, in float32", () => {
    const scaler = new GradScaler({ initScale: 10, growthFactor: 3, backoffFactor: 0.1, growthInterval: 1 });
    scaler.scale(nb.tensor(1));
    const { p, opt } = setup();
    iterate(scaler, opt, p, true);
    expect(scaler.getScale()).toBe(30);
    iterate(scaler, opt, p, false);
    expect(scaler.getScale()).toBe(Math.fround(30 * 0.1));
    iterate(scaler, opt, p, false);
    expect(scaler.getScale()).toBe(Math.fround(Math.fround(30 * 0.1) * 0.1));
  });

  it("never grows the scale past the float32 range", () => {
    const scaler = new GradScaler({ initScale: 2 ** 127, growthInterval: 1 });
    scaler.scale(nb.tensor(1));
    const { p, opt } = setup();
    iterate(scaler, opt, p, true);
    expect(scaler.getScale()).toBe(2 ** 127);
    expect(scaler.getGrowthTracker()).toBe(0);
  });

  it("holds the scale as a float32 once set up, as torch's scale tensor", () => {
    const scaler = new GradScaler({ initScale: 0.1 });
    expect(scaler.getScale()).toBe(0.1);
    scaler.scale(nb.tensor(1));
    expect(scaler.getScale()).toBe(Math.fround(0.1));
  });

  it("unscale multiplies every gradient by float32(1/scale) and records Inf/NaN", () => {
    const scaler = new GradScaler({ initScale: 3 });
    scaler.scale(nb.tensor(1));
    const a = nb.tensor([3, 6, -1.5], { requiresGrad: true });
    const b = nb.tensor([[9]], { dtype: "float64", requiresGrad: true });
    const c = nb.tensor([1], { requiresGrad: true }); // no gradient: skipped
    const opt = new nb.optim.SGD([{ params: [a] }, { params: [b, c] }], { lr: 1 });
    a.grad = nb.tensor([3, 6, -1.5]);
    b.grad = nb.tensor([[9]], { dtype: "float64" });
    scaler.unscale(opt);
    const inv = Math.fround(1 / 3);
    expect(Array.from(a.grad.data)).toEqual([3, 6, -1.5].map((v) => Math.fround(v * inv)));
    expect(b.grad.data[0]).toBe(9 * inv);
    expect(c.grad).toBeNull();
    expect(scaler.foundInf(opt)).toBe(false);

    const scaler2 = new GradScaler({ initScale: 4 });
    scaler2.scale(nb.tensor(1));
    a.grad = nb.tensor([NaN, 8, 4]);
    scaler2.unscale(opt);
    expect(scaler2.foundInf(opt)).toBe(true);
    // Every gradient is unscaled even when one is not finite, as torch.
    expect(Array.from(a.grad.data)).toEqual([NaN, 2, 1]);
  });

  it("skips the step on Inf/NaN, leaving parameters and optimizer state unchanged", () => {
    const scaler = new GradScaler({ initScale: 4 });
    scaler.scale(nb.tensor(1));
    const p = nb.tensor([1, 2], { requiresGrad: true });
    const opt = new nb.optim.SGD([p], { lr: 0.5, momentum: 0.9 });
    p.grad = nb.tensor([4, 8]);
    expect(scaler.step(opt)).toBeUndefined(); // SGD.step returns undefined without closure
    scaler.update();
    // Unscaled gradient [1, 2]; SGD: p -= 0.5 * g.
    expect(Array.from(p.data)).toEqual([0.5, 1]);
    const state = JSON.stringify(opt.stateDict(), (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v));
    p.grad = nb.tensor([Infinity, 8]);
    scaler.step(opt);
    expect(scaler.foundInf(opt)).toBe(true);
    scaler.update();
    expect(Array.from(p.data)).toEqual([0.5, 1]);
    expect(JSON.stringify(opt.stateDict(), (_k, v: unknown) => (v instanceof Float32Array ? Array.from(v) : v))).toBe(state);
    expect(scaler.getScale()).toBe(2);
    expect(scaler.foundInf(opt)).toBeNull();
  });

  it("returns what optimizer.step returned", () => {
    const scaler = new GradScaler({ initScale: 2 });
    scaler.scale(nb.tensor(1));
    const p = nb.tensor([1], { requiresGrad: true });
    p.grad = nb.tensor([2]);
    const fake = { paramGroups: [{ params: [p] }], step: () => "stepped" as const };
    expect(scaler.step(fake)).toBe("stepped");
    scaler.update();
    p.grad = nb.tensor([NaN]);
    expect(scaler.step(fake)).toBeUndefined();
  });

  it("explicit unscale before step is not repeated by step (clipping sees true gradients)", () => {
    const scaler = new GradScaler({ initScale: 1024 });
    scaler.scale(nb.tensor(1));
    const p = nb.tensor([0, 0], { requiresGrad: true });
    const opt = new nb.optim.SGD([p], { lr: 1 });
    p.grad = nb.tensor([3 * 1024, 4 * 1024]);
    scaler.unscale(opt);
    const norm = nb.nn.utils.clipGradNorm([p], 1);
    expect(norm).toBeCloseTo(5, 5);
    scaler.step(opt);
    scaler.update();
    expect(p.data[0]).toBeCloseTo(-0.6, 6);
    expect(p.data[1]).toBeCloseTo(-0.8, 6);
  });

  it("backs off when any of several optimizers found an Inf, and resets every record", () => {
    const scaler = new GradScaler({ initScale: 16, growthInterval: 1 });
    scaler.scale(nb.tensor(1));
    const a = setup();
    const b = setup();
    a.p.grad = nb.tensor([1, 1, 1]);
    b.p.grad = nb.tensor([1, -Infinity, 1]);
    scaler.step(a.opt);
    scaler.step(b.opt);
    scaler.update();
    expect(scaler.getScale()).toBe(8);
    expect(scaler.foundInf(a.opt)).toBeNull();
    // A new iteration may unscale both again.
    a.p.grad = nb.tensor([1, 1, 1]);
    b.p.grad = nb.tensor([1, 1, 1]);
    scaler.step(a.opt);
    scaler.step(b.opt);
    scaler.update();
    expect(scaler.getScale()).toBe(16);
  });

  it("enforces torch's call order", () => {
    const fresh = new GradScaler();
    const { p, opt } = setup();
    p.grad = nb.tensor([1, 1, 1]);
    expect(() => fresh.unscale(opt)).toThrow(/scale\(loss\)/);
    expect(() => fresh.step(opt)).toThrow(/scale\(loss\)/);
    expect(() => fresh.update()).toThrow(/scale\(loss\)/);

    const scaler = new GradScaler();
    scaler.scale(nb.tensor(1));
    expect(() => scaler.update()).toThrow(/no inf checks/);
    scaler.unscale(opt);
    expect(() => scaler.unscale(opt)).toThrow(/already been called/);
    scaler.step(opt);
    expect(() => scaler.step(opt)).toThrow(/already been called since the last update/);
    expect(() => scaler.unscale(opt)).toThrow(/after step/);
    scaler.update();
    expect(() => scaler.step(opt, () => 0)).toThrow(/closure/);
    p.grad = null;
    expect(() => scaler.step(opt)).toThrow(/no inf checks/);
    expect(scaler.foundInf(opt)).toBeNull(); // the failed step recorded nothing
  });

  it("update(newScale) sets the scale (as float32) and keeps the growth tracker", () => {
    const scaler = new GradScaler({ initScale: 8, growthInterval: 10 });
    scaler.scale(nb.tensor(1));
    const { p, opt } = setup();
    iterate(scaler, opt, p, true);
    iterate(scaler, opt, p, true);
    scaler.update(0.3);
    expect(scaler.getScale()).toBe(Math.fround(0.3));
    expect(scaler.getGrowthTracker()).toBe(2);
    scaler.update(nb.tensor([64]));
    expect(scaler.getScale()).toBe(64);
    expect(() => scaler.update(-1)).toThrow(RangeError);
    expect(() => scaler.update(nb.tensor([1, 2]))).toThrow(/one-element/);
    expect(scaler.getScale()).toBe(64);
  });

  it("when disabled: scale is the identity, step just steps, the rest do nothing", () => {
    const scaler = new GradScaler({ enabled: false, initScale: 1024 });
    const loss = nb.tensor(3);
    expect(scaler.scale(loss)).toBe(loss);
    const { p, opt } = setup(1);
    p.grad = nb.tensor([1, Infinity, 1]);
    scaler.unscale(opt);
    expect(Array.from(p.grad.data)).toEqual([1, Infinity, 1]);
    scaler.step(opt); // not skipped: the scaler does not look
    expect(p.data[0]).toBe(0);
    scaler.update();
    expect(scaler.getScale()).toBe(1);
    expect(scaler.getGrowthTracker()).toBe(0);
    expect(scaler.isEnabled()).toBe(false);
    expect(scaler.stateDict()).toEqual({});
    scaler.loadStateDict({ scale: 5, growthFactor: 2, backoffFactor: 0.5, growthInterval: 3, growthTracker: 1 });
    expect(scaler.getScale()).toBe(1);
    // A closure passes through to the optimizer when disabled.
    let calls = 0;
    const closure = () => {
      calls++;
      return 0;
    };
    const fake = { paramGroups: [{ params: [p] }], step: (c?: () => number | nb.Tensor) => c?.() };
    expect(scaler.step(fake, closure)).toBe(0);
    expect(calls).toBe(1);
  });

  it("stateDict / loadStateDict round-trip exactly and the trajectory continues identically", () => {
    const a = new GradScaler({ initScale: 2 ** 10, growthFactor: 4, backoffFactor: 0.25, growthInterval: 4 });
    a.scale(nb.tensor(1));
    const pa = setup();
    for (const f of [true, false, true, true]) iterate(a, pa.opt, pa.p, f);
    const saved = a.stateDict() as GradScalerState;
    expect(saved).toEqual({ scale: 2 ** 8, growthFactor: 4, backoffFactor: 0.25, growthInterval: 4, growthTracker: 2 });
    const b = new GradScaler();
    b.loadStateDict(JSON.parse(JSON.stringify(saved)) as GradScalerState);
    expect(b.stateDict()).toEqual(saved);
    b.scale(nb.tensor(1));
    const pb = setup();
    for (const f of [true, true, false, true, true, true, true]) {
      iterate(a, pa.opt, pa.p, f);
      iterate(b, pb.opt, pb.p, f);
      expect(b.stateDict()).toEqual(a.stateDict());
    }
    // Loading into a set-up scaler replaces its scale too.
    b.loadStateDict({ ...saved, scale: 3 });
    expect(b.getScale()).toBe(3);
  });

  it("loadStateDict validates everything and changes nothing on failure", () => {
    const scaler = new GradScaler({ initScale: 32, growthInterval: 7 });
    const before = scaler.stateDict();
    const good: GradScalerState = { scale: 8, growthFactor: 2, backoffFactor: 0.5, growthInterval: 5, growthTracker: 1 };
    expect(() => scaler.loadStateDict({})).toThrow(/empty.*disabled/);
    expect(() => scaler.loadStateDict({ ...good, extra: 1 } as GradScalerState)).toThrow(/unexpected keys extra/);
    const { growthTracker: _drop, ...missing } = good;
    expect(() => scaler.loadStateDict(missing as GradScalerState)).toThrow(/missing keys growthTracker/);
    expect(() => scaler.loadStateDict({ ...good, scale: -1 })).toThrow(RangeError);
    expect(() => scaler.loadStateDict({ ...good, scale: 1e300 })).toThrow(/float32/);
    expect(() => scaler.loadStateDict({ ...good, growthFactor: 1 })).toThrow(/growthFactor/);
    expect(() => scaler.loadStateDict({ ...good, backoffFactor: 1 })).toThrow(/backoffFactor/);
    expect(() => scaler.loadStateDict({ ...good, growthInterval: 1.5 })).toThrow(/growthInterval/);
    expect(() => scaler.loadStateDict({ ...good, growthTracker: -1 })).toThrow(/growthTracker/);
    expect(scaler.stateDict()).toEqual(before);
  });

  it("validates constructor options", () => {
    expect(() => new GradScaler({ growthFactor: 1 })).toThrow(/growthFactor must be > 1/);
    expect(() => new GradScaler({ backoffFactor: 1.5 })).toThrow(/backoffFactor/);
    expect(() => new GradScaler({ initScale: 0 })).toThrow(/initScale/);
    expect(() => new GradScaler({ growthInterval: 0 })).toThrow(/growthInterval/);
    expect(() => new GradScaler({ initscale: 2 } as never)).toThrow(/unknown option "initscale"/);
    const s = new GradScaler();
    expect(() => s.setGrowthInterval(0)).toThrow(RangeError);
    s.setGrowthFactor(3);
    s.setBackoffFactor(0.25);
    s.setGrowthInterval(5);
    expect([s.getGrowthFactor(), s.getBackoffFactor(), s.getGrowthInterval()]).toEqual([3, 0.25, 5]);
  });

  it("end to end: a scale that overflows float32 backs off until training proceeds, then matches unscaled training exactly", () => {
    const x = nb.tensor([
      [1, 2],
      [3, -1],
      [0.5, 4],
      [2, 2],
    ]);
    const y = nb.tensor([[5], [1], [9], [6]]);
    const make = () => {
      const w = nb.tensor([[0.1], [-0.2]], { requiresGrad: true });
      const b = nb.tensor([0.3], { requiresGrad: true });
      return { w, b, opt: new nb.optim.SGD([w, b], { lr: 0.02 }) };
    };
    const lossOf = (w: nb.Tensor, b: nb.Tensor) => nb.nn.functional.mseLoss(x.matmul(w).add(b), y);

    const scaled = make();
    // The first loss is about 37: the gradients at 2**125 overflow float32 (max about 2**128).
    const scaler = new GradScaler({ initScale: 2 ** 125, growthInterval: 1000 });
    const scales: number[] = [];
    const skipped: boolean[] = [];
    const losses: number[] = [];
    for (let i = 0; i < 60; i++) {
      scaled.opt.zeroGrad();
      const loss = lossOf(scaled.w, scaled.b);
      losses.push(loss.item());
      scaler.scale(loss).backward();
      scales.push(scaler.getScale());
      scaler.step(scaled.opt);
      skipped.push(scaler.foundInf(scaled.opt) === true);
      scaler.update();
    }
    const nSkipped = skipped.filter(Boolean).length;
    // Overflow first, then steps proceed: the skipped steps are exactly the first ones.
    expect(nSkipped).toBeGreaterThanOrEqual(1);
    expect(skipped.slice(0, nSkipped).every(Boolean)).toBe(true);
    expect(skipped.slice(nSkipped).some(Boolean)).toBe(false);
    // Each skipped step halves the scale.
    scales.slice(0, nSkipped + 1).forEach((s, i) => expect(s).toBe(2 ** (125 - i)));
    // While skipping, the loss does not move; afterwards it falls.
    expect(losses.slice(0, nSkipped + 1).every((l) => l === losses[0])).toBe(true);
    expect(losses[59]!).toBeLessThan(losses[0]! / 10);

    // Scaling by a power of two is exact, so the finite steps equal plain
    // training bit for bit.
    const plain = make();
    for (let i = 0; i < 60 - nSkipped; i++) {
      plain.opt.zeroGrad();
      lossOf(plain.w, plain.b).backward();
      plain.opt.step();
    }
    expect(Array.from(scaled.w.data)).toEqual(Array.from(plain.w.data));
    expect(Array.from(scaled.b.data)).toEqual(Array.from(plain.b.data));
  });
});
