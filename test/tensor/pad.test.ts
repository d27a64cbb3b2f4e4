import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as nb from "../../src/tensor/index.js";
import { grad, gradcheck } from "../../src/autograd/index.js";

const f64 = (data: nb.NestedArray) => nb.tensor(data, { dtype: "float64" });
const randn = (shape: number[], seed: number) => nb.randn(shape, { dtype: "float64", generator: new nb.Generator(seed) });

/** First- and second-order gradient checks (see shape.test.ts). */
function checkGradients(op: (x: nb.Tensor) => nb.Tensor, x: nb.Tensor): void {
  gradcheck(op, [x.requiresGrad_()]);
  const w = randn([...op(x.detach()).shape], 99);
  const h = (t: nb.Tensor) => {
    const y = op(t);
    return y.mul(y).mul(y).mul(w).sum();
  };
  const v = randn([...x.shape], 98);
  gradcheck((t) => grad(h, { createGraph: true })(t).mul(v).sum(), [x]);
}

describe("pad, constant mode", () => {
  it("pads the last axis first, then the one before", () => {
    const x = f64([[1, 2], [3, 4]]);
    expect(nb.pad(x, [1, 2]).toArray()).toEqual([[0, 1, 2, 0, 0], [0, 3, 4, 0, 0]]);
    expect(x.pad([0, 1, 1, 0], { value: 9 }).toArray()).toEqual([[9, 9, 9], [1, 2, 9], [3, 4, 9]]);
    expect(x.pad([1, 0], { value: null }).toArray()).toEqual([[0, 1, 2], [0, 3, 4]]);
    expect(x.pad([]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(nb.tensor([1, 2], { dtype: "int32" }).pad([1, 1], { value: -3 }).toArray()).toEqual([-3, 1, 2, -3]);
  });

  it("crops with negative pads, and pads and crops at once", () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expect(x.pad([-1, 0]).toArray()).toEqual([[2, 3], [5, 6]]);
    expect(x.pad([-1, 1, 0, -1], { value: 7 }).toArray()).toEqual([[2, 3, 7]]);
    expect(x.pad([-3, 0]).shape).toEqual([2, 0]);
  });

  it("backward crops the gradient (and its backward pads it again)", () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]).requiresGrad_();
    const g = f64([[1, 2, 3, 4], [5, 6, 7, 8], [9, 10, 11, 12]]);
    x.pad([-1, 2, 0, 1], { value: 5 }).mul(g).sum().backward();
    // Output column c reads input column c + 1 for c < 2; rows 0-1 are the input's.
    expect(x.grad!.toArray()).toEqual([[0, 1, 2], [0, 5, 6]]);
    checkGradients((t) => t.pad([1, 2, -1, 1], { value: 0.5 }), randn([3, 2], 1));
  });
});

describe("pad, reflect / replicate / circular", () => {
  const x = f64([1, 2, 3, 4]);

  it("reflect mirrors without repeating the edge", () => {
    expect(x.pad([2, 1], { mode: "reflect" }).toArray()).toEqual([3, 2, 1, 2, 3, 4, 3]);
    expect(x.pad([3, 3], { mode: "reflect" }).toArray()).toEqual([4, 3, 2, 1, 2, 3, 4, 3, 2, 1]);
    const m = f64([[1, 2, 3], [4, 5, 6]]);
    expect(m.pad([1, 1, 1, 0], { mode: "reflect" }).toArray()).toEqual([[5, 4, 5, 6, 5], [2, 1, 2, 3, 2], [5, 4, 5, 6, 5]]);
  });

  it("replicate repeats the edge", () => {
    expect(x.pad([2, 3], { mode: "replicate" }).toArray()).toEqual([1, 1, 1, 2, 3, 4, 4, 4, 4]);
    expect(f64([[1, 2], [3, 4]]).pad([1, 0, 0, 1], { mode: "replicate" }).toArray()).toEqual([[1, 1, 2], [3, 3, 4], [3, 3, 4]]);
  });

  it("circular wraps around", () => {
    expect(x.pad([2, 1], { mode: "circular" }).toArray()).toEqual([3, 4, 1, 2, 3, 4, 1]);
    expect(x.pad([4, 4], { mode: "circular" }).toArray()).toEqual([1, 2, 3, 4, 1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it("negative pads crop in every mode", () => {
    expect(x.pad([-1, 2], { mode: "reflect" }).toArray()).toEqual([2, 3, 4, 3, 2]);
    expect(x.pad([1, -2], { mode: "replicate" }).toArray()).toEqual([1, 1, 2]);
    expect(x.pad([-2, 1], { mode: "circular" }).toArray()).toEqual([3, 4, 1]);
  });

  it("sums the gradient of each element over its copies", () => {
    const t = f64([1, 2, 3]).requiresGrad_();
    // reflect (2, 1): output reads [2, 1, 0, 1, 2, 1]
    t.pad([2, 1], { mode: "reflect" }).mul(f64([1, 10, 100, 1000, 10000, 100000])).sum().backward();
    expect(t.grad!.toArray()).toEqual([100, 10 + 1000 + 100000, 1 + 10000]);
    const r = f64([1, 2, 3]).requiresGrad_();
    r.pad([2, 1], { mode: "replicate" }).mul(f64([1, 10, 100, 1000, 10000, 100000])).sum().backward();
    expect(r.grad!.toArray()).toEqual([111, 1000, 110000]);
    const c = f64([1, 2, 3]).requiresGrad_();
    // circular (2, 1): output reads [1, 2, 0, 1, 2, 0]
    c.pad([2, 1], { mode: "circular" }).mul(f64([1, 10, 100, 1000, 10000, 100000])).sum().backward();
    expect(c.grad!.toArray()).toEqual([100100, 1001, 10010]);
  });

  it("has correct first and second derivatives in every mode", () => {
    for (const mode of ["reflect", "replicate", "circular"] as const) {
      checkGradients((t) => t.pad([2, 1, 1, 2], { mode }), randn([2, 3, 4], 2));
      checkGradients((t) => t.pad([-1, 2], { mode }), randn([2, 4], 3));
    }
  });

  it("rejects pads that cannot be honoured, with the sizes named", () => {
    expect(() => x.pad([4, 0], { mode: "reflect" })).toThrow("pad: reflect pads (4, 0) must each be less than the size 4 of axis 0");
    expect(() => x.pad([5, 0], { mode: "circular" })).toThrow("pad: circular pads (5, 0) wrap around more than once on axis 0 of size 4");
    expect(() => nb.zeros([2, 0]).pad([1, 0], { mode: "replicate" })).toThrow("pad: replicate cannot pad axis 1 of size 0");
    expect(() => x.pad([1, 1], { mode: "reflect", value: 2 })).toThrow('pad: mode "reflect" takes no value, got 2');
    expect(() => x.pad([1], {})).toThrow("pad: pad [1] must have an even number of entries ((left, right) per axis, last axis first)");
    expect(() => x.pad([1, 1, 1, 1])).toThrow("pad: pad [1,1,1,1] pads 2 axes but the tensor of shape [4] has 1");
    expect(() => x.pad([-3, -2])).toThrow("pad: axis 0 of size 4 with pads (-3, -2) would have negative size -1");
    expect(() => x.pad([0.5, 0])).toThrow("pad: pads must be integers, got [0.5,0]");
    expect(() => x.pad([1, 1], { mode: "wrap" as nb.PadMode })).toThrow("pad: mode must be one of constant, reflect, replicate, circular, got wrap");
  });
});

describe("pad properties", () => {
  const shapeAndPads = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 3 }).chain((shape) =>
    fc.tuple(
      fc.constant(shape),
      fc.integer({ min: 1, max: shape.length }).chain((k) => fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 2 * k, maxLength: 2 * k })),
      fc.constantFrom("constant", "replicate", "circular", "reflect") as fc.Arbitrary<nb.PadMode>,
    ),
  );

  it("pad then crop by the negated pads is the identity, in every mode", () => {
    fc.assert(
      fc.property(shapeAndPads, ([shape, pads, mode]) => {
        // Keep each pad within what the mode allows for its axis.
        const allowed = pads.map((p, i) => {
          const n = shape[shape.length - 1 - Math.floor(i / 2)]!;
          return mode === "reflect" ? Math.min(p, n - 1) : mode === "circular" ? Math.min(p, n) : p;
        });
        const x = nb.randn(shape, { dtype: "float64", generator: new nb.Generator(shape.length) });
        const back = x.pad(allowed, { mode }).pad(allowed.map((p) => -p));
        expect(back.shape).toEqual(shape);
        expect(Array.from(back.data)).toEqual(Array.from(x.data));
      }),
      { numRuns: 60 },
    );
  });

  it("the backward of a non-constant pad is its adjoint: <pad(x), y> = <x, pad'(y)>", () => {
    fc.assert(
      fc.property(shapeAndPads, ([shape, pads, mode]) => {
        const allowed = pads.map((p, i) => {
          const n = shape[shape.length - 1 - Math.floor(i / 2)]!;
          return mode === "reflect" ? Math.min(p, n - 1) : mode === "circular" ? Math.min(p, n) : p;
        });
        const x = randn(shape, 20).requiresGrad_();
        const out = x.pad(allowed, { mode });
        const y = randn([...out.shape], 21);
        const lhs = out.mul(y).sum();
        lhs.backward();
        const rhs = x.detach().mul(x.grad!).sum().item();
        expect(lhs.item()).toBeCloseTo(rhs, 10);
      }),
      { numRuns: 60 },
    );
  });
});
