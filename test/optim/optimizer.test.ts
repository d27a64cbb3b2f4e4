// The stateful optimizers' contract: hyperparameter validation with torch's
// rules, parameter groups, per-step reading of group options, skipped null
// gradients, zeroGrad, gradient checks, and in-place state.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { OPTIMIZERS } from "./helpers.js";

const x = () => nb.tensor([1, 2], { dtype: "float64" });

describe("hyperparameter validation", () => {
  const bad: { make: () => unknown; type: typeof RangeError | typeof TypeError; message: string }[] = [
    { make: () => new nb.optim.Adam([x()], { betas: [1.2, 0.999] }), type: RangeError, message: "Adam: betas[0] must be in [0, 1), got 1.2" },
    { make: () => new nb.optim.Adam([x()], { betas: [0.9, 1] }), type: RangeError, message: "Adam: betas[1] must be in [0, 1), got 1" },
    { make: () => new nb.optim.Adam([x()], { lr: -1 }), type: RangeError, message: "Adam: lr must be >= 0, got -1" },
    { make: () => new nb.optim.Adam([x()], { eps: -1e-8 }), type: RangeError, message: "Adam: eps must be >= 0, got -1e-8" },
    { make: () => new nb.optim.AdamW([x()], { weightDecay: -0.1 }), type: RangeError, message: "AdamW: weightDecay must be >= 0, got -0.1" },
    {
      make: () => new nb.optim.Adam([x()], { betas: [0.9] as unknown as [number, number] }),
      type: TypeError,
      message: "Adam: betas must be a pair of numbers, got [0.9]",
    },
    { make: () => new nb.optim.Adam([x()], { amsgrad: 1 as unknown as boolean }), type: TypeError, message: "Adam: amsgrad must be a boolean, got 1" },
    { make: () => new nb.optim.SGD([x()], { lr: Number.NaN }), type: RangeError, message: "SGD: lr must be >= 0, got NaN" },
    { make: () => new nb.optim.SGD([x()], { momentum: -0.5 }), type: RangeError, message: "SGD: momentum must be >= 0, got -0.5" },
    {
      make: () => new nb.optim.SGD([x()], { nesterov: true }),
      type: RangeError,
      message: "SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0, dampening 0",
    },
    {
      make: () => new nb.optim.SGD([x()], { nesterov: true, momentum: 0.9, dampening: 0.1 }),
      type: RangeError,
      message: "SGD: nesterov requires momentum > 0 and dampening = 0, got momentum 0.9, dampening 0.1",
    },
    { make: () => new nb.optim.SGD([x()], { lr: "0.1" as unknown as number }), type: TypeError, message: 'SGD: lr must be a number, got "0.1"' },
    { make: () => new nb.optim.NAdam([x()], { momentumDecay: -1 }), type: RangeError, message: "NAdam: momentumDecay must be >= 0, got -1" },
    { make: () => new nb.optim.Adamax([x()], { betas: [-0.1, 0.9] }), type: RangeError, message: "Adamax: betas[0] must be in [0, 1), got -0.1" },
    { make: () => new nb.optim.RAdam([x()], { eps: -1 }), type: RangeError, message: "RAdam: eps must be >= 0, got -1" },
    { make: () => new nb.optim.Adagrad([x()], { lrDecay: -1 }), type: RangeError, message: "Adagrad: lrDecay must be >= 0, got -1" },
    {
      make: () => new nb.optim.Adagrad([x()], { initialAccumulatorValue: -1 }),
      type: RangeError,
      message: "Adagrad: initialAccumulatorValue must be >= 0, got -1",
    },
    { make: () => new nb.optim.Adadelta([x()], { rho: 1.5 }), type: RangeError, message: "Adadelta: rho must be in [0, 1], got 1.5" },
    { make: () => new nb.optim.RMSprop([x()], { alpha: -0.1 }), type: RangeError, message: "RMSprop: alpha must be >= 0, got -0.1" },
    { make: () => new nb.optim.RMSprop([x()], { momentum: -1 }), type: RangeError, message: "RMSprop: momentum must be >= 0, got -1" },
    {
      make: () => new nb.optim.Rprop([x()], { etas: [1.5, 1.2] }),
      type: RangeError,
      message: "Rprop: etas must satisfy 0 < etas[0] < 1 < etas[1], got [1.5, 1.2]",
    },
    { make: () => new nb.optim.ASGD([x()], { weightDecay: -1 }), type: RangeError, message: "ASGD: weightDecay must be >= 0, got -1" },
    // A group's own options are checked too.
    {
      make: () => new nb.optim.Adam([{ params: [x()] }, { params: [x()], betas: [0.9, 2] }]),
      type: RangeError,
      message: "Adam: betas[1] must be in [0, 1), got 2",
    },
  ];
  for (const { make, type, message } of bad) {
    it(message, () => {
      expect(make).toThrow(type);
      expect(make).toThrow(message);
    });
  }

  it("accepts torch's boundary values", () => {
    expect(() => new nb.optim.Adam([x()], { lr: 0, eps: 0, betas: [0, 0] })).not.toThrow();
    expect(() => new nb.optim.Adadelta([x()], { rho: 1 })).not.toThrow();
  });
});

describe("parameters", () => {
  it("rejects an empty list, a Set, int32 and non-leaf tensors, and duplicates", () => {
    expect(() => new nb.optim.SGD([], { lr: 0.1 })).toThrow("SGD: got an empty parameter list");
    expect(() => new nb.optim.SGD([{ params: new Set([x()]) }], { lr: 0.1 })).toThrow(/not a Set/);
    expect(() => new nb.optim.SGD([nb.tensor([1, 2], { dtype: "int32" })])).toThrow(/dtype int32; only floating tensors/);
    const leaf = nb.tensor([1, 2], { requiresGrad: true });
    expect(() => new nb.optim.SGD([leaf.mul(2)])).toThrow(/not a leaf tensor/);
    expect(() => new nb.optim.SGD([leaf, leaf])).toThrow(/more than one parameter group/);
    expect(() => new nb.optim.SGD([{ params: [leaf] }, { params: [leaf] }])).toThrow(/more than one parameter group/);
    expect(() => new nb.optim.SGD([{ params: [] }])).toThrow("SGD: param group 0 has no parameters");
  });

  it("addParamGroup merges the defaults, and a failing call changes nothing", () => {
    const [a, b, c] = [x(), x(), x()];
    const opt = new nb.optim.SGD([a], { lr: 0.1, momentum: 0.9 });
    opt.addParamGroup({ params: [b], lr: 0.01 });
    expect(opt.paramGroups[1]).toMatchObject({ lr: 0.01, momentum: 0.9, dampening: 0, nesterov: false });
    expect(() => opt.addParamGroup({ params: [c], lr: -1 })).toThrow("SGD: lr must be >= 0, got -1");
    expect(() => opt.addParamGroup({ params: [a] })).toThrow(/more than one parameter group/);
    expect(opt.paramGroups.length).toBe(2);
    expect(opt.defaults).toMatchObject({ lr: 0.1, momentum: 0.9 });
  });
});

describe("step", () => {
  it("uses each group's options (group keys override defaults)", () => {
    const a = nb.tensor([1], { dtype: "float64" });
    const b = nb.tensor([1], { dtype: "float64" });
    const opt = new nb.optim.SGD([{ params: [a] }, { params: [b], lr: 0.5, weightDecay: 1 }], { lr: 0.1 });
    a.grad = nb.tensor([2], { dtype: "float64" });
    b.grad = nb.tensor([2], { dtype: "float64" });
    opt.step();
    expect(a.data[0]).toBeCloseTo(1 - 0.1 * 2, 15);
    expect(b.data[0]).toBeCloseTo(1 - 0.5 * (2 + 1 * 1), 15);
  });

  it("reads lr and betas at every step (what schedulers write)", () => {
    const p = nb.tensor([0], { dtype: "float64" });
    const opt = new nb.optim.SGD([p], { lr: 0.1 });
    p.grad = nb.tensor([1], { dtype: "float64" });
    opt.step();
    opt.paramGroups[0].lr = 0.5;
    opt.step();
    expect(p.data[0]).toBeCloseTo(-0.6, 15);

    const q = nb.tensor([0], { dtype: "float64" });
    const adam = new nb.optim.Adam([q], { lr: 0.1 });
    q.grad = nb.tensor([1], { dtype: "float64" });
    adam.step(); // m = 0.1
    adam.paramGroups[0].betas = [0.5, 0.999];
    adam.step(); // m = 0.5·0.1 + 0.5·1
    expect(adam.state.get(q)!.expAvg[0]).toBeCloseTo(0.55, 15);
  });

  it("skips parameters whose gradient is null (no update, no state)", () => {
    const [a, b] = [x(), x()];
    const opt = new nb.optim.Adam([a, b], { lr: 0.1 });
    a.grad = nb.tensor([1, -1], { dtype: "float64" });
    opt.step();
    expect(Array.from(b.data)).toEqual([1, 2]);
    expect(opt.state.has(b)).toBe(false);
    // Adam's first step moves each element by lr·g/(|g| + eps) ≈ lr·sign(g).
    expect(a.data[0]).toBeCloseTo(0.9, 7);
    expect(a.data[1]).toBeCloseTo(2.1, 7);
  });

  it("checks every gradient's shape and dtype before updating anything", () => {
    const [a, b] = [x(), x()];
    const opt = new nb.optim.SGD([a, b], { lr: 0.1 });
    a.grad = nb.tensor([1, 1], { dtype: "float64" });
    b.grad = nb.tensor([1, 1, 1], { dtype: "float64" });
    expect(() => opt.step()).toThrow("SGD: parameter 1 of group 0 has shape [2] but its gradient has shape [3]");
    expect(Array.from(a.data)).toEqual([1, 2]);
    b.grad = nb.tensor([1, 1], { dtype: "int32" });
    expect(() => opt.step()).toThrow(TypeError);
  });

  it("calls the closure with recording on and returns its loss", () => {
    const p = nb.tensor([3], { dtype: "float64", requiresGrad: true });
    const opt = new nb.optim.SGD([p], { lr: 0.25 });
    const closure = (): nb.Tensor => {
      opt.zeroGrad();
      const loss = p.mul(p).sum();
      loss.backward();
      return loss;
    };
    const loss = nb.noGrad(() => opt.step(closure));
    expect(loss).toBe(9);
    expect(p.data[0]).toBe(3 - 0.25 * 6);
  });

  it("updates state in place: no new buffers after the first step", () => {
    for (const o of OPTIMIZERS) {
      const p = nb.randn([10]);
      const opt = o.make([p], o.configs[o.configs.length - 1]);
      p.grad = nb.randn([10]);
      opt.step();
      const s = opt.state.get(p) as Record<string, unknown>;
      const buffers = Object.values(s).filter((v) => ArrayBuffer.isView(v));
      for (let k = 0; k < 5; k++) opt.step();
      expect(Object.values(opt.state.get(p) as Record<string, unknown>).filter((v) => ArrayBuffer.isView(v)), o.name).toEqual(buffers);
      Object.values(opt.state.get(p) as Record<string, unknown>)
        .filter((v) => ArrayBuffer.isView(v))
        .forEach((v, i) => expect(v, o.name).toBe(buffers[i]));
    }
  });
});

describe("zeroGrad", () => {
  it("sets gradients to null by default, or fills them with zeros in place", () => {
    const [a, b] = [x(), x()];
    const opt = new nb.optim.SGD([a, b], { lr: 0.1 });
    a.grad = nb.tensor([1, 2], { dtype: "float64" });
    opt.zeroGrad();
    expect(a.grad).toBeNull();
    expect(b.grad).toBeNull();
    const g = nb.tensor([1, 2], { dtype: "float64" });
    a.grad = g;
    opt.zeroGrad({ setToNone: false });
    expect(a.grad).toBe(g);
    expect(Array.from(g.data)).toEqual([0, 0]);
    expect(b.grad).toBeNull();
  });
});

describe("convergence", () => {
  // f(x) = ½ Σ a·x² + Σ b·x on float32, minimum at x* = −b/a.
  const a = [1, 2, 3, 0.5];
  const b = [0.5, -1, 1, 0.2];
  const settings: { name: string; options: Record<string, unknown>; steps: number; tol?: number }[] = [
    { name: "SGD", options: { lr: 0.2 }, steps: 200 },
    { name: "SGD", options: { lr: 0.05, momentum: 0.9, nesterov: true }, steps: 300 },
    { name: "Adam", options: { lr: 0.05 }, steps: 500 },
    { name: "AdamW", options: { lr: 0.05, weightDecay: 0 }, steps: 500 },
    { name: "Adamax", options: { lr: 0.05 }, steps: 500 },
    { name: "NAdam", options: { lr: 0.05 }, steps: 500 },
    { name: "RAdam", options: { lr: 0.05 }, steps: 500 },
    { name: "Adagrad", options: { lr: 0.5 }, steps: 500 },
    // Adadelta's step ratio √(δ+eps)/√(e+eps) grows as g → 0, so on a noiseless
    // quadratic it circles the minimum: only ask for a 5x approach (from 0.67).
    { name: "Adadelta", options: { lr: 10 }, steps: 500, tol: 0.13 },
    { name: "RMSprop", options: { lr: 0.01 }, steps: 500 },
    { name: "Rprop", options: { lr: 0.01 }, steps: 200 },
    { name: "ASGD", options: { lr: 0.2 }, steps: 300 },
  ];
  for (const { name, options, steps, tol = 1e-2 } of settings) {
    it(`${name} ${JSON.stringify(options)} reaches the minimum of a quadratic`, () => {
      const entry = OPTIMIZERS.find((o) => o.name === name)!;
      const p = nb.zeros([4]);
      const opt = entry.make([p], options);
      for (let k = 0; k < steps; k++) {
        p.grad = nb.tensor(a.map((ai, i) => ai * p.data[i] + b[i]));
        opt.step();
      }
      a.forEach((ai, i) => expect(Math.abs(p.data[i] + b[i] / ai), `${name} x[${i}]`).toBeLessThan(tol));
    });
  }
});

describe("fromTransform", () => {
  it("applies p ← p + lr·u per group, lr read at each step (1 by default)", () => {
    const p = nb.tensor([1, 2], { dtype: "float64" });
    const opt = nb.optim.fromTransform([p], nb.optim.scaleByLearningRate(1), { lr: 0.1 });
    p.grad = nb.tensor([1, -2], { dtype: "float64" });
    opt.step();
    expect(Array.from(p.data)).toEqual([1 - 0.1, 2 + 0.2]);
    opt.paramGroups[0].lr = 1;
    opt.step();
    expect(Array.from(p.data)).toEqual([0.9 - 1, 2.2 + 2]);
    expect(nb.optim.fromTransform([x()], nb.optim.identity()).paramGroups[0].lr).toBe(1);
  });

  it("runs the transformation over a whole group: global clipping sees every parameter", () => {
    const [a, b] = [nb.tensor([0], { dtype: "float64" }), nb.tensor([0], { dtype: "float64" })];
    const opt = nb.optim.fromTransform([a, b], nb.optim.chain(nb.optim.clipByGlobalNorm(1), nb.optim.scaleByLearningRate(1)));
    a.grad = nb.tensor([3], { dtype: "float64" });
    b.grad = nb.tensor([4], { dtype: "float64" });
    opt.step();
    expect(a.data[0]).toBeCloseTo(-0.6, 15);
    expect(b.data[0]).toBeCloseTo(-0.8, 15);
  });

  it("skips a group without gradients, counts a missing gradient among others as zero, and skips non-finite steps", () => {
    const [a, b, c] = [x(), x(), x()];
    const opt = nb.optim.fromTransform([{ params: [a, b] }, { params: [c] }], nb.optim.applyIfFinite(nb.optim.sgd(0.5)));
    a.grad = nb.tensor([1, 1], { dtype: "float64" });
    opt.step();
    expect(Array.from(a.data)).toEqual([0.5, 1.5]);
    expect(Array.from(b.data)).toEqual([1, 2]);
    expect(Array.from(c.data)).toEqual([1, 2]);
    expect(opt.state.has(c)).toBe(false);
    a.grad = nb.tensor([Number.NaN, 1], { dtype: "float64" });
    opt.step();
    expect(Array.from(a.data)).toEqual([0.5, 1.5]);
    expect((opt.state.get(a) as nb.optim.ApplyIfFiniteState).totalNotfinite).toBe(1);
  });

  it("adamw's mask leaves biases undecayed", () => {
    const w = nb.tensor([[1, 1]], { dtype: "float64" });
    const bias = nb.tensor([1], { dtype: "float64" });
    const opt = nb.optim.fromTransform([w, bias], nb.optim.adamw(0.1, { weightDecay: 0.5, mask: (p) => p.shape.length > 1 }));
    w.grad = nb.zeros([1, 2], { dtype: "float64" });
    bias.grad = nb.zeros([1], { dtype: "float64" });
    opt.step(); // zero gradients: Adam's term is 0, only the decay moves
    expect(Array.from(w.data)).toEqual([1 - 0.1 * 0.5, 1 - 0.1 * 0.5]);
    expect(Array.from(bias.data)).toEqual([1]);
  });
});
