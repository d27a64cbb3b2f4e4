import { describe, expect, it } from "vitest";
import { grad, gradcheck } from "../../src/autograd/index.js";
import { erf as erfScalar, erfc as erfcScalar } from "../../src/tensor/kernels/unaryErf.js";
import * as nb from "../../src/tensor/index.js";

const f64 = (values: nb.NestedArray) => nb.tensor(values, { dtype: "float64" });
const i32 = (values: nb.NestedArray) => nb.tensor(values, { dtype: "int32" });

function expectClose(actual: ArrayLike<number>, expected: readonly number[], relTol = 1e-14): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const e = expected[i]!;
    const a = actual[i]!;
    if (Number.isNaN(e)) expect(a).toBeNaN();
    else if (!Number.isFinite(e)) expect(a).toBe(e);
    else expect(Math.abs(a - e)).toBeLessThanOrEqual(relTol * Math.max(Math.abs(e), 1e-300));
  }
}

describe("unary math: forward", () => {
  const x = f64([-2, -0.5, 0, 0.5, 2]);

  it("exp, expm1, log, log1p", () => {
    expectClose(nb.exp(x).data, [Math.E ** -2, Math.E ** -0.5, 1, Math.E ** 0.5, Math.E ** 2]);
    expectClose(x.expm1().data, [Math.E ** -2 - 1, Math.E ** -0.5 - 1, 0, Math.E ** 0.5 - 1, Math.E ** 2 - 1], 1e-13);
    expectClose(nb.log(f64([1, Math.E, 0.5, 0, -1])).data, [0, 1, -Math.LN2, -Infinity, NaN]);
    // log1p keeps digits exp/log would lose: log(1 + 1e-20) would be 0.
    expectClose(nb.log1p(f64([1e-20, -0.5, 0, -1])).data, [1e-20, -Math.LN2, 0, -Infinity]);
    expect(nb.expm1(f64([1e-20])).data[0]).toBe(1e-20);
  });

  it("sqrt, rsqrt, reciprocal, square, abs, sign", () => {
    expectClose(nb.sqrt(f64([4, 2, 0, -1])).data, [2, Math.SQRT2, 0, NaN]);
    expectClose(nb.rsqrt(f64([4, 0.25, 0])).data, [0.5, 2, Infinity]);
    expectClose(nb.reciprocal(f64([4, -0.5, 0])).data, [0.25, -2, Infinity]);
    expectClose(nb.square(x).data, [4, 0.25, 0, 0.25, 4]);
    expectClose(nb.abs(x).data, [2, 0.5, 0, 0.5, 2]);
    expectClose(nb.sign(f64([-3, -0, 0, 2.5, NaN])).data, [-1, 0, 0, 1, NaN]);
  });

  it("sin, cos", () => {
    const t = f64([0, Math.PI / 6, Math.PI / 2, -Math.PI]);
    expectClose(nb.sin(t).data, [0, Math.sin(Math.PI / 6), 1, Math.sin(-Math.PI)]);
    expect(nb.sin(t).data[1]).toBeCloseTo(0.5, 15);
    expectClose(nb.cos(t).data, [1, Math.cos(Math.PI / 6), Math.cos(Math.PI / 2), -1]);
  });

  it("floor, ceil, round (halves to even, like torch.round)", () => {
    const t = f64([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 2.6, -2.4, 3]);
    expect(Array.from(nb.floor(t).data)).toEqual([-3, -2, -1, 0, 1, 2, 2, -3, 3]);
    expect(Array.from(nb.ceil(t).data)).toEqual([-2, -1, -0, 1, 2, 3, 3, -2, 3]);
    expect(Array.from(nb.round(t).data)).toEqual([-2, -2, -0, 0, 2, 2, 3, -2, 3]);
  });

  it("erf against 40-digit values rounded to doubles (relative error < 1e-15)", () => {
    const points = [1e-10, 0.1, 0.46875, 0.5, 1, 1.5, 2, 3.5, 4, 4.5, 6];
    const reference = [
      1.1283791670955126e-10, 0.1124629160182849, 0.49261347321793797, 0.5204998778130465, 0.8427007929497149,
      0.9661051464753108, 0.9953222650189527, 0.9999992569016276, 0.9999999845827421, 0.9999999998033839,
      1.0,
    ];
    for (let i = 0; i < points.length; i++) {
      expect(Math.abs(erfScalar(points[i]!) - reference[i]!) / reference[i]!).toBeLessThan(1e-15);
      expect(erfScalar(-points[i]!)).toBe(-erfScalar(points[i]!));
    }
    expect(erfScalar(0)).toBe(0);
    expect(erfScalar(Infinity)).toBe(1);
    expect(erfScalar(-Infinity)).toBe(-1);
    expect(erfScalar(NaN)).toBeNaN();
    const t = nb.erf(f64([0.5, -1, 2]));
    expectClose(t.data, [0.5204998778130465, -0.8427007929497149, 0.9953222650189527], 1e-15);
  });

  it("erfc keeps its relative accuracy far into the tail", () => {
    const points = [0.5, 1, 2, 4, 5, 10, 20, 26];
    const reference = [
      0.4795001221869535, 0.15729920705028513, 0.004677734981047266, 1.541725790028002e-08, 1.537459794428035e-12,
      2.088487583762545e-45, 5.395865611607901e-176, 5.663192408856143e-296,
    ];
    for (let i = 0; i < points.length; i++) {
      expect(Math.abs(erfcScalar(points[i]!) - reference[i]!) / reference[i]!).toBeLessThan(2e-15);
    }
    expect(erfcScalar(-2)).toBeCloseTo(2 - 0.004677734981047266, 15);
    expect(erfcScalar(0.25)).toBeCloseTo(1 - erfScalar(0.25), 16);
    expect(erfcScalar(40)).toBe(0);
  });

  it("int32: transcendental ops give float32, abs/sign/square/floor/ceil/round stay int32", () => {
    const n = i32([-4, 0, 1, 9]);
    for (const op of [nb.exp, nb.log, nb.log1p, nb.expm1, nb.sqrt, nb.rsqrt, nb.reciprocal, nb.sin, nb.cos, nb.erf]) {
      expect(op(n).dtype).toBe("float32");
    }
    expect(Array.from(nb.sqrt(n).data)).toEqual([NaN, 0, 1, 3]);
    expect(Array.from(nb.reciprocal(i32([2, 4])).data)).toEqual([0.5, 0.25]);
    for (const op of [nb.abs, nb.sign, nb.square, nb.floor, nb.ceil, nb.round, nb.neg]) expect(op(n).dtype).toBe("int32");
    expect(Array.from(nb.abs(n).data)).toEqual([4, 0, 1, 9]);
    expect(Array.from(nb.sign(n).data)).toEqual([-1, 0, 1, 1]);
    expect(Array.from(nb.square(n).data)).toEqual([16, 0, 1, 81]);
    // Overflow wraps exactly as int32 multiplication: 123456789^2 mod 2^32 = 2537071545 - 2^32 = -1757895751.
    expect(nb.square(i32([123456789])).data[0]).toBe(-1757895751);
    expect(Array.from(nb.round(n).data)).toEqual([-4, 0, 1, 9]);
  });

  it("float32 stays float32 and rounds the double result once", () => {
    const t = nb.tensor([0.1, 2]);
    const y = nb.exp(t);
    expect(y.dtype).toBe("float32");
    expect(y.data[0]).toBe(Math.fround(Math.exp(Math.fround(0.1))));
  });

  it("methods match the functions and keep the shape", () => {
    const t = f64([[0.5, 1], [2, 3]]);
    expect(t.exp().shape).toEqual([2, 2]);
    expect(t.log().toArray()).toEqual(nb.log(t).toArray());
    expect(t.sqrt().toArray()).toEqual(nb.sqrt(t).toArray());
    expect(t.erf().toArray()).toEqual(nb.erf(t).toArray());
    expect(t.square().toArray()).toEqual([[0.25, 1], [4, 9]]);
    expect(t.abs().sign().round().floor().ceil().toArray()).toEqual([[1, 1], [1, 1]]);
    expect(nb.exp(f64(2)).shape).toEqual([]);
    expect(nb.exp(nb.zeros([0, 3])).shape).toEqual([0, 3]);
  });
});

describe("unary math: backward", () => {
  const gen = new nb.Generator(7);
  const positive = () => nb.rand([3, 4], { dtype: "float64", generator: gen }).add(0.2).requiresGrad_();
  const anySign = () => nb.randn([3, 4], { dtype: "float64", generator: gen }).requiresGrad_();

  it("gradcheck: ops defined everywhere", () => {
    for (const op of [nb.exp, nb.expm1, nb.square, nb.sin, nb.cos, nb.erf]) {
      expect(gradcheck(op, [anySign()]).ok).toBe(true);
    }
  });

  it("gradcheck: ops on positive inputs", () => {
    for (const op of [nb.log, nb.log1p, nb.sqrt, nb.rsqrt, nb.reciprocal]) {
      expect(gradcheck(op, [positive()]).ok).toBe(true);
    }
  });

  it("gradcheck: abs away from 0; abs'(0) = 0", () => {
    const x = f64([-1.5, -0.3, 0.7, 2]).requiresGrad_();
    expect(gradcheck(nb.abs, [x]).ok).toBe(true);
    const g = grad((t: nb.Tensor) => nb.abs(t).sum())(f64([-2, 0, 3]));
    expect(Array.from(g.data)).toEqual([-1, 0, 1]);
  });

  it("sign, floor, ceil, round have gradient 0", () => {
    for (const op of [nb.sign, nb.floor, nb.ceil, nb.round]) {
      const g = grad((t: nb.Tensor) => op(t).mul(t).sum())(f64([-1.4, 0.6, 2.5]));
      // d/dt [op(t) t] = op(t): only the product rule's second term survives.
      expect(Array.from(g.data)).toEqual(Array.from(op(f64([-1.4, 0.6, 2.5])).data));
    }
  });

  it("erf' = 2/sqrt(pi) exp(-x^2)", () => {
    const g = grad((t: nb.Tensor) => nb.erf(t).sum())(f64([0, 1]));
    expectClose(g.data, [2 / Math.sqrt(Math.PI), (2 / Math.sqrt(Math.PI)) * Math.exp(-1)]);
  });

  it("second derivatives through the backward rules (createGraph)", () => {
    const x = f64([0.3, 1.2, 2.5]);
    const second = (op: (t: nb.Tensor) => nb.Tensor) =>
      grad((t: nb.Tensor) => grad((u: nb.Tensor) => op(u).sum(), { createGraph: true })(t).sum())(x);
    const v = [0.3, 1.2, 2.5];
    expectClose(second(nb.exp).data, v.map(Math.exp), 1e-12);
    expectClose(second(nb.log).data, v.map((t) => -1 / (t * t)), 1e-12);
    expectClose(second(nb.sqrt).data, v.map((t) => -0.25 * t ** -1.5), 1e-12);
    expectClose(second(nb.rsqrt).data, v.map((t) => 0.75 * t ** -2.5), 1e-12);
    expectClose(second(nb.sin).data, v.map((t) => -Math.sin(t)), 1e-12);
    expectClose(second(nb.erf).data, v.map((t) => (-4 * t * Math.exp(-t * t)) / Math.sqrt(Math.PI)), 1e-12);
    expectClose(second(nb.reciprocal).data, v.map((t) => 2 / t ** 3), 1e-12);
  });
});
