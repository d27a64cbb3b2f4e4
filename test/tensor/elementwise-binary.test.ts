import { describe, expect, it } from "vitest";
import { grad, gradcheck } from "../../src/autograd/index.js";
import * as nb from "../../src/tensor/index.js";

const f64 = (values: nb.NestedArray) => nb.tensor(values, { dtype: "float64" });
const i32 = (values: nb.NestedArray) => nb.tensor(values, { dtype: "int32" });
const list = (t: nb.Tensor) => Array.from(t.data);

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i]!)) expect(actual[i]).toBeNaN();
    else if (!Number.isFinite(expected[i]!)) expect(actual[i]).toBe(expected[i]);
    else expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]!)));
  }
}

/** The gradients of sum(f(a, b) * w) for a fixed upstream w, by reverse mode. */
function grads2(f: (a: nb.Tensor, b: nb.Tensor) => nb.Tensor, a: nb.Tensor, b: nb.Tensor, w?: nb.Tensor): nb.Tensor[] {
  return grad((p: nb.Tensor, q: nb.Tensor) => (w ? f(p, q).mul(w) : f(p, q)).sum(), { argnums: [0, 1] })(a, b);
}

const gen = new nb.Generator(11);
const randn = (shape: number[]) => nb.randn(shape, { dtype: "float64", generator: gen }).requiresGrad_();

describe("pow", () => {
  it("scalar exponents: integral powers of negative bases, x^0 = 1 everywhere, fractional powers", () => {
    const x = f64([-2, -1.5, 0, 0.5, 3]);
    expectClose(nb.pow(x, 3).data, [-8, -3.375, 0, 0.125, 27]);
    expectClose(x.pow(2).data, [4, 2.25, 0, 0.25, 9]);
    expect(list(nb.pow(f64([-2, 0, NaN, Infinity]), 0))).toEqual([1, 1, 1, 1]);
    expectClose(nb.pow(x, 0.5).data, [NaN, NaN, 0, Math.SQRT1_2, Math.sqrt(3)]);
    expectClose(nb.pow(x, -1).data, [-0.5, -1 / 1.5, Infinity, 2, 1 / 3]);
    // C's pow, not Math.pow: 1^NaN = 1 and (-1)^inf = 1.
    expect(list(nb.pow(f64([1, -1, 2]), NaN))).toEqual([1, NaN, NaN]);
    expect(list(nb.pow(f64([1, -1, 0.5]), Infinity))).toEqual([1, 1, 0]);
    expect(list(nb.pow(f64([1, -1]), f64([NaN, -Infinity])))).toEqual([1, 1]);
  });

  it("int32 tensors: non-negative integer powers stay int32, fractional ones give float32, negative ones throw", () => {
    const n = i32([-3, -1, 0, 2, 5]);
    const cube = nb.pow(n, 3);
    expect(cube.dtype).toBe("int32");
    expect(list(cube)).toEqual([-27, -1, 0, 8, 125]);
    expect(list(nb.pow(n, 0))).toEqual([1, 1, 1, 1, 1]);
    // int32 arithmetic wraps on overflow: 3^21 = 10460353203 = 2 * 2^32 + 1870418611.
    expect(nb.pow(i32([3]), 21).data[0]).toBe(1870418611);
    const root = nb.pow(i32([4, 9]), 0.5);
    expect(root.dtype).toBe("float32");
    expect(list(root)).toEqual([2, 3]);
    expect(() => nb.pow(n, -1)).toThrow(/pow: integers to negative integer powers are not allowed/);
    expect(() => nb.pow(n, i32([1, 2, -1, 0, 1]))).toThrow(/negative integer powers/);
    expect(list(nb.pow(i32([2, 3]), i32([10, 3])))).toEqual([1024, 27]);
  });

  it("tensor exponents broadcast, and a number base works", () => {
    const y = nb.pow(f64([[1], [2], [3]]), f64([0, 1, 2]));
    expect(y.shape).toEqual([3, 3]);
    expect(y.toArray()).toEqual([[1, 1, 1], [1, 2, 4], [1, 3, 9]]);
    expect(list(nb.pow(2, f64([0, 3, -1])))).toEqual([1, 8, 0.5]);
    expect(() => nb.pow(f64([1, 2]), f64([1, 2, 3]))).toThrow(/pow: shapes \[2\] and \[3\] cannot be broadcast/);
  });

  it("gradients: e x^(e-1); x^0 has gradient 0 even at x = 0; exponent gets x^e log x", () => {
    expect(gradcheck((t) => nb.pow(t, 3), [randn([2, 3])]).ok).toBe(true);
    expect(gradcheck((t) => nb.pow(t, 2.5), [nb.rand([4], { dtype: "float64", generator: gen }).add(0.1).requiresGrad_()]).ok).toBe(true);
    const zero = grad((t: nb.Tensor) => nb.pow(t, 0).sum())(f64([-2, 0, 3]));
    expect(list(zero)).toEqual([0, 0, 0]);
    const x = nb.rand([2, 3], { dtype: "float64", generator: gen }).add(0.5).requiresGrad_();
    const e = randn([3]);
    expect(gradcheck((p, q) => nb.pow(p, q), [x, e]).ok).toBe(true);
    // Hand values: d/dx x^e = e x^(e-1), d/de x^e = x^e log x.
    const [gx, ge] = grads2(nb.pow, f64([2, 3]), f64([3, 0.5]));
    expectClose(gx!.data, [12, 0.5 / Math.sqrt(3)]);
    expectClose(ge!.data, [8 * Math.LN2, Math.sqrt(3) * Math.log(3)]);
  });

  it("tensor-exponent limits: e = 0 gives the base gradient 0, x = 0 with e >= 0 gives the exponent gradient 0", () => {
    const [gx, ge] = grads2(nb.pow, f64([0, 0, 2]), f64([0, 2, 0]));
    expect(list(gx!)).toEqual([0, 0, 0]);
    expectClose(ge!.data, [0, 0, Math.LN2]);
  });

  it("second derivative of x^3 is 6x", () => {
    const h = grad((t: nb.Tensor) => grad((u: nb.Tensor) => nb.pow(u, 3).sum(), { createGraph: true })(t).sum())(f64([-1, 2]));
    expectClose(h.data, [-6, 12]);
  });
});

describe("maximum, minimum", () => {
  it("forward with broadcasting, promotion and NaN propagation", () => {
    const a = f64([[1, 5, -2], [0, 0, 7]]);
    const b = f64([2, 5, -3]);
    expect(nb.maximum(a, b).toArray()).toEqual([[2, 5, -2], [2, 5, 7]]);
    expect(nb.minimum(a, b).toArray()).toEqual([[1, 5, -3], [0, 0, -3]]);
    expect(nb.maximum(i32([1, 4]), 2).dtype).toBe("int32");
    expect(list(nb.maximum(i32([1, 4]), 2))).toEqual([2, 4]);
    expect(nb.maximum(i32([1, 4]), 2.5).dtype).toBe("float32");
    expect(list(nb.maximum(f64([NaN, 1]), f64([0, NaN])))).toEqual([NaN, NaN]);
    expect(list(nb.minimum(f64([NaN, 1]), f64([0, NaN])))).toEqual([NaN, NaN]);
    expect(list(a.maximum(0).minimum(4))).toEqual([1, 4, 0, 0, 0, 4]);
  });

  it("ties split the gradient half-half; otherwise the larger (smaller) operand gets it all", () => {
    const [ga, gb] = grads2(nb.maximum, f64([1, 2, 3]), f64([3, 2, 1]));
    expect(list(ga!)).toEqual([0, 0.5, 1]);
    expect(list(gb!)).toEqual([1, 0.5, 0]);
    const [ha, hb] = grads2(nb.minimum, f64([1, 2, 3]), f64([3, 2, 1]));
    expect(list(ha!)).toEqual([1, 0.5, 0]);
    expect(list(hb!)).toEqual([0, 0.5, 1]);
  });

  it("broadcast gradients are summed back to each operand's shape", () => {
    const [ga, gb] = grads2(nb.maximum, f64([[1, 5], [4, 0]]), f64([2, 2]));
    expect(ga!.toArray()).toEqual([[0, 1], [1, 0]]);
    expect(gb!.toArray()).toEqual([1, 1]);
    expect(gradcheck(nb.maximum, [randn([3, 4]), randn([4])]).ok).toBe(true);
    expect(gradcheck(nb.minimum, [randn([2, 1]), randn([1, 3])]).ok).toBe(true);
  });
});

describe("clamp", () => {
  const x = f64([-2, -0.5, 0, 1, 1.5]);

  it("scalar bounds, one bound, and min > max (every output is max)", () => {
    expect(list(nb.clamp(x, -0.5, 1))).toEqual([-0.5, -0.5, 0, 1, 1]);
    expect(list(x.clamp(0))).toEqual([0, 0, 0, 1, 1.5]);
    expect(list(x.clamp(null, 0))).toEqual([-2, -0.5, 0, 0, 0]);
    expect(list(nb.clamp(x, 1, -0.5))).toEqual([-0.5, -0.5, -0.5, -0.5, -0.5]);
    expect(list(nb.clamp(f64([NaN]), 0, 1))).toEqual([NaN]);
    expect(() => nb.clamp(x)).toThrow(/clamp: at least one of min and max must be given/);
  });

  it("int32 stays int32 with integer bounds and becomes float32 with fractional ones", () => {
    expect(nb.clamp(i32([-5, 3, 9]), 0, 4).dtype).toBe("int32");
    expect(list(nb.clamp(i32([-5, 3, 9]), 0, 4))).toEqual([0, 3, 4]);
    const c = nb.clamp(i32([-5, 3, 9]), 0.5);
    expect(c.dtype).toBe("float32");
    expect(list(c)).toEqual([0.5, 3, 9]);
  });

  it("the gradient passes on the closed interval [min, max], bounds included; none when min > max", () => {
    const g = grad((t: nb.Tensor) => nb.clamp(t, -0.5, 1).sum())(x);
    expect(list(g)).toEqual([0, 1, 1, 1, 0]);
    expect(list(grad((t: nb.Tensor) => nb.clamp(t, 0).sum())(x))).toEqual([0, 0, 1, 1, 1]);
    expect(list(grad((t: nb.Tensor) => nb.clamp(t, null, 0).sum())(x))).toEqual([1, 1, 1, 0, 0]);
    expect(list(grad((t: nb.Tensor) => nb.clamp(t, 1, -0.5).sum())(x))).toEqual([0, 0, 0, 0, 0]);
  });

  it("tensor bounds broadcast; min gets g where x < min < max, max where x > max or max < min", () => {
    // The conformance case clamp_tensor_bounds worked by hand.
    const input = f64([[-2, 0.5, 1], [3, -0.25, 0]]);
    const lo = f64([-1, 0.5, 0.25]);
    const hi = f64([[1], [-0.5]]);
    expect(nb.clamp(input, lo, hi).toArray()).toEqual([[-1, 0.5, 1], [-0.5, -0.5, -0.5]]);
    const [gx, glo, ghi] = grad((a: nb.Tensor, b: nb.Tensor, c: nb.Tensor) => nb.clamp(a, b, c).sum(), { argnums: [0, 1, 2] })(input, lo, hi);
    expect(gx!.toArray()).toEqual([[0, 1, 1], [0, 0, 0]]);
    expect(glo!.toArray()).toEqual([1, 0, 0]);
    expect(ghi!.toArray()).toEqual([[0], [3]]);
    expect(gradcheck((a, b, c) => nb.clamp(a, b, c), [randn([3, 4]), randn([4]).sub(0.5), randn([3, 1]).add(1)]).ok).toBe(true);
  });

  it("mixed number and tensor bounds; a bad bound shape fails before any work", () => {
    expect(list(nb.clamp(x, -1, f64([0, 0, 0, 2, 2])))).toEqual([-1, -0.5, 0, 1, 1.5]);
    expect(list(nb.clamp(x, f64(0), null))).toEqual([0, 0, 0, 1, 1.5]);
    expect(() => nb.clamp(x, f64([0, 1]), 2)).toThrow(/clamp: shapes \[5\] and \[2\] cannot be broadcast/);
  });
});

describe("where, maskedFill", () => {
  it("picks from a where the condition is nonzero, broadcasting all three", () => {
    const cond = i32([[1], [0], [1]]);
    const y = nb.where(cond, f64([1, 2, 3, 4]), f64([[10, 20, 30, 40], [50, 60, 70, 80], [90, 100, 110, 120]]));
    expect(y.toArray()).toEqual([[1, 2, 3, 4], [50, 60, 70, 80], [1, 2, 3, 4]]);
    expect(list(nb.where(f64([0.5, 0, NaN]), 1, 0))).toEqual([1, 0, 1]);
    expect(nb.where(i32([1, 0]), 1, 0).dtype).toBe("int32");
    expect(nb.where(i32([1, 0]), 1.5, 0).dtype).toBe("float32");
    expect(nb.where(i32([1, 0]), i32([1, 2]), 0.5).dtype).toBe("float32");
    expect(list(f64([1, 2]).where(i32([0, 1]), -1))).toEqual([-1, 2]);
    expect(() => nb.where(i32([1, 0, 1]), f64([1, 2]), 0)).toThrow(/where: shapes \[3\] and \[2\] cannot be broadcast/);
  });

  it("gradients go to the chosen operand, summed back to each shape", () => {
    const cond = i32([[1, 0, 1], [0, 0, 1]]);
    const [ga, gb] = grads2((a, b) => nb.where(cond, a, b), f64([1, 2, 3]), f64(5));
    expect(list(ga!)).toEqual([1, 0, 2]);
    expect(list(gb!)).toEqual([3]);
    expect(gradcheck((a, b) => nb.where(cond, a, b), [randn([2, 3]), randn([3])]).ok).toBe(true);
  });

  it("maskedFill writes value where the mask is set, keeps x's dtype and shape", () => {
    const x = f64([[1, 2], [3, 4]]);
    expect(nb.maskedFill(x, i32([1, 0]), -1).toArray()).toEqual([[-1, 2], [-1, 4]]);
    expect(x.maskedFill(nb.gt(x, 2), 0).toArray()).toEqual([[1, 2], [0, 0]]);
    const n = nb.maskedFill(i32([5, 6]), i32([0, 1]), 2.7);
    expect(n.dtype).toBe("int32");
    expect(list(n)).toEqual([5, 2]);
    expect(() => nb.maskedFill(f64([1, 2]), i32([[1, 0], [0, 1]]), 0)).toThrow(/maskedFill: mask of shape \[2,2\] does not broadcast to the input's shape \[2\]/);
    expect(() => nb.maskedFill(x, i32([1, 0]), f64([1, 2]))).toThrow(/one-element tensor/);
  });

  it("maskedFill gradients: x outside the mask, a tensor value the sum inside it", () => {
    const mask = i32([[1, 0], [1, 1]]);
    const [gx, gv] = grads2((a, v) => nb.maskedFill(a, mask, v), f64([[1, 2], [3, 4]]), f64(9), f64([[1, 2], [3, 4]]));
    expect(gx!.toArray()).toEqual([[0, 2], [0, 0]]);
    expect(gv!.item()).toBe(1 + 3 + 4);
  });
});

describe("comparisons and isFinite", () => {
  const a = f64([[1, 2, NaN], [4, 5, 6]]);
  const b = f64([2, 2, NaN]);

  it("give int32 0/1 masks with broadcasting; NaN is unequal to everything", () => {
    expect(nb.eq(a, b).dtype).toBe("int32");
    expect(nb.eq(a, b).toArray()).toEqual([[0, 1, 0], [0, 0, 0]]);
    expect(nb.ne(a, b).toArray()).toEqual([[1, 0, 1], [1, 1, 1]]);
    expect(nb.lt(a, b).toArray()).toEqual([[1, 0, 0], [0, 0, 0]]);
    expect(nb.le(a, b).toArray()).toEqual([[1, 1, 0], [0, 0, 0]]);
    expect(nb.gt(a, b).toArray()).toEqual([[0, 0, 0], [1, 1, 0]]);
    expect(nb.ge(a, b).toArray()).toEqual([[0, 1, 0], [1, 1, 0]]);
  });

  it("accept numbers on either side, mixed dtypes, and methods", () => {
    expect(list(nb.gt(3, i32([1, 3, 5])))).toEqual([1, 0, 0]);
    expect(list(i32([1, 3, 5]).ge(3))).toEqual([0, 1, 1]);
    expect(list(i32([1, 2]).eq(f64([1, 2.5])))).toEqual([1, 0]);
    expect(list(f64([1, 2]).lt(1.5))).toEqual([1, 0]);
    expect(list(f64([1, 2]).le(1))).toEqual([1, 0]);
    expect(list(f64([1, 2]).ne(1))).toEqual([0, 1]);
    expect(list(f64([1, 2]).gt(1))).toEqual([0, 1]);
    expect(list(f64([[1, 2]]).eq(f64([[2]])))).toEqual([0, 1]);
    expect(list(nb.eq(f64([1, NaN]), NaN))).toEqual([0, 0]);
    expect(list(nb.ne(f64([1, NaN]), NaN))).toEqual([1, 1]);
    expect(nb.lt(f64(1), f64([[0, 2]])).shape).toEqual([1, 2]);
    expect(() => nb.eq(f64([1, 2]), f64([1, 2, 3]))).toThrow(/eq: shapes \[2\] and \[3\] cannot be broadcast/);
  });

  it("record no gradient", () => {
    const x = f64([1, 2]).requiresGrad_();
    const m = nb.gt(x, 1);
    expect(m.requiresGrad).toBe(false);
    expect(m.gradFn).toBeNull();
  });

  it("isFinite", () => {
    expect(list(nb.isFinite(f64([1, NaN, Infinity, -Infinity, -0])))).toEqual([1, 0, 0, 0, 1]);
    expect(list(i32([1, -7]).isFinite())).toEqual([1, 1]);
    expect(nb.isFinite(nb.tensor([1])).dtype).toBe("int32");
  });
});

describe("floorDivide, remainder, fmod", () => {
  const ai = i32([-7, 7, -7, 7, 6, 0]);
  const bi = i32([2, -2, -2, 2, -3, 5]);

  it("int32: floor division rounds toward -inf, remainder has the divisor's sign, fmod the dividend's", () => {
    const q = nb.floorDivide(ai, bi);
    expect(q.dtype).toBe("int32");
    expect(list(q)).toEqual([-4, -4, 3, 3, -2, 0]);
    expect(list(nb.remainder(ai, bi))).toEqual([1, -1, -1, 1, 0, 0]);
    expect(list(nb.fmod(ai, bi))).toEqual([-1, 1, -1, 1, 0, 0]);
    expect(nb.remainder(ai, bi).dtype).toBe("int32");
    expect(nb.fmod(ai, bi).dtype).toBe("int32");
    // a == floorDivide(a, b) * b + remainder(a, b)
    expect(list(nb.floorDivide(ai, bi).mul(bi).add(nb.remainder(ai, bi)))).toEqual(list(ai));
    // Python: -7 % -3 = -1, 7 % -3 = -2, 6 % -3 = 0.
    expect(list(ai.remainder(-3))).toEqual([-1, -2, -1, -2, 0, 0]);
    expect(list(ai.floorDivide(3))).toEqual([-3, 2, -3, 2, 2, 0]);
    expect(list(ai.fmod(3))).toEqual([-1, 1, -1, 1, 0, 0]);
  });

  it("int32 division by zero is an error; float division by zero gives inf/NaN", () => {
    expect(() => nb.floorDivide(ai, 0)).toThrow(/div: integer division by zero/);
    expect(() => nb.remainder(ai, i32([1, 1, 1, 1, 0, 1]))).toThrow(/remainder: integer division by zero/);
    expect(() => nb.fmod(ai, 0)).toThrow(/fmod: integer division by zero/);
    expect(list(nb.floorDivide(f64([1, -1, 0]), 0))).toEqual([Infinity, -Infinity, NaN]);
    expect(list(nb.remainder(f64([1]), 0))).toEqual([NaN]);
  });

  it("floats: Python semantics, exact quotients where floor(a / b) would round", () => {
    const a = f64([-7.5, 7.5, -7.5, 7.5, -6, 6, 0, -0.25, 5.5]);
    const b = f64([2, -2, -2, 2, 3, -4, 3, 0.5, -1.5]);
    expect(list(nb.floorDivide(a, b))).toEqual([-4, -4, 3, 3, -2, -2, 0, -1, -4]);
    expect(list(nb.remainder(a, b))).toEqual([0.5, -0.5, -1.5, 1.5, -0, -2, 0, 0.25, -0.5]);
    expect(list(nb.fmod(a, b))).toEqual([-1.5, 1.5, -1.5, 1.5, -0, 2, 0, -0.25, 1]);
    // 1 / 0.1 rounds to 10 in doubles, but 0.1 goes into 1 only 9 times (remainder 0.0999...).
    expect(nb.floorDivide(f64([1]), 0.1).item()).toBe(9);
    expect(nb.remainder(f64([1]), 0.1).item()).toBeCloseTo(0.1, 15);
    // A zero quotient keeps the sign of a / b.
    expect(Object.is(nb.floorDivide(f64([0]), -2).item(), -0)).toBe(true);
    expect(Object.is(nb.floorDivide(f64([-0.25]), -2).item(), 0)).toBe(true);
  });

  it("gradients: a gets g; b gets -g floor(a/b) (remainder) or -g trunc(a/b) (fmod); floorDivide 0", () => {
    const a = f64([-7.5, 7.5, 5.5]);
    const b = f64([2, 2, -1.5]);
    const [ra, rb] = grads2(nb.remainder, a, b);
    expect(list(ra!)).toEqual([1, 1, 1]);
    expect(list(rb!)).toEqual([4, -3, 4]);
    const [fa, fb] = grads2(nb.fmod, a, b);
    expect(list(fa!)).toEqual([1, 1, 1]);
    expect(list(fb!)).toEqual([3, -3, 3]);
    const [da, db] = grads2(nb.floorDivide, a, b);
    expect(list(da!)).toEqual([0, 0, 0]);
    expect(list(db!)).toEqual([0, 0, 0]);
    // Away from the jumps (a/b not an integer) finite differences agree.
    const x = f64([[0.3, 1.7, -2.2], [4.1, -0.6, 2.9]]).requiresGrad_();
    const y = f64([0.7, -1.3, 1.9]).requiresGrad_();
    expect(gradcheck(nb.remainder, [x, y]).ok).toBe(true);
    expect(gradcheck(nb.fmod, [x, y]).ok).toBe(true);
  });
});
