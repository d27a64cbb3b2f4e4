import { describe, expect, it } from "vitest";
import { grad, gradcheck } from "../../src/autograd/index.js";
import * as nb from "../../src/tensor/index.js";

const f64 = (values: nb.NestedArray) => nb.tensor(values, { dtype: "float64" });
const list = (t: nb.Tensor) => Array.from(t.data);
const derivative = (f: (t: nb.Tensor) => nb.Tensor, x: nb.Tensor) => grad((t: nb.Tensor) => f(t).sum())(x);

function expectClose(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-14): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    if (Number.isNaN(expected[i]!)) expect(actual[i]).toBeNaN();
    else expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tol * Math.max(1, Math.abs(expected[i]!)));
  }
}

const sig = (v: number) => 1 / (1 + Math.exp(-v));
const SELU_ALPHA = 1.6732632423543772;
const SELU_SCALE = 1.0507009873554805;
const kinks = f64([-2, -0.5, 0, 0.5, 2]);
const extremes = f64([-1e4, -50, -20, -1, 0, 1, 20, 50, 1e4]);

describe("activations: forward values", () => {
  it("relu, relu6, leakyRelu, hardtanh", () => {
    expect(list(nb.relu(f64([-1, 0, 2, NaN])))).toEqual([0, 0, 2, NaN]);
    expect(list(nb.relu6(f64([-1, 3, 6, 7])))).toEqual([0, 3, 6, 6]);
    expectClose(nb.leakyRelu(kinks).data, [-0.02, -0.005, 0, 0.5, 2]);
    expectClose(kinks.leakyRelu(1.5).data, [-3, -0.75, 0, 0.5, 2]);
    expect(list(nb.hardtanh(kinks))).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(list(kinks.hardtanh(-0.25, 1.5))).toEqual([-0.25, -0.25, 0, 0.5, 1.5]);
    expect(() => nb.hardtanh(kinks, 1, -1)).toThrow(/hardtanh: minVal must not exceed maxVal, got 1 > -1/);
  });

  it("elu, selu", () => {
    expectClose(nb.elu(kinks).data, [Math.expm1(-2), Math.expm1(-0.5), 0, 0.5, 2]);
    expectClose(kinks.elu(2).data, [2 * Math.expm1(-2), 2 * Math.expm1(-0.5), 0, 0.5, 2]);
    expectClose(nb.selu(kinks).data, [
      SELU_SCALE * SELU_ALPHA * Math.expm1(-2),
      SELU_SCALE * SELU_ALPHA * Math.expm1(-0.5),
      0,
      SELU_SCALE * 0.5,
      SELU_SCALE * 2,
    ]);
  });

  it("sigmoid, logSigmoid, tanh, silu are finite and accurate at any magnitude", () => {
    expectClose(nb.sigmoid(kinks).data, [sig(-2), sig(-0.5), 0.5, sig(0.5), sig(2)]);
    const s = nb.sigmoid(extremes);
    expect(list(s).every(Number.isFinite)).toBe(true);
    expect(s.data[0]).toBe(0);
    expect(s.data[8]).toBe(1);
    // sigmoid(-50) = e^-50 / (1 + e^-50) keeps its digits (1 - sigmoid(50) would be 0).
    expectClose([s.data[1]!], [1.928749847963918e-22]);
    const ls = nb.logSigmoid(extremes);
    expectClose(ls.data, [-1e4, -50, -20.000000002061153, -1.3132616875182228, -Math.LN2, -0.31326168751822286, -2.0611536181902037e-9, -1.9287498479639178e-22, 0]);
    expectClose(nb.tanh(kinks).data, [Math.tanh(-2), Math.tanh(-0.5), 0, Math.tanh(0.5), Math.tanh(2)]);
    expect(list(nb.tanh(extremes))[0]).toBe(-1);
    expectClose(nb.silu(kinks).data, [-2 * sig(-2), -0.5 * sig(-0.5), 0, 0.5 * sig(0.5), 2 * sig(2)]);
    expect(list(nb.silu(f64([-1e4, 1e4])))).toEqual([-0, 1e4]);
  });

  it("softplus: log form up to the threshold (inclusive), identity strictly beyond", () => {
    expectClose(nb.softplus(f64([-50, 0, 1, 20, 20.5])).data, [1.9287498479639178e-22, Math.LN2, Math.log1p(Math.E), 20.000000002061153, 20.5]);
    // beta = 2, threshold = 5: at x = 2.5 (beta x = 5) the log form is used.
    const y = nb.softplus(f64([-2, 2.5, 2.75]), 2, 5);
    expectClose(y.data, [Math.log1p(Math.exp(-4)) / 2, 2.503357674244559, 2.75]);
    expect(() => nb.softplus(kinks, 0)).toThrow(/softplus: beta must be finite and non-zero, got 0/);
  });

  it("gelu (erf and tanh forms) and mish", () => {
    // x Phi(x) with Phi(1) = 0.8413447460685429, Phi(-1) = 0.15865525393145707.
    expectClose(nb.gelu(f64([-1, 0, 1])).data, [-0.15865525393145707, 0, 0.8413447460685429], 1e-15);
    expectClose(nb.gelu(f64([-1, 1]), "tanh").data, [-0.1588080093917233, 0.8411919906082768], 1e-15);
    expect(list(nb.gelu(f64([-1e4, 1e4])))).toEqual([-0, 1e4]);
    expect(list(nb.gelu(f64([-1e4, 1e4]), "tanh"))).toEqual([-0, 1e4]);
    // @ts-expect-error: checked at run time
    expect(() => nb.gelu(kinks, "exact")).toThrow(/gelu: approximate must be "none" or "tanh", got exact/);
    expectClose(nb.mish(extremes).data, [-0, -9.643749239819589e-21, -4.122307240628762e-8, -0.30340146137410895, 0, 0.8650983882673103, 20, 50, 1e4]);
  });

  it("int32 input gives float32 (relu keeps int32); float32 stays float32", () => {
    const n = nb.tensor([-2, 0, 3], { dtype: "int32" });
    expect(nb.relu(n).dtype).toBe("int32");
    expect(list(nb.relu(n))).toEqual([0, 0, 3]);
    for (const f of [nb.sigmoid, nb.tanh, nb.gelu, nb.silu, nb.mish, nb.elu, nb.selu, nb.leakyRelu, nb.softplus, nb.logSigmoid, nb.hardtanh, nb.relu6]) {
      expect(f(n).dtype).toBe("float32");
    }
    expect(nb.sigmoid(nb.tensor([0.5])).dtype).toBe("float32");
  });

  it("methods match the functions", () => {
    expect(kinks.relu().toArray()).toEqual(nb.relu(kinks).toArray());
    expect(kinks.relu6().toArray()).toEqual(nb.relu6(kinks).toArray());
    expect(kinks.selu().toArray()).toEqual(nb.selu(kinks).toArray());
    expect(kinks.gelu("tanh").toArray()).toEqual(nb.gelu(kinks, "tanh").toArray());
    expect(kinks.silu().toArray()).toEqual(nb.silu(kinks).toArray());
    expect(kinks.sigmoid().toArray()).toEqual(nb.sigmoid(kinks).toArray());
    expect(kinks.logSigmoid().toArray()).toEqual(nb.logSigmoid(kinks).toArray());
    expect(kinks.tanh().toArray()).toEqual(nb.tanh(kinks).toArray());
    expect(kinks.softplus(2, 1).toArray()).toEqual(nb.softplus(kinks, 2, 1).toArray());
    expect(kinks.mish().toArray()).toEqual(nb.mish(kinks).toArray());
  });
});

describe("activations: gradients", () => {
  it("at the kinks: relu'(0) = 0, leakyRelu'(0) = slope, elu'(0) = alpha, selu'(0) = scale alpha", () => {
    const x = f64([-1, 0, 1]);
    expect(list(derivative(nb.relu, x))).toEqual([0, 0, 1]);
    expect(list(derivative((t) => nb.leakyRelu(t, 0.2), x))).toEqual([0.2, 0.2, 1]);
    expectClose(derivative((t) => nb.elu(t, 2), x).data, [2 * Math.exp(-1), 2, 1]);
    expectClose(derivative(nb.selu, x).data, [SELU_SCALE * SELU_ALPHA * Math.exp(-1), SELU_SCALE * SELU_ALPHA, SELU_SCALE]);
  });

  it("hardtanh and relu6 pass the gradient only strictly inside; clamp includes the bounds", () => {
    const x = f64([-2, -1, 0, 1, 2]);
    expect(list(derivative(nb.hardtanh, x))).toEqual([0, 0, 1, 0, 0]);
    expect(list(derivative((t) => nb.clamp(t, -1, 1), x))).toEqual([0, 1, 1, 1, 0]);
    expect(list(derivative(nb.relu6, f64([-1, 0, 3, 6, 7])))).toEqual([0, 0, 1, 0, 0]);
  });

  it("softplus: sigmoid(beta x) up to the threshold, 1 beyond it", () => {
    const g = derivative((t) => nb.softplus(t, 2, 5), f64([-2, 0, 2.5, 2.75]));
    expectClose(g.data, [sig(-4), 0.5, sig(5), 1]);
  });

  it("sigmoid, tanh, silu, gelu, mish: hand-derived derivatives", () => {
    const x = f64([-1.5, 0, 0.7]);
    const v = [-1.5, 0, 0.7];
    expectClose(derivative(nb.sigmoid, x).data, v.map((t) => sig(t) * (1 - sig(t))));
    expectClose(derivative(nb.tanh, x).data, v.map((t) => 1 - Math.tanh(t) ** 2));
    expectClose(derivative(nb.silu, x).data, v.map((t) => sig(t) * (1 + t * (1 - sig(t)))));
    expectClose(derivative(nb.logSigmoid, x).data, v.map((t) => 1 - sig(t)));
    // gelu'(x) = Phi(x) + x phi(x): at 1, 0.8413447460685429 + 0.24197072451914337.
    expectClose(derivative(nb.gelu, f64([1, 0])).data, [0.8413447460685429 + 0.24197072451914337, 0.5]);
    const sp = (t: number) => Math.log1p(Math.exp(t));
    expectClose(derivative(nb.mish, x).data, v.map((t) => Math.tanh(sp(t)) + t * (1 - Math.tanh(sp(t)) ** 2) * sig(t)));
  });

  it("stay finite at extreme inputs", () => {
    for (const f of [nb.sigmoid, nb.tanh, nb.silu, nb.softplus, nb.logSigmoid, nb.mish, nb.gelu, nb.elu, nb.selu, (t: nb.Tensor) => nb.gelu(t, "tanh")]) {
      const g = derivative(f, extremes);
      expect(list(g).every(Number.isFinite)).toBe(true);
    }
    expect(list(derivative(nb.sigmoid, f64([-1e4, 1e4])))).toEqual([0, 0]);
  });

  it("gradcheck on random inputs away from the kinks", () => {
    const gen = new nb.Generator(5);
    // Shift values off 0 (and the hardtanh bounds) so finite differences never straddle a kink.
    const x = nb.randn([4, 5], { dtype: "float64", generator: gen }).mul(2);
    const away = nb.where(nb.lt(nb.abs(x), 0.05), 0.3, x).requiresGrad_();
    const fns: ((t: nb.Tensor) => nb.Tensor)[] = [
      nb.relu,
      (t) => nb.leakyRelu(t, 0.1),
      (t) => nb.elu(t, 1.5),
      nb.selu,
      nb.gelu,
      (t) => nb.gelu(t, "tanh"),
      nb.silu,
      nb.sigmoid,
      nb.logSigmoid,
      nb.tanh,
      nb.softplus,
      (t) => nb.softplus(t, 3, 4),
      nb.mish,
      (t) => nb.hardtanh(t, -0.77, 1.33),
    ];
    for (const f of fns) expect(gradcheck(f, [away]).ok).toBe(true);
  });

  it("second derivatives (createGraph): sigmoid'' = s(1-s)(1-2s), tanh'' = -2 t (1-t^2), gelu'' = phi(x)(2 - x^2)", () => {
    const v = [-1.2, 0.4, 2];
    const x = f64(v);
    const second = (f: (t: nb.Tensor) => nb.Tensor) =>
      grad((t: nb.Tensor) => grad((u: nb.Tensor) => f(u).sum(), { createGraph: true })(t).sum())(x);
    expectClose(second(nb.sigmoid).data, v.map((t) => sig(t) * (1 - sig(t)) * (1 - 2 * sig(t))), 1e-12);
    expectClose(second(nb.tanh).data, v.map((t) => -2 * Math.tanh(t) * (1 - Math.tanh(t) ** 2)), 1e-12);
    const phi = (t: number) => Math.exp(-t * t / 2) / Math.sqrt(2 * Math.PI);
    expectClose(second(nb.gelu).data, v.map((t) => phi(t) * (2 - t * t)), 1e-12);
    expectClose(second(nb.softplus).data, v.map((t) => sig(t) * (1 - sig(t))), 1e-12);
    expectClose(second((t) => nb.elu(t, 2)).data, v.map((t) => (t > 0 ? 0 : 2 * Math.exp(t))), 1e-12);
    // Gradcheck of the first derivative checks every other rule's own backward.
    for (const f of [nb.silu, nb.mish, (t: nb.Tensor) => nb.gelu(t, "tanh"), nb.logSigmoid, nb.selu]) {
      const d = (t: nb.Tensor) => grad((u: nb.Tensor) => f(u).sum(), { createGraph: true })(t);
      expect(gradcheck(d, [x.detach().requiresGrad_()]).ok).toBe(true);
    }
  });
});
