// The WebAssembly SIMD optimizer kernels against their references, on
// random lengths (0, 1, odd, non-multiples of 4, past the staging chunk),
// options and values, with each array in or out of WASM memory.
//
// Two references, two tolerances:
// - The same formula evaluated in float32 in JavaScript (Math.fround after
//   every operation, in the kernel's order): equal bit for bit. Rounding a
//   double result of +, -, ×, ÷ or √ of floats to float32 is exact float32
//   arithmetic (double has more than 2·24 + 2 bits), so any difference is a
//   bug in a lane, a tail or the staging.
// - The TypeScript kernels (double arithmetic, float32 storage): within the
//   first-order bound of float32 evaluation, each input term contributing
//   its rounding (u = 2⁻²⁴ per operation) propagated through the formula
//   (for Adam, through the division by √v, which amplifies the error of a
//   gradient that nearly cancels its weight decay), times 2 for the
//   second-order terms, plus 2⁻¹²⁶.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { STAGE_CHUNK } from "../../src/tensor/kernels/wasm/staging.js";
import { sharedWasmRuntime } from "../../src/tensor/kernels/wasm/runtime.js";
import { adamKernel } from "../../src/optim/kernels/adam.js";
import { sgdKernel } from "../../src/optim/kernels/sgd.js";
import { wasmAdamKernel } from "../../src/optim/kernels/wasmAdam.js";
import { wasmSgdKernel } from "../../src/optim/kernels/wasmSgd.js";
import { relDiff } from "./helpers.js";

const shared = sharedWasmRuntime();
const U = 2 ** -24;
const TINY = 2 ** -126;
const f = Math.fround;

const length = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 0, max: 70 }) },
  { weight: 3, arbitrary: fc.constantFrom(0, 1, 2, 3, 4, 5, 7, 8, 9) },
  { weight: 1, arbitrary: fc.constantFrom(STAGE_CHUNK, STAGE_CHUNK + 5, 2 * STAGE_CHUNK + 3) },
);

/** Seeded values u·10^e with u in (-1, 1) and e from -3 to 1 (positive when `positive`). */
function values(n: number, seed: number, positive = false): Float32Array {
  const out = new Float32Array(n);
  let s = seed;
  for (let i = 0; i < n; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    const u = s / 2147483648;
    out[i] = (positive ? u : 2 * u - 1) * 10 ** ((i % 5) - 3);
  }
  return out;
}

/** `x` itself, or a copy of it in the shared WASM memory (where there is one). */
function place(x: Float32Array, inWasm: boolean): Float32Array {
  if (!inWasm || shared === null) return x;
  const r = shared.residentFloat32(x.length)!;
  r.set(x);
  return r;
}

function expectBits(name: string, got: Float32Array, want: Float32Array): void {
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) if (!Object.is(got[i], want[i])) bad.push(`${name}[${i}]: got ${got[i]}, want ${want[i]}`);
  expect(bad).toEqual([]);
}

function expectWithin(name: string, got: Float32Array, want: Float32Array, tol: (i: number) => number): void {
  const bad: string[] = [];
  for (let i = 0; i < want.length && bad.length < 5; i++) {
    const t = 2 * tol(i) + TINY;
    if (!(Math.abs(got[i]! - want[i]!) <= t)) bad.push(`${name}[${i}]: got ${got[i]}, want ${want[i]} (tol ${t})`);
  }
  expect(bad).toEqual([]);
}

type AdamCase = {
  n: number;
  seed: number;
  step: number;
  lr: number;
  b1: number;
  b2: number;
  eps: number;
  weightDecay: number;
  decoupled: boolean;
  maximize: boolean;
  amsgrad: boolean;
  inWasm: boolean[];
};

const adamCases: fc.Arbitrary<AdamCase> = fc.record({
  n: length,
  seed: fc.integer({ min: 1, max: 1 << 30 }),
  step: fc.constantFrom(1, 2, 10, 1000),
  lr: fc.constantFrom(1e-3, 0.1),
  b1: fc.constantFrom(0.9, 0.5, 0),
  b2: fc.constantFrom(0.999, 0.9, 0),
  eps: fc.constantFrom(1e-8, 1e-3),
  weightDecay: fc.constantFrom(0, 0.01, 0.3),
  decoupled: fc.boolean(),
  maximize: fc.boolean(),
  amsgrad: fc.boolean(),
  inWasm: fc.array(fc.boolean(), { minLength: 5, maxLength: 5 }),
});

/** The inputs of one Adam step, the step's scalars, and the WASM kernel's outputs. */
function adamRun(o: AdamCase) {
  const inputs = {
    p: values(o.n, o.seed),
    g: values(o.n, o.seed + 1),
    m: values(o.n, o.seed + 2),
    v: values(o.n, o.seed + 3, true),
    vm: values(o.n, o.seed + 3, true).map((x, i) => x * (1 + (i % 3))),
  };
  const stepSize = o.lr / (1 - o.b1 ** o.step);
  const invSqrtBc2 = 1 / Math.sqrt(1 - o.b2 ** o.step);
  const args = [stepSize, invSqrtBc2, o.lr, o.b1, o.b2, o.eps, o.weightDecay, o.decoupled, o.maximize] as const;
  const [p, g, m, v, vm] = [inputs.p, inputs.g, inputs.m, inputs.v, inputs.vm].map((x, i) => place(x.slice(), o.inWasm[i]!));
  wasmAdamKernel(p!, g!, m!, v!, o.amsgrad ? vm! : null, ...args);
  return { inputs, args, stepSize, invSqrtBc2, out: { p: p!, g: g!, m: m!, v: v!, vm: vm! } };
}

describe("wasmAdamKernel (float32)", () => {
  it("equals Adam's formula evaluated in float32, bit for bit", () => {
    fc.assert(
      fc.property(adamCases, (o) => {
        const { inputs: x, stepSize, invSqrtBc2, out } = adamRun(o);
        // The kernel's scalars, rounded to float32 at the call, and its order of operations.
        const sign = o.maximize ? -1 : 1;
        const coupled = f(o.decoupled ? 0 : o.weightDecay);
        const shrink = f(o.decoupled ? 1 - o.lr * o.weightDecay : 1);
        const [ss, bc, b1, c1, b2, c2, eps] = [stepSize, invSqrtBc2, o.b1, 1 - o.b1, o.b2, 1 - o.b2, o.eps].map(f) as number[];
        const plain = !o.amsgrad && coupled === 0 && sign === 1;
        const [p, m, v, vm] = [x.p.slice(), x.m.slice(), x.v.slice(), x.vm.slice()];
        for (let i = 0; i < o.n; i++) {
          const p0 = p[i]!;
          const gi = plain ? x.g[i]! : f(f(sign * x.g[i]!) + f(coupled * p0));
          const mi = f(f(b1! * m[i]!) + f(c1! * gi));
          let vi = f(f(b2! * v[i]!) + f(f(c2! * gi) * gi));
          m[i] = mi;
          v[i] = vi;
          if (o.amsgrad) vi = vm[i] = Math.max(vm[i]!, vi);
          p[i] = f(f(p0 * shrink) - f(f(ss! * mi) / f(f(f(Math.sqrt(vi)) * bc!) + eps!)));
        }
        expectBits("p", out.p, p);
        expectBits("m", out.m, m);
        expectBits("v", out.v, v);
        if (o.amsgrad) expectBits("max v", out.vm, vm);
        expect(out.g).toEqual(x.g); // read, never written
      }),
      { numRuns: 120 },
    );
  });

  it("is within the float32 error bound of the TypeScript kernel (double)", () => {
    fc.assert(
      fc.property(adamCases, (o) => {
        const { inputs: x, args, stepSize, invSqrtBc2, out } = adamRun(o);
        const [p, m, v] = [x.p.slice(), x.m.slice(), x.v.slice()];
        const vm = o.amsgrad ? x.vm.slice() : null;
        adamKernel(p, x.g, m, v, vm, ...args);

        const sign = o.maximize ? -1 : 1;
        const coupled = o.decoupled ? 0 : o.weightDecay;
        const shrink = o.decoupled ? 1 - o.lr * o.weightDecay : 1;
        const c1 = 1 - o.b1;
        const c2 = 1 - o.b2;
        const tol = { p: new Float64Array(o.n), m: new Float64Array(o.n), v: new Float64Array(o.n) };
        for (let i = 0; i < o.n; i++) {
          const p0 = x.p[i]!;
          const gp = sign * x.g[i]! + coupled * p0;
          const dg = 3 * U * (Math.abs(x.g[i]!) + Math.abs(coupled * p0));
          const mi = o.b1 * x.m[i]! + c1 * gp;
          const dm = 4 * U * (Math.abs(o.b1 * x.m[i]!) + Math.abs(c1 * gp)) + c1 * dg;
          const vi = o.b2 * x.v[i]! + c2 * gp * gp;
          const dv = 6 * U * vi + c2 * (2 * Math.abs(gp) * dg + dg * dg);
          const vh = vm === null ? vi : Math.max(x.vm[i]!, vi);
          const dvh = dv + U * vh;
          const s = Math.sqrt(vh);
          const ds = Math.sqrt(vh + dvh) - Math.sqrt(Math.max(vh - dvh, 0)) + U * s;
          const den = s * invSqrtBc2 + o.eps;
          const dden = ds * invSqrtBc2 + 3 * U * den;
          const upd = (stepSize * mi) / den;
          const dupd = den - dden <= 0 ? Infinity : stepSize * (dm / (den - dden) + (Math.abs(mi) * dden) / (den * (den - dden))) + 3 * U * Math.abs(upd);
          tol.m[i] = dm + U * Math.abs(mi);
          tol.v[i] = dv + U * vi;
          tol.p[i] = 2 * U * Math.abs(p0 * shrink) + dupd + U * Math.abs(p[i]!);
        }
        expectWithin("m", out.m, m, (i) => tol.m[i]!);
        expectWithin("v", out.v, v, (i) => tol.v[i]!);
        if (vm !== null) expectWithin("max v", out.vm, vm, (i) => Math.max(tol.v[i]!, U * vm[i]!));
        expectWithin("p", out.p, p, (i) => tol.p[i]!);
      }),
      { numRuns: 120 },
    );
  });

  it("non-finite gradients give non-finite parameters at the same places", () => {
    const n = 23;
    const g = values(n, 5);
    g[3] = NaN;
    g[8] = Infinity;
    g[21] = -Infinity;
    const run = (wasm: boolean): Float32Array => {
      const p = values(n, 6);
      const m = new Float32Array(n);
      const v = new Float32Array(n);
      if (wasm) wasmAdamKernel(p, g, m, v, null, 1e-3, 1, 1e-3, 0.9, 0.999, 1e-8, 0, true, false);
      else adamKernel(p, g, m, v, null, 1e-3, 1, 1e-3, 0.9, 0.999, 1e-8, 0, true, false);
      return p;
    };
    const [js, wasm] = [run(false), run(true)];
    expect(Array.from(wasm, Number.isFinite)).toEqual(Array.from(js, Number.isFinite));
    expect(Array.from(wasm, Number.isNaN)).toEqual(Array.from(js, Number.isNaN));
  });
});

type SgdCase = {
  n: number;
  seed: number;
  lr: number;
  momentum: number;
  dampening: number;
  weightDecay: number;
  nesterov: boolean;
  maximize: boolean;
  first: boolean;
  inWasm: boolean[];
};

const sgdCases: fc.Arbitrary<SgdCase> = fc.record({
  n: length,
  seed: fc.integer({ min: 1, max: 1 << 30 }),
  lr: fc.constantFrom(1e-3, 0.1),
  momentum: fc.constantFrom(0, 0.9, 0.5),
  dampening: fc.constantFrom(0, 0.3),
  weightDecay: fc.constantFrom(0, 0.01),
  nesterov: fc.boolean(),
  maximize: fc.boolean(),
  first: fc.boolean(),
  inWasm: fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }),
});

function sgdRun(o: SgdCase) {
  const nesterov = o.nesterov && o.momentum > 0 && o.dampening === 0;
  const inputs = { p: values(o.n, o.seed), g: values(o.n, o.seed + 1), b: o.first ? new Float32Array(o.n) : values(o.n, o.seed + 2) };
  const args = [o.first, o.lr, o.momentum, o.dampening, o.weightDecay, nesterov, o.maximize] as const;
  const p = place(inputs.p.slice(), o.inWasm[0]!);
  const g = place(inputs.g.slice(), o.inWasm[1]!);
  const b = o.momentum !== 0 ? place(inputs.b.slice(), o.inWasm[2]!) : null;
  wasmSgdKernel(p, g, b, ...args);
  return { inputs, args, nesterov, out: { p, b } };
}

describe("wasmSgdKernel (float32)", () => {
  it("equals SGD's formula evaluated in float32, bit for bit", () => {
    fc.assert(
      fc.property(sgdCases, (o) => {
        const { inputs: x, nesterov, out } = sgdRun(o);
        const sign = o.maximize ? -1 : 1;
        const [lr, wd] = [f(o.lr), f(o.weightDecay)];
        const mu = f(o.first ? 0 : o.momentum);
        const keep = f(o.first ? 1 : 1 - o.dampening);
        const look = f(nesterov ? o.momentum : 0);
        const [p, b] = [x.p.slice(), x.b.slice()];
        for (let i = 0; i < o.n; i++) {
          const p0 = p[i]!;
          if (o.momentum === 0 && wd === 0 && sign === 1) {
            p[i] = f(p0 - f(lr * x.g[i]!));
            continue;
          }
          const d = f(f(sign * x.g[i]!) + f(wd * p0));
          if (o.momentum === 0) {
            p[i] = f(p0 - f(lr * d));
            continue;
          }
          const bi = (b[i] = f(f(mu * b[i]!) + f(keep * d)));
          p[i] = f(p0 - f(lr * (nesterov ? f(d + f(look * bi)) : bi)));
        }
        expectBits("p", out.p, p);
        if (out.b !== null) expectBits("buf", out.b, b);
      }),
      { numRuns: 120 },
    );
  });

  it("is within the float32 error bound of the TypeScript kernel (double)", () => {
    fc.assert(
      fc.property(sgdCases, (o) => {
        const { inputs: x, args, nesterov, out } = sgdRun(o);
        const p = x.p.slice();
        const buf = o.momentum !== 0 ? x.b.slice() : null;
        sgdKernel(p, x.g, buf, ...args);
        // Every step is linear: each result is off by at most a few roundings of its largest terms.
        const dAbs = (i: number) => Math.abs(x.g[i]!) + Math.abs(o.weightDecay * x.p[i]!);
        const mu = o.first ? 0 : o.momentum;
        const keep = o.first ? 1 : 1 - o.dampening;
        const tb = (i: number) => 4 * U * (Math.abs(mu * x.b[i]!) + keep * dAbs(i));
        const look = nesterov ? o.momentum : 0;
        const tbAbs = (i: number) => Math.abs(mu * x.b[i]!) + keep * dAbs(i);
        if (buf !== null) expectWithin("buf", out.b!, buf, tb);
        expectWithin("p", out.p, p, (i) => 2 * U * Math.abs(x.p[i]!) + 6 * U * o.lr * (dAbs(i) + (1 + look) * (buf === null ? 0 : tbAbs(i))));
      }),
      { numRuns: 120 },
    );
  });
});

describe("optimizers under the wasm backend", () => {
  function withBackend<T>(name: nb.BackendName, f: () => T): T {
    const before = nb.getBackend();
    nb.setBackend(name);
    try {
      return f();
    } finally {
      nb.setBackend(before);
    }
  }

  const params = (seed: number, dtype: "float32" | "float64"): nb.Tensor[] => {
    const gen = new nb.Generator(seed);
    return [[7, 5], [13], [1], [0], [3, 3, 3]].map((s) => nb.randn(s, { generator: gen, dtype }));
  };
  const gradsFor = (ps: nb.Tensor[], step: number): void => {
    const gen = new nb.Generator(100 + step);
    ps.forEach((p) => (p.grad = nb.randn(p.shape as number[], { generator: gen, dtype: p.dtype })));
  };
  const CONFIGS: [string, (ps: nb.Tensor[]) => nb.optim.ParamwiseOptimizer<nb.optim.GroupOptions, nb.optim.State>][] = [
    ["SGD", (ps) => new nb.optim.SGD(ps, { lr: 0.1 })],
    ["SGD momentum nesterov wd maximize", (ps) => new nb.optim.SGD(ps, { lr: 0.05, momentum: 0.9, nesterov: true, weightDecay: 0.01, maximize: true })],
    ["SGD momentum dampening", (ps) => new nb.optim.SGD(ps, { lr: 0.05, momentum: 0.9, dampening: 0.3 })],
    ["Adam amsgrad wd maximize", (ps) => new nb.optim.Adam(ps, { lr: 0.01, amsgrad: true, weightDecay: 0.1, maximize: true })],
    ["AdamW", (ps) => new nb.optim.AdamW(ps, { lr: 0.01, weightDecay: 0.1 })],
  ];

  for (const [label, make] of CONFIGS) {
    it(`${label}: 20 steps agree with the js backend (relDiff <= 2e-6, as fused vs chain)`, () => {
      const run = (backend: nb.BackendName) =>
        withBackend(backend, () => {
          const ps = params(1, "float32");
          const opt = make(ps);
          for (let k = 0; k < 20; k++) {
            gradsFor(ps, k);
            opt.step();
          }
          return ps;
        });
      const [js, wasm] = [run("js"), run("wasm")];
      js.forEach((p, i) => expect(relDiff(wasm[i]!.data, p.data), `param ${i}`).toBeLessThanOrEqual(2e-6));
      expect(relDiff(js[0]!.data, params(1, "float32")[0]!.data)).toBeGreaterThan(1e-3);
    });
  }

  it("float64 parameters keep the TypeScript kernel: bit for bit the js backend", () => {
    const run = (backend: nb.BackendName) =>
      withBackend(backend, () => {
        const ps = params(2, "float64");
        const opt = new nb.optim.Adam(ps, { lr: 0.01, amsgrad: true });
        for (let k = 0; k < 5; k++) {
          gradsFor(ps, k);
          opt.step();
        }
        return ps.map((p) => Array.from(p.data));
      });
    expect(run("wasm")).toEqual(run("js"));
  });

  /** Float32 parameters whose data (and, per step, gradients) live in the shared WASM memory, or ordinary ones. */
  const placedParams = (seed: number, inWasm: boolean): nb.Tensor[] =>
    params(seed, "float32").map((p) => (inWasm ? new nb.Tensor(place(p.data as Float32Array, true), p.shape) : p));
  const placedGrads = (ps: nb.Tensor[], step: number, inWasm: boolean): void => {
    gradsFor(ps, step);
    if (inWasm) ps.forEach((p) => (p.grad = new nb.Tensor(place(p.grad!.data as Float32Array, true), p.shape)));
  };

  for (const inWasm of [false, true]) {
    const where = inWasm ? "parameters in the shared WASM memory" : "ordinary parameters";
    it(`Adam, ${where}: state ${inWasm ? "follows them into WASM memory" : "stays ordinary arrays"}; stateDict copies it out, loadStateDict resumes bit for bit`, () => {
      if (inWasm && shared === null) return;
      withBackend("wasm", () => {
        const a = placedParams(3, inWasm);
        const b = placedParams(3, inWasm);
        const opt = new nb.optim.Adam(a, { lr: 0.01, amsgrad: true });
        for (let k = 0; k < 3; k++) {
          placedGrads(a, k, inWasm);
          opt.step();
        }
        const s = opt.state.get(a[0]!) as { expAvg: Float32Array; expAvgSq: Float32Array; maxExpAvgSq: Float32Array };
        for (const buf of [s.expAvg, s.expAvgSq, s.maxExpAvgSq]) {
          expect(shared === null ? -1 : shared.addressOf(buf), "state address in the shared memory").toBe(inWasm ? buf.byteOffset : -1);
        }
        const saved = opt.stateDict();
        const savedState = saved.state[0] as { expAvg: Float32Array };
        expect(savedState.expAvg.buffer).toBeInstanceOf(ArrayBuffer);
        expect(Array.from(savedState.expAvg)).toEqual(Array.from(s.expAvg));
        // A fresh optimizer on copies of the parameters, loaded from the dict, follows the original exactly.
        b.forEach((p, i) => p.data.set(a[i]!.data));
        const resumed = new nb.optim.Adam(b, { lr: 0.01, amsgrad: true });
        resumed.loadStateDict(saved);
        for (let k = 3; k < 6; k++) {
          placedGrads(a, k, inWasm);
          placedGrads(b, k, inWasm);
          opt.step();
          resumed.step();
        }
        b.forEach((p, i) => expect(Array.from(p.data), `param ${i}`).toEqual(Array.from(a[i]!.data)));
        // Later steps did not write into the saved dict.
        expect(Array.from(savedState.expAvg)).not.toEqual(Array.from(s.expAvg));
      });
    });

    it(`SGD with momentum, ${where}: the buffer ${inWasm ? "follows them into WASM memory" : "stays an ordinary array"}, and equals g after the first step`, () => {
      if (inWasm && shared === null) return;
      withBackend("wasm", () => {
        const ps = placedParams(4, inWasm);
        const opt = new nb.optim.SGD(ps, { lr: 0.1, momentum: 0.9 });
        placedGrads(ps, 0, inWasm);
        opt.step();
        const buf = (opt.state.get(ps[0]!) as { momentumBuffer: Float32Array }).momentumBuffer;
        expect(shared === null ? -1 : shared.addressOf(buf)).toBe(inWasm ? buf.byteOffset : -1);
        expect(Array.from(buf)).toEqual(Array.from(ps[0]!.grad!.data));
      });
    });
  }

  it("parameters in WASM memory and ordinary ones follow the same trajectory (Adam, 10 steps, bit for bit)", () => {
    if (shared === null) return;
    const run = (inWasm: boolean) =>
      withBackend("wasm", () => {
        const ps = placedParams(5, inWasm);
        const opt = new nb.optim.Adam(ps, { lr: 0.01, weightDecay: 0.1 });
        for (let k = 0; k < 10; k++) {
          placedGrads(ps, k, inWasm);
          opt.step();
        }
        return ps.map((p) => Array.from(p.data));
      });
    expect(run(true)).toEqual(run(false));
  });
});
