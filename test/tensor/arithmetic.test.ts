import { describe, expect, it } from "vitest";
import { grad, gradcheck } from "../../src/autograd/index.js";
import * as nb from "../../src/tensor/index.js";

const f64 = (values: nb.NestedArray) => nb.tensor(values, { dtype: "float64" });
const i32 = (values: nb.NestedArray) => nb.tensor(values, { dtype: "int32" });
const list = (t: nb.Tensor) => Array.from(t.data);

describe("add, sub, mul, div, neg", () => {
  it("broadcast and promote (int32 + float32 -> float32, anything with float64 -> float64)", () => {
    const a = i32([[1, 2, 3], [4, 5, 6]]);
    const b = nb.tensor([0.5, 1, 2]);
    expect(nb.add(a, b).dtype).toBe("float32");
    expect(nb.add(a, b).toArray()).toEqual([[1.5, 3, 5], [4.5, 6, 8]]);
    expect(nb.sub(a, 1).dtype).toBe("int32");
    expect(nb.sub(a, 1).toArray()).toEqual([[0, 1, 2], [3, 4, 5]]);
    expect(nb.mul(2, f64([1, 2])).dtype).toBe("float64");
    expect(list(nb.neg(i32([1, -2])))).toEqual([-1, 2]);
    expect(nb.neg(i32([1])).dtype).toBe("int32");
    expect(() => nb.add(f64([1, 2]), f64([1, 2, 3]))).toThrow(/add: shapes \[2\] and \[3\] cannot be broadcast/);
  });

  it("true division of int32 gives float32", () => {
    const q = nb.div(i32([7, -7, 1]), i32([2, 2, 0]));
    expect(q.dtype).toBe("float32");
    expect(list(q)).toEqual([3.5, -3.5, Infinity]);
    expect(list(nb.div(i32([7]), i32([2]), { roundingMode: null }))).toEqual([3.5]);
  });
});

describe("div with roundingMode", () => {
  const a = i32([-7, 7, -7, 7, -6, 0, 5, -1, 2147483647]);
  const b = i32([2, -2, -2, 2, 3, 3, 5, 3, 2]);

  it('"floor" rounds toward -inf and "trunc" toward 0, int32 staying int32', () => {
    const floor = nb.div(a, b, { roundingMode: "floor" });
    const trunc = a.div(b, { roundingMode: "trunc" });
    expect(floor.dtype).toBe("int32");
    expect(trunc.dtype).toBe("int32");
    expect(list(floor)).toEqual([-4, -4, 3, 3, -2, 0, 1, -1, 1073741823]);
    expect(list(trunc)).toEqual([-3, -3, 3, 3, -2, 0, 1, 0, 1073741823]);
  });

  it("floats: floor and trunc of the quotient, with broadcasting and scalars", () => {
    const x = f64([[-7.5, 7.5], [-0.25, 5.5]]);
    expect(nb.div(x, f64([2, -1.5]), { roundingMode: "floor" }).toArray()).toEqual([[-4, -5], [-1, -4]]);
    expect(nb.div(x, f64([2, -1.5]), { roundingMode: "trunc" }).toArray()).toEqual([[-3, -5], [-0, -3]]);
    expect(list(nb.div(f64([7.5, -7.5]), -2, { roundingMode: "floor" }))).toEqual([-4, 3]);
    expect(list(nb.div(10, f64([3, -3]), { roundingMode: "trunc" }))).toEqual([3, -3]);
  });

  it("int32 division by zero is an error before any work; float gives inf/NaN", () => {
    expect(() => nb.div(a, 0, { roundingMode: "floor" })).toThrow(/div: integer division by zero/);
    expect(() => nb.div(i32([1, 2]), i32([0, 1, 2]), { roundingMode: "trunc" })).toThrow(/div: shapes \[2\] and \[3\] cannot be broadcast/);
    expect(list(nb.div(f64([1, -1, 0]), 0, { roundingMode: "trunc" }))).toEqual([Infinity, -Infinity, NaN]);
  });

  it("rejects an unknown rounding mode", () => {
    // @ts-expect-error: checked at run time for untyped callers
    expect(() => nb.div(a, b, { roundingMode: "round" })).toThrow(/div: roundingMode must be "trunc", "floor" or null, got round/);
  });

  it("rounded division has gradient 0; true division keeps its gradient", () => {
    const x = f64([-7.5, 7.5, 3]);
    const y = f64([2, -2, 0.5]);
    for (const roundingMode of ["floor", "trunc"] as const) {
      const [gx, gy] = grad((p: nb.Tensor, q: nb.Tensor) => nb.div(p, q, { roundingMode }).sum(), { argnums: [0, 1] })(x, y);
      expect(list(gx!)).toEqual([0, 0, 0]);
      expect(list(gy!)).toEqual([0, 0, 0]);
    }
    const p = nb.randn([2, 3], { dtype: "float64", generator: new nb.Generator(3) }).requiresGrad_();
    const q = nb.rand([3], { dtype: "float64", generator: new nb.Generator(4) }).add(0.5).requiresGrad_();
    expect(gradcheck((u, v) => nb.div(u, v, { roundingMode: null }), [p, q]).ok).toBe(true);
  });
});
