// Tests of the nn/ conformance runner itself, on small cases worked out by
// hand: it passes what is right, and fails (by its result or by throwing)
// on a wrong value, a wrong index, an argument nabla does not take, a class
// it does not know, and a distribution drawn with the wrong scale.
import { describe, expect, it } from "vitest";
import type { CaseResult } from "../cases.js";
import { runNnFunction, runNnInitStats, runNnModule } from "./nn.js";
import type { NnCase } from "./nn-case.js";

const common = { reference: "by hand", float32_rtol: 1e-6 };

/** Linear(2, 1): y = 1*3 - 2*1 + 0.5 = 1.5; with upstream 2: dx = 2 W, dW = 2 x, db = 2. */
function linearCase(): NnCase {
  return {
    ...common,
    id: "hand_linear",
    kind: "module",
    torch_class: "Linear",
    arguments: { in_features: 2, out_features: 1, bias: true },
    inputs: [{ name: "input", shape: [1, 2], values: [3, 1], requires_grad: true }],
    parameters: [
      { name: "weight", shape: [1, 2], values: [1, -2] },
      { name: "bias", shape: [1], values: [0.5] },
    ],
    buffers: [],
    mode: "train",
    grad_output: { shape: [1, 1], values: [2] },
    expected: {
      output: { shape: [1, 1], values: [1.5] },
      grads: {
        input: { shape: [1, 2], values: [2, -4] },
        weight: { shape: [1, 2], values: [6, 2] },
        bias: { shape: [1], values: [2] },
      },
    },
  };
}

/**
 * BatchNorm1d(1, eps 0) in train mode on [1, 3]: mean 2, biased variance 1,
 * output [-1, 1]; running_mean 0.1*2, running_var 0.9 + 0.1*2 (unbiased);
 * upstream [1, 0]: dx = g - mean(g) - xhat*mean(g*xhat) = [0, 0], dweight -1, dbias 1.
 */
function batchNormCase(): NnCase {
  return {
    ...common,
    id: "hand_batchnorm",
    kind: "module",
    torch_class: "BatchNorm1d",
    arguments: { num_features: 1, eps: 0, momentum: 0.1, affine: true, track_running_stats: true },
    inputs: [{ name: "input", shape: [2, 1], values: [1, 3], requires_grad: true }],
    parameters: [
      { name: "weight", shape: [1], values: [1] },
      { name: "bias", shape: [1], values: [0] },
    ],
    buffers: [
      { name: "running_mean", shape: [1], values: [0] },
      { name: "running_var", shape: [1], values: [1] },
      { name: "num_batches_tracked", shape: [], values: [0], dtype: "int64" },
    ],
    mode: "train",
    grad_output: { shape: [2, 1], values: [1, 0] },
    expected: {
      output: { shape: [2, 1], values: [-1, 1] },
      grads: { input: { shape: [2, 1], values: [0, 0] }, weight: { shape: [1], values: [-1] }, bias: { shape: [1], values: [1] } },
      buffers: {
        running_mean: { shape: [1], values: [0.2] },
        running_var: { shape: [1], values: [1.1] },
        num_batches_tracked: { shape: [], values: [1], dtype: "int64" },
      },
    },
  };
}

/** torch.max(x, dim=1): values [3, 5], first index among ties [1, 0]; only those get the gradient. */
function maxCase(): NnCase {
  return {
    ...common,
    id: "hand_max",
    kind: "functional",
    torch_function: "torch.max",
    arguments: { dim: 1, keepdim: false },
    inputs: [{ name: "input", shape: [2, 3], values: [1, 3, 3, 5, 0, 5], requires_grad: true }],
    grad_output: { shape: [2], values: [1, 1] },
    expected: {
      output: { shape: [2], values: [3, 5] },
      extra_outputs: { indices: { shape: [2], values: [1, 0], dtype: "int64" } },
      grads: { input: { shape: [2, 3], values: [0, 1, 0, 1, 0, 0] } },
    },
  };
}

/** F.relu: the gradient at 0 is 0. */
function reluCase(): NnCase {
  return {
    ...common,
    id: "hand_relu",
    kind: "functional",
    torch_function: "torch.nn.functional.relu",
    arguments: {},
    inputs: [{ name: "input", shape: [3], values: [-1, 0, 2], requires_grad: true }],
    grad_output: { shape: [3], values: [1, 1, 1] },
    expected: { output: { shape: [3], values: [0, 0, 2] }, grads: { input: { shape: [3], values: [0, 0, 1] } } },
  };
}

/** kaiming_uniform_ on [4, 6] with the defaults: gain sqrt(2), fan_in 6, bound sqrt(2)*sqrt(3/6) = 1. */
function kaimingCase(): NnCase {
  return {
    ...common,
    id: "hand_kaiming",
    kind: "init_stats",
    torch_function: "torch.nn.init.kaiming_uniform_",
    arguments: { a: 0, mode: "fan_in", nonlinearity: "leaky_relu" },
    shape: [4, 6],
    expected: {
      tensor: { distribution: "uniform", low: -1, high: 1, mean: 0, std: 1 / Math.sqrt(3), fan_in: 6, fan_out: 4, fan: 6, gain: Math.SQRT2 },
    },
  };
}

const passes = (r: CaseResult): boolean => r.worst <= r.tolerance;
const dtypes = ["float64", "float32"] as const;

describe("nn conformance runner", () => {
  it.each(dtypes)("passes hand-computed module, functional and init cases (%s)", (dtype) => {
    expect(passes(runNnModule(linearCase(), dtype))).toBe(true);
    expect(passes(runNnModule(batchNormCase(), dtype))).toBe(true);
    expect(passes(runNnFunction(maxCase(), dtype))).toBe(true);
    expect(passes(runNnFunction(reluCase(), dtype))).toBe(true);
    expect(passes(runNnInitStats(kaimingCase(), dtype))).toBe(true);
  });

  it("fails a wrong output, gradient or buffer value, naming the field", () => {
    const out = linearCase();
    out.expected.output!.values = [1.5001];
    expect(runNnModule(out, "float64")).toMatchObject({ where: "output" });
    expect(passes(runNnModule(out, "float64"))).toBe(false);
    const grad = linearCase();
    grad.expected.grads!.bias!.values = [2.00001];
    expect(passes(runNnModule(grad, "float32"))).toBe(false);
    const buffer = batchNormCase();
    buffer.expected.buffers!.running_var!.values = [1.1 + 1e-7];
    expect(runNnModule(buffer, "float64")).toMatchObject({ where: "buffers.running_var" });
    expect(passes(runNnModule(buffer, "float64"))).toBe(false);
  });

  it("requires integer fields to be equal", () => {
    const c = maxCase();
    c.expected.extra_outputs!.indices!.values = [2, 0];
    expect(() => runNnFunction(c, "float64")).toThrow(/extra_outputs.indices: \[1,0\] != \[2,0\]/);
    const bn = batchNormCase();
    bn.expected.buffers!.num_batches_tracked!.values = [2];
    expect(() => runNnModule(bn, "float32")).toThrow(/num_batches_tracked/);
  });

  it("fails what it cannot run instead of skipping it", () => {
    const arg = reluCase();
    arg.arguments = { threshold: 1 };
    expect(() => runNnFunction(arg, "float64")).toThrow(/no argument "threshold"/);
    const inplace = reluCase();
    inplace.arguments = { inplace: true };
    expect(() => runNnFunction(inplace, "float64")).toThrow(/only inplace=false/);
    const cls = linearCase();
    cls.torch_class = "Bilinear";
    expect(() => runNnModule(cls, "float64")).toThrow(/Bilinear/);
    const fn = reluCase();
    fn.torch_function = "torch.nn.functional.rrelu";
    expect(() => runNnFunction(fn, "float64")).toThrow(/rrelu/);
    const field = reluCase();
    field.expected.hessian = { shape: [3], values: [0, 0, 0] };
    expect(() => runNnFunction(field, "float64")).toThrow(/expected.hessian is not compared/);
    const missing = linearCase();
    missing.parameters = missing.parameters!.slice(0, 1);
    expect(() => runNnModule(missing, "float64")).toThrow(/missing keys: bias/);
  });

  it("catches an initializer with the wrong scale, by the numbers and by the draws", () => {
    const bound = kaimingCase();
    (bound.expected.tensor as { high: number }).high = 1 + 1e-10;
    expect(passes(runNnInitStats(bound, "float64"))).toBe(false);
    // uniform_(-1, 1) recorded with a 5% larger std, or a shifted mean: the numbers hold, the draws do not.
    const uniform = (std: number, mean: number): NnCase => ({
      ...common,
      id: "hand_uniform",
      kind: "init_stats",
      torch_function: "torch.nn.init.uniform_",
      arguments: { a: -1, b: 1 },
      shape: [10, 10],
      expected: { tensor: { distribution: "uniform", low: -1, high: 1, mean, std } },
    });
    expect(passes(runNnInitStats(uniform(1 / Math.sqrt(3), 0), "float32"))).toBe(true);
    expect(runNnInitStats(uniform(1.05 / Math.sqrt(3), 0), "float64").where).toMatch(/sample std/);
    expect(passes(runNnInitStats(uniform(1.05 / Math.sqrt(3), 0), "float64"))).toBe(false);
    expect(runNnInitStats(uniform(1 / Math.sqrt(3), 0.03), "float64").where).toMatch(/sample mean/);
    expect(passes(runNnInitStats(uniform(1 / Math.sqrt(3), 0.03), "float64"))).toBe(false);
  });
});
