import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { buildModule, casesFor, expectWithin, runModuleCase } from "./helpers.js";

const { nn } = nb;
const f64 = { dtype: "float64" } as const;

function close(actual: nb.Tensor, expected: number[], digits = 12): void {
  expect(actual.size).toBe(expected.length);
  expected.forEach((v, i) => expect(actual.data[i]).toBeCloseTo(v, digits));
}

describe("BatchNorm", () => {
  // Channel 0 holds 1, 3 (mean 2, biased var 1, unbiased 2); channel 1 holds 2, 6 (mean 4, var 4, unbiased 8).
  const batch = (): nb.Tensor => nb.tensor([[1, 2], [3, 6]], f64);

  it("normalises with batch statistics in train mode and updates the running ones", () => {
    const bn = new nn.BatchNorm1d(2, { eps: 0, dtype: "float64" });
    expect(bn.forward(batch()).toArray()).toEqual([[-1, -1], [1, 1]]);
    close(bn.runningMean!, [0.2, 0.4]);
    close(bn.runningVar!, [0.9 + 0.1 * 2, 0.9 + 0.1 * 8]);
    expect(bn.numBatchesTracked!.item()).toBe(1);
    bn.weight!.data.set([2, 3]);
    bn.bias!.data.set([1, -1]);
    expect(bn.forward(batch()).toArray()).toEqual([[-1, -4], [3, 2]]);
    expect(bn.numBatchesTracked!.item()).toBe(2);
  });

  it("uses the running statistics in eval mode and changes no buffer", () => {
    const bn = new nn.BatchNorm1d(2, { eps: 0, dtype: "float64" });
    bn.forward(batch());
    bn.eval();
    const before = bn.stateDict();
    close(bn.forward(nb.tensor([[1.2, 2.1]], f64)), [1 / Math.sqrt(1.1), 1.7 / Math.sqrt(1.7)]);
    for (const [k, v] of Object.entries(bn.stateDict())) expect(Array.from(v.data)).toEqual(Array.from(before[k]!.data));
  });

  it("with momentum null keeps the cumulative average of the batch statistics", () => {
    const bn = new nn.BatchNorm1d(2, { momentum: null, dtype: "float64" });
    bn.forward(batch());
    close(bn.runningMean!, [2, 4]);
    close(bn.runningVar!, [2, 8]);
    bn.forward(nb.tensor([[0, 0], [2, 0]], f64)); // means [1, 0], unbiased variances [2, 0]
    close(bn.runningMean!, [1.5, 2]);
    close(bn.runningVar!, [2, 4]);
  });

  it("without trackRunningStats has no buffers and uses batch statistics in eval mode too", () => {
    const bn = new nn.BatchNorm1d(2, { trackRunningStats: false, eps: 0, dtype: "float64" }).eval();
    expect(bn.namedBuffers()).toEqual([]);
    expect(bn.runningMean).toBeNull();
    expect(bn.forward(batch()).toArray()).toEqual([[-1, -1], [1, 1]]);
    expect(Object.keys(bn.stateDict())).toEqual(["weight", "bias"]);
  });

  it("BatchNorm2d normalises per channel over N, H and W; affine false has no parameters", () => {
    const bn = new nn.BatchNorm2d(2, { affine: false, eps: 0, dtype: "float64" });
    expect(bn.parameters()).toEqual([]);
    const x = nb.tensor([[[[1, 3]], [[10, 10]]], [[[1, 3]], [[14, 14]]]], f64);
    expect(bn.forward(x).toArray()).toEqual([[[[-1, 1]], [[-1, -1]]], [[[-1, 1]], [[1, 1]]]]);
  });

  it("refuses one value per channel in train mode, leaving the counter unchanged", () => {
    const bn = new nn.BatchNorm1d(3);
    expect(() => bn.forward(nb.ones([1, 3]))).toThrow(/more than 1 value per channel/);
    expect(bn.numBatchesTracked!.item()).toBe(0);
    expect(() => bn.forward(nb.ones([4, 2]))).toThrow(/expected 3 channels/);
    expect(() => new nn.BatchNorm2d(3).forward(nb.ones([4, 3]))).toThrow(/4-D input/);
    expect(() => new nn.BatchNorm1d(3, { momentum: 1.5 })).toThrow(/momentum must be in \[0, 1\]/);
  });

  it("passes gradcheck through the batch statistics (train) and the running ones (eval)", () => {
    const g = new nb.Generator(5);
    const bn = new nn.BatchNorm2d(3, { dtype: "float64" });
    bn.weight!.data.set([0.5, -1, 2]);
    bn.bias!.data.set([0.1, 0.2, 0.3]);
    const x = nb.randn([2, 3, 2, 2], { dtype: "float64", generator: g }).requiresGrad_();
    const f = (input: nb.Tensor, w: nb.Tensor, b: nb.Tensor): nb.Tensor => {
      bn.weight = w;
      bn.bias = b;
      return bn.forward(input);
    };
    nb.gradcheck(f, [x, bn.weight!, bn.bias!]);
    bn.eval();
    nb.gradcheck(f, [x, bn.weight!, bn.bias!]);
  });

  for (const name of ["BatchNorm1d", "BatchNorm2d"]) {
    it.each(casesFor("module", name).map((c) => [c.id, c] as const))("matches torch: %s", (_id, c) => {
      for (const dtype of ["float64", "float32"] as const) expectWithin(c, runModuleCase(c, buildModule(c, dtype), dtype), dtype);
    });
  }
});

describe("LayerNorm and GroupNorm", () => {
  it("LayerNorm standardises the trailing dimensions with the biased variance", () => {
    const ln = new nn.LayerNorm(2, { eps: 0, dtype: "float64" });
    ln.weight!.data.set([1, 2]);
    ln.bias!.data.set([0, 1]);
    expect(ln.forward(nb.tensor([[1, 3], [5, -5]], f64)).toArray()).toEqual([[-1, 3], [1, -1]]);
    const two = new nn.LayerNorm([2, 2], { eps: 0, elementwiseAffine: false, dtype: "float64" });
    expect(two.parameters()).toEqual([]);
    expect(two.forward(nb.tensor([[1, 1], [3, 3]], f64)).toArray()).toEqual([[-1, -1], [1, 1]]);
    expect(() => ln.forward(nb.ones([2, 3], f64))).toThrow(/does not end with normalizedShape \[2\]/);
  });

  it("GroupNorm standardises each sample's groups of contiguous channels", () => {
    const gn = new nn.GroupNorm(2, 4, { eps: 0, dtype: "float64" });
    gn.weight!.data.set([1, 1, 2, 2]);
    // Sample 0: group 0 = channels 0,1 = [1, 3] -> [-1, 1]; group 1 = channels 2,3 = [0, 4] -> [-1, 1] * 2.
    expect(gn.forward(nb.tensor([[1, 3, 0, 4]], f64)).toArray()).toEqual([[-1, 1, -2, 2]]);
    expect(() => new nn.GroupNorm(3, 4)).toThrow(/divisible by numGroups/);
  });

  it("pass gradcheck", () => {
    const g = new nb.Generator(8);
    const x = nb.randn([2, 4, 3], { dtype: "float64", generator: g }).requiresGrad_();
    const w = nb.randn([4, 3], { dtype: "float64", generator: g }).requiresGrad_();
    const b = nb.randn([4, 3], { dtype: "float64", generator: g }).requiresGrad_();
    nb.gradcheck((input, weight, bias) => nb.nn.functional.layerNorm(input, [4, 3], { weight, bias }), [x, w, b]);
    const wc = nb.randn([4], { dtype: "float64", generator: g }).requiresGrad_();
    const bc = nb.randn([4], { dtype: "float64", generator: g }).requiresGrad_();
    nb.gradcheck((input, weight, bias) => nb.nn.functional.groupNorm(input, 2, { weight, bias }), [x, wc, bc]);
  });

  for (const name of ["LayerNorm", "GroupNorm"]) {
    it.each(casesFor("module", name).map((c) => [c.id, c] as const))("matches torch: %s", (_id, c) => {
      for (const dtype of ["float64", "float32"] as const) expectWithin(c, runModuleCase(c, buildModule(c, dtype), dtype), dtype);
    });
  }
});
