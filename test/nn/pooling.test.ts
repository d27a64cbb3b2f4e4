import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { buildModule, casesFor, expectWithin, runModuleCase } from "./helpers.js";

const { nn } = nb;

const grid = nb.tensor([[[[1, 5, 2, 0], [3, -1, 4, 8], [0, 0, 6, 1], [2, 9, 3, 3]]]], { dtype: "float64" });

describe("pooling layers", () => {
  it("MaxPool2d takes each window's maximum (stride defaults to the kernel)", () => {
    expect(new nn.MaxPool2d(2).forward(grid).toArray()).toEqual([[[[5, 8], [9, 6]]]]);
    const withIndices = new nn.MaxPool2d(2, { returnIndices: true }).forward(grid);
    expect(withIndices.values.toArray()).toEqual([[[[5, 8], [9, 6]]]]);
    expect(withIndices.indices.toArray()).toEqual([[[[1, 7], [13, 10]]]]);
  });

  it("AvgPool2d averages each window; padding counts in the divisor unless told otherwise", () => {
    expect(new nn.AvgPool2d(2).forward(grid).toArray()).toEqual([[[[2, 3.5], [11 / 4, 13 / 4]]]]);
    const x = nb.tensor([[[[4, 8]]]], { dtype: "float64" });
    expect(new nn.AvgPool2d([1, 2], { stride: 1, padding: [0, 1] }).forward(x).toArray()).toEqual([[[[2, 6, 4]]]]);
    expect(new nn.AvgPool2d([1, 2], { stride: 1, padding: [0, 1], countIncludePad: false }).forward(x).toArray()).toEqual([[[[4, 6, 8]]]]);
  });

  it("AdaptiveAvgPool2d averages overlapping windows [floor(i H/out), ceil((i+1) H/out))", () => {
    const x = nb.tensor([[[[1, 2, 3]]]], { dtype: "float64" });
    expect(new nn.AdaptiveAvgPool2d([1, 2]).forward(x).toArray()).toEqual([[[[1.5, 2.5]]]]);
    expect(new nn.AdaptiveAvgPool2d(1).forward(grid).toArray()).toEqual([[[[46 / 16]]]]);
  });

  it("pass gradcheck", () => {
    const x = nb.randn([2, 2, 5, 5], { dtype: "float64", generator: new nb.Generator(4) }).requiresGrad_();
    nb.gradcheck((input) => new nn.MaxPool2d(3, { stride: 2, padding: 1 }).forward(input), [x]);
    nb.gradcheck((input) => new nn.AvgPool2d(2, { stride: 2, ceilMode: true, countIncludePad: false }).forward(input), [x]);
    nb.gradcheck((input) => new nn.AdaptiveAvgPool2d([3, 2]).forward(input), [x]);
  });

  for (const name of ["MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d"]) {
    it.each(casesFor("module", name).map((c) => [c.id, c] as const))("matches torch: %s", (_id, c) => {
      for (const dtype of ["float64", "float32"] as const) expectWithin(c, runModuleCase(c, buildModule(c, dtype), dtype), dtype);
    });
  }
});

describe("Flatten and Unflatten", () => {
  it("Flatten merges startDim..endDim (default 1..-1)", () => {
    const x = nb.zeros([2, 3, 4, 5]);
    expect(new nn.Flatten().forward(x).shape).toEqual([2, 60]);
    expect(new nn.Flatten(0).forward(x).shape).toEqual([120]);
    expect(new nn.Flatten(1, 2).forward(x).shape).toEqual([2, 12, 5]);
    expect(new nn.Flatten(-3, -2).forward(x).shape).toEqual([2, 12, 5]);
  });

  it("Unflatten splits one dimension, inferring a -1", () => {
    const x = nb.arange(24).reshape([2, 12]);
    const y = new nn.Unflatten(1, [3, -1]).forward(x);
    expect(y.shape).toEqual([2, 3, 4]);
    expect(Array.from(y.data)).toEqual(Array.from(x.data));
    expect(new nn.Unflatten(-1, [2, 2, 3]).forward(x).shape).toEqual([2, 2, 2, 3]);
    expect(() => new nn.Unflatten(1, [5, -1]).forward(x)).toThrow(/size 12 cannot be split into \[5,-1\]/);
  });

  it("pass gradcheck", () => {
    const x = nb.randn([2, 3, 4], { dtype: "float64", generator: new nb.Generator(2) }).requiresGrad_();
    nb.gradcheck((input) => new nn.Unflatten(1, [1, 3]).forward(new nn.Flatten(0, 1).forward(input).reshape([2, 3, 4])), [x]);
  });

  it.each(casesFor("module", "Flatten").map((c) => [c.id, c] as const))("matches torch: %s", (_id, c) => {
    for (const dtype of ["float64", "float32"] as const) expectWithin(c, runModuleCase(c, buildModule(c, dtype), dtype), dtype);
  });
});
