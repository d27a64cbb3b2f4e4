// Adam/AdamW's `stateDtype` option: "bf16" and "8bit" step exactly as
// LowPrecisionAdam (the same kernels and layouts), "float32" (the default)
// leaves torch's Adam untouched; state dicts round-trip; misuse throws.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { AdamW8bit, AdamWBf16, LowPrecisionAdam } from "../../src/optim/lowPrecision/LowPrecisionAdam.js";
import type { AdamOptions } from "../../src/optim/optimizers/Adam.js";
import { stateBytes } from "../../src/optim/stateBytes.js";
import { copyParams, expectStateClose, randomGradients, randomParams, setGradients } from "./helpers.js";
import { expectExactResume } from "./problems-c.js";

/** A parameter over two 8-bit blocks (2048 each) and past the default min8bitSize, small ones that keep float moments under "8bit", and an empty one. */
const SHAPES = [[4500], [3, 4], [1], [0]];
const STEPS = 6;

type Steppable = { step(): unknown; state: Map<nb.Tensor, unknown>; fused: boolean };

/** Steps both optimizers on the same gradients and asserts parameters and stored state agree bit for bit after every step. */
function expectSameRun(makeA: (ps: nb.Tensor[]) => Steppable, makeB: (ps: nb.Tensor[]) => Steppable, dtype: "float32" | "float64", fused: boolean): void {
  const a = randomParams(3, dtype, SHAPES);
  const b = copyParams(a);
  const grads = randomGradients(4, STEPS, dtype, SHAPES);
  const optA = makeA(a);
  const optB = makeB(b);
  optA.fused = fused;
  optB.fused = fused;
  for (let k = 0; k < STEPS; k++) {
    setGradients(a, grads, k);
    setGradients(b, grads, k);
    optA.step();
    optB.step();
    a.forEach((p, i) => expect(Array.from(p.data), `step ${k} param ${i}`).toEqual(Array.from(b[i].data)));
  }
  a.forEach((p, i) => expectStateClose(optA.state.get(p), optB.state.get(b[i]), 0, `state[${i}]`));
}

describe("Adam/AdamW stateDtype", () => {
  for (const fused of [true, false]) {
    for (const dtype of ["float32", "float64"] as const) {
      const where = `[${dtype}, ${fused ? "fused" : "reference chain"}]`;
      it(`AdamW "8bit" is AdamW8bit bit for bit ${where}`, () => {
        const o = { lr: 0.01, weightDecay: 0.1 };
        expectSameRun((ps) => new nb.optim.AdamW(ps, { ...o, stateDtype: "8bit" }), (ps) => new AdamW8bit(ps, o), dtype, fused);
        const all = { lr: 0.02, min8bitSize: 0, maximize: true, betas: [0.8, 0.95] as const };
        expectSameRun((ps) => new nb.optim.AdamW(ps, { ...all, stateDtype: "8bit" }), (ps) => new AdamW8bit(ps, all), dtype, fused);
      });
      it(`AdamW "bf16" is AdamWBf16 bit for bit ${where}`, () => {
        const o = { lr: 0.01, weightDecay: 0.1, eps: 1e-6 };
        expectSameRun((ps) => new nb.optim.AdamW(ps, { ...o, stateDtype: "bf16" }), (ps) => new AdamWBf16(ps, o), dtype, fused);
      });
      it(`Adam "8bit" / "bf16" is LowPrecisionAdam (decoupled false) bit for bit ${where}`, () => {
        for (const stateDtype of ["8bit", "bf16"] as const) {
          const o = { lr: 0.01, weightDecay: 0.1, min8bitSize: 10, maximize: true };
          expectSameRun(
            (ps) => new nb.optim.Adam(ps, { ...o, stateDtype }),
            (ps) => new LowPrecisionAdam(ps, { ...o, stateDtype, decoupled: false }),
            dtype,
            fused,
          );
        }
      });
    }
  }

  it("stores the moments in LowPrecisionAdam's layouts and keeps the options in the groups", () => {
    const params = randomParams(5, "float32", SHAPES);
    const opt = new nb.optim.AdamW(params, { lr: 0.01, stateDtype: "8bit" });
    expect(opt.paramGroups[0]).toMatchObject({ stateDtype: "8bit", min8bitSize: 4096, weightDecay: 1e-2, amsgrad: false });
    setGradients(params, randomGradients(6, 1, "float32", SHAPES), 0);
    opt.step();
    const sd = opt.stateDict();
    const big = sd.state[0] as { expAvg: Int32Array; expAvgSq: Int32Array; expAvgAbsmax: Float32Array };
    expect(Object.keys(big).sort()).toEqual(["expAvg", "expAvgAbsmax", "expAvgSq", "expAvgSqAbsmax", "step"]);
    expect(big.expAvg).toBeInstanceOf(Int32Array);
    expect(big.expAvg).toHaveLength(4500 / 4); // four codes a word
    expect(big.expAvgAbsmax).toHaveLength(3); // ceil(4500 / 2048) blocks
    expect(sd.state[1]).toMatchObject({ expAvgAbsmax: null, expAvgSqAbsmax: null });
    expect((sd.state[1] as { expAvg: unknown }).expAvg).toBeInstanceOf(Float32Array); // 12 < min8bitSize
    const bf = new nb.optim.Adam(copyParams(params), { stateDtype: "bf16" });
    expect(bf.paramGroups[0]).toMatchObject({ stateDtype: "bf16", min8bitSize: 4096 });
    setGradients(bf.paramGroups[0].params, randomGradients(6, 1, "float32", SHAPES), 0);
    bf.step();
    expect((bf.stateDict().state[0] as { expAvg: Int32Array }).expAvg).toHaveLength(4500 / 2); // two bf16 a word
  });

  it('leaves the default untouched: torch\'s state dict format, and "float32" steps like the default (with amsgrad too)', () => {
    const params = randomParams(7, "float32", SHAPES);
    const opt = new nb.optim.AdamW(copyParams(params), { lr: 0.01 });
    expect(Object.keys(opt.paramGroups[0]).sort()).toEqual(["amsgrad", "betas", "eps", "lr", "maximize", "params", "weightDecay"]);
    setGradients(opt.paramGroups[0].params, randomGradients(8, 1, "float32", SHAPES), 0);
    opt.step();
    const sd = opt.stateDict();
    expect(Object.keys(sd.paramGroups[0]).sort()).toEqual(["amsgrad", "betas", "eps", "lr", "maximize", "params", "weightDecay"]);
    expect(Object.keys(sd.state[0] as object).sort()).toEqual(["expAvg", "expAvgSq", "maxExpAvgSq", "step"]);
    expect((sd.state[0] as { expAvg: unknown }).expAvg).toBeInstanceOf(Float32Array);
    for (const fused of [true, false]) {
      for (const amsgrad of [false, true]) {
        const o: Partial<AdamOptions> = { lr: 0.01, weightDecay: 0.1, amsgrad };
        expectSameRun((ps) => new nb.optim.AdamW(ps, { ...o, stateDtype: "float32" }), (ps) => new nb.optim.AdamW(ps, o), "float32", fused);
        expectSameRun((ps) => new nb.optim.Adam(ps, { ...o, stateDtype: "float32" }), (ps) => new nb.optim.Adam(ps, o), "float64", fused);
      }
    }
  });

  it("round-trips its state dict exactly (through JSON and not) for all three", () => {
    const params = randomParams(9, "float32", SHAPES);
    const grads = randomGradients(10, 9, "float32", SHAPES);
    for (const stateDtype of ["float32", "bf16", "8bit"] as const) {
      for (const json of [true, false]) {
        expectExactResume((ps) => new nb.optim.AdamW(ps, { lr: 0.01, stateDtype }), params, grads, 4, { json });
        expectExactResume((ps) => new nb.optim.Adam(ps, { lr: 0.01, stateDtype, weightDecay: 0.1, min8bitSize: 5 }), params, grads, 5, { json });
      }
      // Loading and saving again gives the same dict.
      const opt = new nb.optim.AdamW(copyParams(params), { lr: 0.01, stateDtype });
      setGradients(opt.paramGroups[0].params, grads, 0);
      opt.step();
      const sd = opt.stateDict();
      const other = new nb.optim.AdamW(copyParams(params), { lr: 0.01, stateDtype });
      other.loadStateDict(sd);
      const again = other.stateDict();
      expect(again.paramGroups).toEqual(sd.paramGroups);
      Object.keys(sd.state).forEach((k) => expectStateClose(again.state[Number(k)], sd.state[Number(k)], 0, `state[${k}]`));
    }
  });

  it("validates the options, refuses amsgrad with low-precision moments, and any storage change after the first step", () => {
    const x = () => [nb.tensor([1, 2], { dtype: "float64" })];
    expect(() => new nb.optim.AdamW(x(), { stateDtype: "8bit", amsgrad: true })).toThrow(
      new RangeError('AdamW: amsgrad needs stateDtype "float32" (the low-precision moments keep no maximum), got stateDtype "8bit"'),
    );
    expect(() => new nb.optim.Adam(x(), { stateDtype: "bf16", amsgrad: true })).toThrow(RangeError);
    expect(() => new nb.optim.Adam(x(), { stateDtype: "fp8" as "8bit" })).toThrow(new RangeError('Adam: stateDtype must be "float32", "bf16" or "8bit", got "fp8"'));
    expect(() => new nb.optim.AdamW(x(), { stateDtype: "8bit", min8bitSize: -1 })).toThrow("AdamW: min8bitSize must be an integer >= 0, got -1");
    expect(() => new nb.optim.AdamW(x(), { stateDtype: "8bit", min8bitSize: 1.5 })).toThrow(RangeError);
    const group = new nb.optim.AdamW(x(), { stateDtype: "8bit" });
    expect(() => group.addParamGroup({ params: x(), amsgrad: true })).toThrow(RangeError);
    expect(group.paramGroups).toHaveLength(1);

    const stepThenChange = (opts: Partial<AdamOptions>, change: (g: AdamOptions) => void, message: string | RegExp) => {
      const ps = x();
      const opt = new nb.optim.Adam(ps, opts);
      ps[0].grad = nb.tensor([1, -1], { dtype: "float64" });
      opt.step();
      change(opt.paramGroups[0]);
      const before = Array.from(ps[0].data);
      const stateBefore = opt.stateDict();
      expect(() => opt.step()).toThrow(message);
      expect(Array.from(ps[0].data)).toEqual(before); // a failing step changes nothing
      expect(opt.stateDict()).toEqual(stateBefore);
    };
    const fixed = "stateDtype and min8bitSize cannot change after the first step";
    stepThenChange({ stateDtype: "bf16" }, (g) => (g.stateDtype = "8bit"), `Adam.step: a parameter's moments are stored as bf16 but its group now asks for float; ${fixed}`);
    stepThenChange({ stateDtype: "8bit", min8bitSize: 0 }, (g) => (g.stateDtype = "float32"), `Adam.step: a parameter's moments are stored as 8bit but its group now asks for float32; ${fixed}`);
    stepThenChange({ stateDtype: "8bit", min8bitSize: 0 }, (g) => (g.min8bitSize = 4096), `stored as 8bit but its group now asks for float; ${fixed}`);
    stepThenChange({}, (g) => (g.stateDtype = "bf16"), `Adam.step: a parameter's moments are stored as float32 but its group now asks for bf16; ${fixed}`);
    stepThenChange({ stateDtype: "bf16" }, (g) => (g.amsgrad = true), 'Adam.step: amsgrad needs stateDtype "float32", got stateDtype "bf16"');
  });

  it("keeps ≈ 2 / 4 / 8 bytes of state per parameter on a large tensor (8-bit / bf16 / float32)", () => {
    const n = 100_000;
    const bytes = (stateDtype: "float32" | "bf16" | "8bit") => {
      const p = nb.randn([n], { generator: new nb.Generator(11) });
      const opt = new nb.optim.AdamW([p], { lr: 0.01, stateDtype });
      p.grad = nb.randn([n], { generator: new nb.Generator(12) });
      opt.step();
      return nb.optim.stateBytes(opt);
    };
    expect(bytes("float32")).toBe(8);
    expect(bytes("bf16")).toBe(4);
    // One code per moment per element, plus two float32 absmax per block of 2048.
    expect(bytes("8bit")).toBe((2 * n + 2 * 4 * Math.ceil(n / 2048)) / n);
    expect(stateBytes).toBe(nb.optim.stateBytes);
  });
});
