// Memory-light Adam states: bfloat16 rounding, the block-wise 8-bit dynamic
// quantisation (Dettmers et al. 2022), and LowPrecisionAdam step by step
// against an independent float64 emulation, its chain, full-precision Adam,
// checkpoints, validation, Rosenbrock and two moons.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { decodeBf16, encodeBf16, fromBf16, toBf16 } from "../../src/optim/lowPrecision/bf16.js";
import {
  BLOCK_SIZE,
  codeMap,
  dequantizeBlockwise,
  dynamicMap,
  nearestCode,
  quantizeBlockwise,
  SIGNED_MAP,
  UNSIGNED_MAP,
} from "../../src/optim/lowPrecision/blockwise8bit.js";
import { Adam8bit, AdamW8bit, AdamWBf16, LowPrecisionAdam, type LowPrecisionAdamOptions } from "../../src/optim/lowPrecision/LowPrecisionAdam.js";
import { stateBytes } from "../../src/optim/stateBytes.js";
import { copyParams, expectStateClose, randomGradients, randomParams, relDiff, setGradients } from "./helpers.js";
import { distanceToMinimum, expectExactResume, runRosenbrock, trainTwoMoons } from "./problems-c.js";

/**
 * bfloat16 rounding written from the definition: the two bfloat16 values
 * around x (x's float32 bits truncated toward zero, and the next one away
 * from zero) and their midpoint, which has 9 significant bits and so is
 * exact in float64; the nearer wins, a tie goes to the even one.
 */
function bf16Reference(x: number): number {
  if (Number.isNaN(x)) return NaN;
  const f = new Float32Array(1);
  const u = new Uint32Array(f.buffer);
  // Truncate toward zero: fround may round x up in magnitude past a bfloat16, so step back if needed.
  f[0] = x;
  let lowBits = u[0] >>> 16;
  u[0] = lowBits << 16;
  if (Math.abs(f[0]) > Math.abs(x)) lowBits -= 1;
  u[0] = lowBits << 16;
  const a = f[0];
  u[0] = (lowBits + 1) << 16;
  const b = f[0];
  if (a === x || !Number.isFinite(x)) return x;
  // Past the largest bfloat16 the next value up is 2^128, which rounds to Infinity.
  const mid = (a + (Number.isFinite(b) ? b : Math.sign(a) * 2 ** 128)) / 2;
  if (Math.abs(x) < Math.abs(mid)) return a;
  if (Math.abs(x) > Math.abs(mid)) return b;
  return (lowBits & 1) === 0 ? a : b;
}

describe("bfloat16", () => {
  it("rounds to nearest, ties to even, with the IEEE special values", () => {
    expect(toBf16(1)).toBe(0x3f80);
    expect(toBf16(-2.5)).toBe(0xc020);
    expect(toBf16(1 + 2 ** -8)).toBe(0x3f80); // tie between 0x3f80 (even) and 0x3f81
    expect(toBf16(1 + 3 * 2 ** -8)).toBe(0x3f82); // tie between 0x3f81 and 0x3f82 (even)
    expect(toBf16(1 + 2 ** -8 + 2 ** -40)).toBe(0x3f81); // a float64 just above the tie (float32 would see a tie)
    expect(toBf16(1 + 2 ** -8 - 2 ** -40)).toBe(0x3f80);
    expect(toBf16(-0)).toBe(0x8000);
    expect(toBf16(Infinity)).toBe(0x7f80);
    expect(toBf16(-Infinity)).toBe(0xff80);
    expect(toBf16(3.4e38)).toBe(0x7f80); // above the largest bfloat16 (≈ 3.3895e38) by more than half an ulp
    expect(fromBf16(0x7f7f)).toBeCloseTo(3.3895313892515355e38, -30);
    expect(Number.isNaN(fromBf16(toBf16(NaN)))).toBe(true);
    expect(fromBf16(toBf16(1e-40))).toBe(bf16Reference(1e-40)); // subnormal
  });

  it("equals the definition on random doubles and floats, and decodes exactly", () => {
    fc.assert(
      fc.property(fc.oneof(fc.double({ noNaN: true }), fc.float({ noNaN: true }).map(Number)), (x) => {
        expect(fromBf16(toBf16(x))).toBe(bf16Reference(x));
      }),
      { numRuns: 3000 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffff }), (h) => {
        const v = fromBf16(h);
        if (!Number.isNaN(v)) expect(toBf16(v)).toBe(h);
      }),
    );
  });

  it("encodes and decodes arrays within half an ulp (2^-8 relative)", () => {
    const x = Float64Array.from({ length: 101 }, (_, i) => Math.sin(i) * 10 ** ((i % 9) - 4));
    const h = new Uint16Array(102);
    encodeBf16(x, h);
    const back = new Float64Array(101);
    decodeBf16(h, back);
    x.forEach((v, i) => expect(Math.abs(back[i] - v)).toBeLessThanOrEqual(Math.abs(v) * 2 ** -8));
    expect(() => encodeBf16(x, new Uint16Array(3))).toThrow(RangeError);
  });
});

describe("block-wise 8-bit quantisation", () => {
  it("uses bitsandbytes' dynamic maps: 256 sorted values, signed with 127 negatives, both ending at 1", () => {
    for (const signed of [true, false]) {
      const m = dynamicMap(signed);
      expect(m).toHaveLength(256);
      expect(new Set(m).size).toBe(256);
      for (let i = 1; i < 256; i++) expect(m[i]).toBeGreaterThan(m[i - 1]);
      expect(m[255]).toBe(1);
      expect(m.includes(0)).toBe(true);
    }
    const s = dynamicMap(true);
    expect(s.filter((v) => v < 0)).toHaveLength(127);
    expect(s[0]).toBeCloseTo(-(0.9859375 + 1) / 2, 6); // −mean of the last two points of linspace(0.1, 1, 65)
    expect(s[128]).toBeCloseTo(0.55e-6, 12); // 1e-6 · mean(0.1, 1)
    const u = dynamicMap(false);
    expect(u[0]).toBe(0);
    expect(u[1]).toBeCloseTo(0.325e-6, 12); // 1e-6 · mean(0.1, 0.55)
  });

  it("finds the nearest code value, ties to the lower (brute force agrees, at and around every midpoint too)", () => {
    const bruteForce = (v: Float32Array, x: number) => {
      let best = 0;
      for (let j = 1; j < 256; j++) if (Math.abs(x - v[j]) < Math.abs(x - v[best])) best = j;
      return best;
    };
    for (const map of [SIGNED_MAP, UNSIGNED_MAP]) {
      const v = map.values;
      fc.assert(
        fc.property(fc.double({ min: v[0] - 0.01, max: 1.01, noNaN: true }), (x) => {
          expect(nearestCode(map, x)).toBe(bruteForce(v, x));
        }),
        { numRuns: 2000 },
      );
      for (let j = 0; j < 255; j++) {
        const mid = (v[j] + v[j + 1]) / 2;
        for (const x of [mid, mid * (1 - 2 ** -50), mid * (1 + 2 ** -50), Math.fround(mid), v[j]]) {
          expect(nearestCode(map, x), `x = ${x}`).toBe(bruteForce(v, x));
        }
      }
    }
  });

  it("quantises each block of 2048 against its own absmax, within half the largest gap of the map", () => {
    const gen = new nb.Generator(3);
    const n = 2 * BLOCK_SIZE + 500;
    const x = Float64Array.from(nb.randn([n], { generator: gen, dtype: "float64" }).data);
    for (let i = BLOCK_SIZE; i < 2 * BLOCK_SIZE; i++) x[i] *= 1e-4; // a block of small values keeps its own scale
    const codes = new Uint8Array(n);
    const absmax = new Float32Array(3);
    quantizeBlockwise(SIGNED_MAP, x, codes, absmax);
    const back = new Float64Array(n);
    dequantizeBlockwise(SIGNED_MAP, codes, absmax, back);
    const maxGap = 0.9 / 64; // the signed map's widest spacing, near ±1
    for (let b = 0; b < 3; b++) {
      let am = 0;
      for (let i = b * BLOCK_SIZE; i < Math.min(n, (b + 1) * BLOCK_SIZE); i++) am = Math.max(am, Math.abs(x[i]));
      expect(absmax[b]).toBe(Math.fround(am));
      for (let i = b * BLOCK_SIZE; i < Math.min(n, (b + 1) * BLOCK_SIZE); i++) {
        expect(Math.abs(back[i] - x[i])).toBeLessThanOrEqual((maxGap / 2) * am * (1 + 1e-4));
      }
    }
    expect(absmax[1]).toBeLessThan(1e-3);
    const zeros = new Uint8Array(4);
    const a0 = new Float32Array(1);
    quantizeBlockwise(codeMap(dynamicMap(false)), new Float64Array(4), zeros, a0);
    expect(a0[0]).toBe(0);
    expect(() => quantizeBlockwise(SIGNED_MAP, x, new Uint8Array(3), absmax)).toThrow(RangeError);
  });
});

/** Independent float64 emulation of 8-bit Adam: brute-force nearest code per element, absmax per block. */
function quantizeRef(values: number[], map: Float32Array): { codes: number[]; absmax: number[] } {
  const codes: number[] = [];
  const absmax: number[] = [];
  for (let lo = 0; lo < values.length; lo += BLOCK_SIZE) {
    const block = values.slice(lo, lo + BLOCK_SIZE);
    const am = Math.fround(Math.max(...block.map(Math.abs)));
    absmax.push(am);
    for (const v of block) {
      const x = am === 0 ? 0 : v * (1 / am);
      let best = 0;
      for (let j = 1; j < 256; j++) if (Math.abs(x - map[j]) < Math.abs(x - map[best])) best = j;
      codes.push(best);
    }
  }
  return { codes, absmax };
}

/**
 * Adam (Kingma & Ba 2015) whose moments are stored quantised between steps
 * (Dettmers et al. 2022, Algorithm: dequantise, update, quantise), or in
 * bfloat16 (`store` rounds each moment): m ← β1·m̃ + (1−β1)g,
 * v ← β2·ṽ + (1−β2)g², p ← p − lr/(1−β1^t)·m/(√v/√(1−β2^t) + eps), with m̃, ṽ
 * the stored values. Returns the parameters after each step.
 */
function adamReference(p0: number[], grads: number[][], o: { lr: number; b1: number; b2: number; eps: number }, store: "8bit" | "bf16"): number[][] {
  const sMap = dynamicMap(true);
  const uMap = dynamicMap(false);
  let p = p0.slice();
  let m = p0.map(() => 0);
  let v = p0.map(() => 0);
  const out: number[][] = [];
  grads.forEach((g, k) => {
    const t = k + 1;
    const mNew = m.map((mi, i) => o.b1 * mi + (1 - o.b1) * g[i]);
    const vNew = v.map((vi, i) => o.b2 * vi + (1 - o.b2) * g[i] * g[i]);
    p = p.map((pi, i) => pi - ((o.lr / (1 - o.b1 ** t)) * mNew[i]) / (Math.sqrt(vNew[i]) * (1 / Math.sqrt(1 - o.b2 ** t)) + o.eps));
    if (store === "bf16") {
      m = mNew.map(bf16Reference);
      v = vNew.map(bf16Reference);
    } else {
      const qm = quantizeRef(mNew, sMap);
      const qv = quantizeRef(vNew, uMap);
      m = qm.codes.map((c, i) => sMap[c] * qm.absmax[Math.floor(i / BLOCK_SIZE)]);
      v = qv.codes.map((c, i) => uMap[c] * qv.absmax[Math.floor(i / BLOCK_SIZE)]);
    }
    out.push(p);
  });
  return out;
}

describe("LowPrecisionAdam", () => {
  for (const [store, n] of [
    ["8bit", 2 * BLOCK_SIZE + 300],
    ["bf16", 37],
  ] as const) {
    it(`follows Adam with ${store} moments step by step (float64, ${n} elements, 6 steps) against an independent emulation`, () => {
      const gen = new nb.Generator(11);
      const p0 = Array.from(nb.randn([n], { generator: gen, dtype: "float64" }).data);
      const grads = Array.from({ length: 6 }, (_, k) => Array.from(nb.randn([n], { generator: gen, dtype: "float64" }).data, (g) => g * (k + 1)));
      const o = { lr: 0.01, b1: 0.9, b2: 0.99, eps: 1e-8 };
      const ref = adamReference(p0, grads, o, store);
      const p = nb.tensor(p0, { dtype: "float64" });
      const opt = new LowPrecisionAdam([p], { lr: o.lr, betas: [o.b1, o.b2], eps: o.eps, stateDtype: store, min8bitSize: 0 });
      grads.forEach((g, k) => {
        p.grad = nb.tensor(g, { dtype: "float64" });
        opt.step();
        expect(relDiff(p.data, ref[k]), `step ${k}`).toBeLessThan(1e-12);
      });
    });
  }

  const configs: [string, Partial<LowPrecisionAdamOptions>][] = [
    ["8bit", { lr: 0.01, stateDtype: "8bit", min8bitSize: 0 }],
    ["8bit, float moments below min8bitSize", { lr: 0.01, stateDtype: "8bit", min8bitSize: 6, weightDecay: 0.1 }],
    ["8bit decoupled, maximize", { lr: 0.01, stateDtype: "8bit", min8bitSize: 0, decoupled: true, weightDecay: 0.3, maximize: true }],
    ["bf16", { lr: 0.02, stateDtype: "bf16", betas: [0.8, 0.9] }],
    ["bf16 coupled decay", { lr: 0.02, stateDtype: "bf16", weightDecay: 0.1 }],
  ];
  for (const [label, config] of configs) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`fused kernel equals Adam's chain on the decoded moments: ${label} [${dtype}]`, () => {
        const a = randomParams(1, dtype);
        const b = copyParams(a);
        const grads = randomGradients(2, 10, dtype);
        const fused = new LowPrecisionAdam(a, config);
        const chained = new LowPrecisionAdam(b, config);
        chained.fused = false;
        const tol = dtype === "float64" ? 1e-12 : 2e-6;
        for (let k = 0; k < 10; k++) {
          setGradients(a, grads, k);
          setGradients(b, grads, k);
          fused.step();
          chained.step();
          a.forEach((p, i) => expect(relDiff(p.data, b[i].data), `step ${k} param ${i}`).toBeLessThanOrEqual(tol));
        }
        // The stored codes or bits agree exactly in float64.
        a.forEach((p, i) => expectStateClose(fused.state.get(p), chained.state.get(b[i]), dtype === "float64" ? 0 : 1e-5, `state[${i}]`));
      });
    }
  }

  it("tracks full-precision Adam on a 10000-parameter quadratic at half (bf16) or a quarter (8-bit) of the state", () => {
    const gen = new nb.Generator(5);
    const target = nb.randn([10_000], { generator: gen });
    const scales = nb.rand([10_000], { generator: gen }).data.map((s) => 0.1 + 3 * s);
    const loss = (p: nb.Tensor) => Array.from(p.data).reduce((a, v, i) => a + 0.5 * scales[i] * (v - target.data[i]) ** 2, 0);
    const run = (make: (p: nb.Tensor) => nb.optim.Optimizer, steps: number) => {
      const p = nb.zeros([10_000]);
      const opt = make(p);
      const losses: number[] = [];
      for (let k = 0; k < steps; k++) {
        p.grad = nb.tensor(p.data.map((v, i) => scales[i] * (v - target.data[i])));
        opt.step();
        losses.push(loss(p));
      }
      return { p, opt, losses };
    };
    const full = run((p) => new nb.optim.Adam([p], { lr: 0.05 }), 200);
    const eight = run((p) => new Adam8bit([p], { lr: 0.05 }), 200);
    const half = run((p) => new LowPrecisionAdam([p], { lr: 0.05, stateDtype: "bf16" }), 200);
    // bf16 moments barely change the trajectory; 8-bit ones move single weights more but not the loss.
    for (const k of [20, 60]) {
      expect(half.losses[k] / full.losses[k]).toBeCloseTo(1, 2);
      expect(eight.losses[k] / full.losses[k]).toBeGreaterThan(0.85);
      expect(eight.losses[k] / full.losses[k]).toBeLessThan(1.15);
    }
    for (const run of [full, eight, half]) expect(relDiff(run.p.data, target.data)).toBeLessThan(2e-3);
    expect(stateBytes(full.opt)).toBe(8);
    expect(stateBytes(half.opt)).toBe(4);
    expect(stateBytes(eight.opt)).toBe((2 * 10_000 + 2 * 4 * 5) / 10_000);
  });

  it("round-trips its state dict exactly through JSON (packed words, absmax, float fallback)", () => {
    const params = randomParams(7, "float32", [[3000], [5], [0]]);
    const grads = randomGradients(8, 9, "float32", [[3000], [5], [0]]);
    expectExactResume((ps) => new LowPrecisionAdam(ps, { lr: 0.01, min8bitSize: 100 }), params, grads, 4);
    expectExactResume((ps) => new AdamWBf16(ps, { lr: 0.01 }), params, grads, 5);
    const opt = new AdamW8bit(copyParams(params), { lr: 0.01, min8bitSize: 0 });
    setGradients(opt.paramGroups[0].params, grads, 0);
    opt.step();
    const sd = opt.stateDict();
    expect(sd.state[0]).toMatchObject({ step: 1 });
    expect((sd.state[0] as { expAvg: Int32Array }).expAvg).toBeInstanceOf(Int32Array);
    expect((sd.state[0] as { expAvg: Int32Array }).expAvg).toHaveLength(750);
    expect((sd.state[0] as { expAvgAbsmax: Float32Array }).expAvgAbsmax).toHaveLength(2);
  });

  it("validates its options and refuses a storage change after the first step", () => {
    const x = () => [nb.tensor([1, 2], { dtype: "float64" })];
    expect(() => new LowPrecisionAdam(x(), { stateDtype: "fp8" as "8bit" })).toThrow(new RangeError('LowPrecisionAdam: stateDtype must be "bf16" or "8bit", got "fp8"'));
    expect(() => new LowPrecisionAdam(x(), { min8bitSize: -1 })).toThrow("LowPrecisionAdam: min8bitSize must be an integer >= 0, got -1");
    expect(() => new Adam8bit(x(), { betas: [0.9, 1] })).toThrow("Adam8bit: betas[1] must be in [0, 1), got 1");
    expect(() => new AdamW8bit(x(), { lr: -1 })).toThrow("AdamW8bit: lr must be >= 0, got -1");
    expect(new AdamW8bit(x()).paramGroups[0]).toMatchObject({ weightDecay: 1e-2, decoupled: true, stateDtype: "8bit" });
    const ps = x();
    const opt = new LowPrecisionAdam(ps, { stateDtype: "bf16" });
    ps[0].grad = nb.tensor([1, 1], { dtype: "float64" });
    opt.step();
    opt.paramGroups[0].stateDtype = "8bit";
    const before = Array.from(ps[0].data);
    expect(() => opt.step()).toThrow(
      "LowPrecisionAdam.step: a parameter's moments are stored as bf16 but its group now asks for float; stateDtype and min8bitSize cannot change after the first step",
    );
    expect(Array.from(ps[0].data)).toEqual(before);
  });

  it("minimises Rosenbrock from (-1.5, 2) to within 1e-3 of (1, 1) in 5000 steps (8-bit: lr 0.02; bf16: lr 0.05)", () => {
    const eight = runRosenbrock((p) => new LowPrecisionAdam([p], { lr: 0.02, stateDtype: "8bit", min8bitSize: 0 }), 5000);
    expect(distanceToMinimum(eight)).toBeLessThan(1e-3);
    const half = runRosenbrock((p) => new LowPrecisionAdam([p], { lr: 0.05, stateDtype: "bf16" }), 5000);
    expect(distanceToMinimum(half)).toBeLessThan(1e-3);
  });

  it("trains the two-moons MLP to at least 97% accuracy in 15 epochs (Adam8bit and AdamWBf16, lr 0.03)", async () => {
    const eight = await trainTwoMoons((ps) => new Adam8bit(ps, { lr: 0.03, min8bitSize: 0 }), 15);
    expect(eight.accuracy).toBeGreaterThanOrEqual(0.97);
    const half = await trainTwoMoons((ps) => new AdamWBf16(ps, { lr: 0.03 }), 15);
    expect(half.accuracy).toBeGreaterThanOrEqual(0.97);
  });
});
