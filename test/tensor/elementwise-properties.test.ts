import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { grad } from "../../src/autograd/index.js";
import * as nb from "../../src/tensor/index.js";

/** An operand shape that broadcasts to `out`: some leading dimensions dropped, some set to 1. */
function operandShape(out: number[]): fc.Arbitrary<number[]> {
  return fc
    .tuple(fc.integer({ min: 0, max: out.length }), fc.array(fc.boolean(), { minLength: out.length, maxLength: out.length }))
    .map(([drop, ones]) => out.map((d, i) => (ones[i] ? 1 : d)).slice(drop));
}

/** Values with plenty of ties and sign changes: small integers mixed with arbitrary doubles. */
const value = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -10, max: 10, noNaN: true }));

function tensorOf(shape: number[], dtype: nb.DType = "float64"): fc.Arbitrary<nb.Tensor> {
  const n = shape.reduce((p, d) => p * d, 1);
  return fc.array(value, { minLength: n, maxLength: n }).map((v) => nb.tensor(v, { dtype, shape }));
}

/** Two tensors whose shapes broadcast together (up to 3 dimensions of size 1..3). */
const pair = fc
  .array(fc.integer({ min: 1, max: 3 }), { maxLength: 3 })
  .chain((out) => fc.tuple(operandShape(out), operandShape(out), operandShape(out)))
  .chain(([sa, sb, sc]) => fc.tuple(tensorOf(sa), tensorOf(sb), tensorOf(sc)));

const runs = { numRuns: 60 };

const binaryOps: [string, (a: nb.Tensor, b: nb.Tensor) => nb.Tensor][] = [
  ["add", nb.add],
  ["mul", nb.mul],
  ["maximum", nb.maximum],
  ["minimum", nb.minimum],
  ["eq", nb.eq],
  ["lt", nb.lt],
  ["ge", nb.ge],
  ["remainder", nb.remainder],
  ["fmod", nb.fmod],
  ["floorDivide", nb.floorDivide],
  ["pow", (a, b) => nb.pow(nb.abs(a), b)],
  ["clamp(max)", (a, b) => nb.clamp(a, null, b)],
];

describe("elementwise ops: broadcasting properties", () => {
  it("op(a, b) equals op(expand(a), expand(b)) for every binary op", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const shape = nb.broadcastShapes(a.shape, b.shape, "test");
        for (const [, op] of binaryOps) {
          const direct = op(a, b);
          const expanded = op(nb.expand(a, shape), nb.expand(b, shape));
          expect(direct.shape).toEqual(shape);
          expect(Array.from(direct.data)).toEqual(Array.from(expanded.data));
        }
      }),
      runs,
    );
  });

  it("maximum(a, b) >= both and is one of them; minimum the same from below; max + min = a + b", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        const hi = nb.maximum(a, b);
        const lo = nb.minimum(a, b);
        expect(Array.from(nb.ge(hi, a).mul(nb.ge(hi, b)).data).every((v) => v === 1)).toBe(true);
        expect(Array.from(nb.le(lo, a).mul(nb.le(lo, b)).data).every((v) => v === 1)).toBe(true);
        const either = nb.eq(hi, a).add(nb.eq(hi, b));
        expect(Array.from(either.data).every((v) => v >= 1)).toBe(true);
        const sum = nb.add(a, b);
        const hl = nb.add(hi, lo);
        for (let i = 0; i < sum.size; i++) expect(hl.data[i]).toBeCloseTo(sum.data[i]!, 12);
      }),
      runs,
    );
  });

  it("where(c, a, b) picks a where c is nonzero and b elsewhere, after broadcasting all three", () => {
    fc.assert(
      fc.property(pair, ([a, b, c]) => {
        const cond = nb.gt(c, 0);
        const out = nb.where(cond, a, b);
        const shape = out.shape;
        const [ce, ae, be] = [nb.expand(cond, shape), nb.expand(a, shape), nb.expand(b, shape)];
        for (let i = 0; i < out.size; i++) expect(out.data[i]).toBe(ce.data[i] ? ae.data[i] : be.data[i]);
      }),
      runs,
    );
  });

  it("broadcast gradients equal the expanded operands' gradients summed back (maximum, where, pow)", () => {
    fc.assert(
      fc.property(pair, ([a, b, c]) => {
        const shape = nb.broadcastShapes(nb.broadcastShapes(a.shape, b.shape, "test"), c.shape, "test");
        const w = nb.arange(1, nb.ones(shape).size + 1, 1, { dtype: "float64" }).reshape(shape);
        const ops: ((p: nb.Tensor, q: nb.Tensor) => nb.Tensor)[] = [
          nb.maximum,
          (p, q) => nb.where(nb.gt(c, 0), p, q),
          (p, q) => nb.pow(nb.abs(p).add(0.5), q),
        ];
        for (const op of ops) {
          const loss = (p: nb.Tensor, q: nb.Tensor) => op(p, q).mul(w).sum();
          const [ga, gb] = grad(loss, { argnums: [0, 1] })(a, b);
          const [ea, eb] = grad((p: nb.Tensor, q: nb.Tensor) => loss(nb.expand(p, shape), nb.expand(q, shape)), { argnums: [0, 1] })(a, b);
          expect(ga!.shape).toEqual(a.shape);
          expect(gb!.shape).toEqual(b.shape);
          for (let i = 0; i < ga!.size; i++) expect(ga!.data[i]).toBeCloseTo(ea!.data[i]!, 9);
          for (let i = 0; i < gb!.size; i++) expect(gb!.data[i]).toBeCloseTo(eb!.data[i]!, 9);
        }
      }),
      runs,
    );
  });

  it("incompatible shapes fail with the op's name and both shapes", () => {
    const a = nb.zeros([2, 3]);
    const b = nb.zeros([4]);
    for (const [name, op] of binaryOps) {
      const expected = name.startsWith("clamp") ? "clamp" : name === "floorDivide" ? "div" : name;
      expect(() => op(a, b)).toThrow(new RegExp(`^${expected}: shapes \\[2,3\\] and \\[4\\] cannot be broadcast`));
    }
    expect(() => nb.where(nb.zeros([4], { dtype: "int32" }), a, 0)).toThrow(/^where: shapes \[4\] and \[2,3\] cannot be broadcast/);
  });
});

describe("elementwise ops: value properties", () => {
  const ints = fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 20 });
  const divisor = fc.integer({ min: -50, max: 50 }).filter((v) => v !== 0);

  it("int32: a = floorDivide(a, b) b + remainder(a, b), remainder has b's sign and |remainder| < |b|, fmod has a's", () => {
    fc.assert(
      fc.property(ints, divisor, (values, d) => {
        const a = nb.tensor(values, { dtype: "int32" });
        const q = nb.floorDivide(a, d);
        const r = nb.remainder(a, d);
        const m = nb.fmod(a, d);
        for (let i = 0; i < values.length; i++) {
          expect(q.data[i]! * d + r.data[i]!).toBe(values[i]);
          expect(Math.abs(r.data[i]!)).toBeLessThan(Math.abs(d));
          if (r.data[i] !== 0) expect(Math.sign(r.data[i]!)).toBe(Math.sign(d));
          if (m.data[i] !== 0) expect(Math.sign(m.data[i]!)).toBe(Math.sign(values[i]!));
          expect(m.data[i]).toBe(values[i]! - Math.trunc(values[i]! / d) * d);
        }
      }),
      runs,
    );
  });

  it("clamp(x, lo, hi) = minimum(maximum(x, lo), hi), inside [lo, hi] when lo <= hi", () => {
    fc.assert(
      fc.property(fc.array(value, { minLength: 1, maxLength: 10 }), value, value, (values, p, q) => {
        const x = nb.tensor(values, { dtype: "float64" });
        const lo = Math.min(p, q);
        const hi = Math.max(p, q);
        // Values, not the sign of zero: clamp(0, -0, 0) may give +0 where min(max(0, -0), 0) gives -0.
        const values0 = (t: nb.Tensor) => Array.from(t.data, (v) => v + 0);
        const c = nb.clamp(x, lo, hi);
        expect(values0(c)).toEqual(values0(nb.minimum(nb.maximum(x, lo), hi)));
        expect(Array.from(c.data).every((v) => v >= lo && v <= hi)).toBe(true);
        expect(values0(nb.clamp(x, hi, lo))).toEqual(values0(nb.minimum(nb.maximum(x, hi), lo)));
      }),
      runs,
    );
  });

  it("comparisons are complementary: eq + ne = 1 and lt + ge = 1 without NaN", () => {
    fc.assert(
      fc.property(pair, ([a, b]) => {
        expect(Array.from(nb.eq(a, b).add(nb.ne(a, b)).data).every((v) => v === 1)).toBe(true);
        expect(Array.from(nb.lt(a, b).add(nb.ge(a, b)).data).every((v) => v === 1)).toBe(true);
        expect(Array.from(nb.gt(a, b).add(nb.le(a, b)).data).every((v) => v === 1)).toBe(true);
      }),
      runs,
    );
  });

  it("activations respect their bounds at any magnitude", () => {
    const wide = fc.double({ min: -1e6, max: 1e6, noNaN: true });
    fc.assert(
      fc.property(fc.array(wide, { minLength: 1, maxLength: 20 }), (values) => {
        const x = nb.tensor(values, { dtype: "float64" });
        const s = nb.sigmoid(x);
        const sp = nb.softplus(x, 1, Infinity);
        const r = nb.relu(x);
        const ls = nb.logSigmoid(x);
        for (let i = 0; i < values.length; i++) {
          expect(s.data[i]).toBeGreaterThanOrEqual(0);
          expect(s.data[i]).toBeLessThanOrEqual(1);
          // relu(x) <= softplus(x) <= relu(x) + log 2, and logSigmoid = -softplus(-x) <= 0.
          expect(sp.data[i]).toBeGreaterThanOrEqual(r.data[i]!);
          expect(sp.data[i]! - r.data[i]!).toBeLessThanOrEqual(Math.LN2 + 1e-15);
          expect(ls.data[i]).toBeLessThanOrEqual(0);
          expect(Number.isFinite(ls.data[i]!)).toBe(true);
        }
      }),
      runs,
    );
  });
});
