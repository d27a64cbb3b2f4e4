import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { buildModule, casesFor, expectWithin, runModuleCase } from "./helpers.js";

const { nn } = nb;

function conv(inC: number, outC: number, k: number | [number, number], options: nb.nn.Conv2dLayerOptions = {}): nb.nn.Conv2d {
  return new nn.Conv2d(inC, outC, k, { dtype: "float64", generator: new nb.Generator(3), ...options });
}

describe("Conv2d", () => {
  it("cross-correlates without flipping the kernel", () => {
    const layer = conv(1, 1, 2);
    layer.weight.data.set([1, 2, 3, 4]);
    layer.bias!.data.set([0.5]);
    const x = nb.tensor([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]], { dtype: "float64" });
    // top-left window: 1*1 + 2*2 + 4*3 + 5*4 = 37
    expect(layer.forward(x).toArray()).toEqual([[[[37.5, 47.5], [67.5, 77.5]]]]);
  });

  it("pads with the chosen padding mode before convolving", () => {
    const x = nb.tensor([[[[1, 2, 3]]]], { dtype: "float64" });
    const sum3 = (mode: nb.nn.PaddingMode): number[] => {
      const layer = conv(1, 1, [1, 3], { padding: [0, 1], paddingMode: mode, bias: false });
      layer.weight.data.fill(1);
      return Array.from(layer.forward(x).data);
    };
    expect(sum3("zeros")).toEqual([3, 6, 5]);
    expect(sum3("reflect")).toEqual([2 + 1 + 2, 6, 2 + 3 + 2]);
    expect(sum3("replicate")).toEqual([1 + 1 + 2, 6, 2 + 3 + 3]);
    expect(sum3("circular")).toEqual([3 + 1 + 2, 6, 2 + 3 + 1]);
  });

  it("keeps the size with padding 'same', the extra row and column at the bottom/right", () => {
    const layer = conv(1, 1, 2, { padding: "same", paddingMode: "replicate", bias: false });
    layer.weight.data.set([1, 0, 0, 0]);
    const x = nb.tensor([[[[1, 2], [3, 4]]]], { dtype: "float64" });
    // total padding 1 per dimension, all of it at the bottom/right: the (0,0) tap reads the input itself.
    expect(layer.forward(x).toArray()).toEqual([[[[1, 2], [3, 4]]]]);
  });

  it("passes gradcheck for input, weight and bias (groups, stride, reflect padding)", () => {
    const g = new nb.Generator(11);
    const layer = conv(4, 2, [3, 2], { groups: 2, stride: [2, 1], padding: 1, paddingMode: "reflect" });
    const x = nb.randn([2, 4, 5, 4], { dtype: "float64", generator: g }).requiresGrad_();
    nb.gradcheck(
      (input, w, b) => {
        layer.weight = w;
        layer.bias = b;
        return layer.forward(input);
      },
      [x, layer.weight, layer.bias!],
    );
  });

  it("validates its arguments", () => {
    expect(() => new nn.Conv2d(3, 4, 3, { groups: 2 })).toThrow(/divisible by groups \(2\)/);
    expect(() => new nn.Conv2d(2, 2, 3, { padding: "same", stride: 2 })).toThrow(/strided/);
    expect(() => new nn.Conv2d(2, 2, 0)).toThrow(/kernelSize/);
    expect(() => new nn.Conv2d(2, 2, 3, { paddingMode: "mirror" as nb.nn.PaddingMode })).toThrow(/paddingMode/);
    expect(new nn.Conv2d(3, 8, [3, 1], { groups: 1 }).weight.shape).toEqual([8, 3, 3, 1]);
  });

  it.each(casesFor("module", "Conv2d").map((c) => [c.id, c] as const))("matches torch: %s", (_id, c) => {
    for (const dtype of ["float64", "float32"] as const) expectWithin(c, runModuleCase(c, buildModule(c, dtype), dtype), dtype);
  });
});
