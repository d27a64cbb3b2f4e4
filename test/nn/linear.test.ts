import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { buildModule, casesFor, expectWithin, runModuleCase } from "./helpers.js";

const { nn } = nb;

describe("Linear", () => {
  it("computes x W^T + b for batched and unbatched input", () => {
    const layer = new nn.Linear(2, 3, { dtype: "float64" });
    layer.weight.data.set([1, 2, 0, -1, 3, 0.5]);
    layer.bias!.data.set([0.5, 0, -1]);
    expect(layer.forward(nb.tensor([[1, 1], [2, -2]], { dtype: "float64" })).toArray()).toEqual([
      [3.5, -1, 2.5],
      [-1.5, 2, 4],
    ]);
    expect(layer.forward(nb.tensor([1, 1], { dtype: "float64" })).toArray()).toEqual([3.5, -1, 2.5]);
    expect(layer.forward(nb.zeros([2, 4, 2], { dtype: "float64" })).shape).toEqual([2, 4, 3]);
    expect(layer.toString()).toBe("Linear(inFeatures=2, outFeatures=3, bias=true)");
  });

  it("passes gradcheck for input, weight and bias", () => {
    const g = new nb.Generator(7);
    const layer = new nn.Linear(3, 2, { dtype: "float64", generator: g });
    const x = nb.randn([4, 3], { dtype: "float64", generator: g }).requiresGrad_();
    nb.gradcheck(
      (input, w, b) => {
        layer.weight = w;
        layer.bias = b;
        return layer.forward(input);
      },
      [x, layer.weight, layer.bias!],
    );
  });

  it("draws reproducible weights from a generator and validates its arguments", () => {
    const a = new nn.Linear(4, 4, { generator: new nb.Generator(1) });
    const b = new nn.Linear(4, 4, { generator: new nb.Generator(1) });
    expect(Array.from(a.weight.data)).toEqual(Array.from(b.weight.data));
    expect(() => new nn.Linear(2.5, 3)).toThrow(/inFeatures must be a non-negative integer, got 2.5/);
    expect(() => new nn.Linear(2, 3, { dtype: "int32" })).toThrow(/floating/);
  });

  it.each(casesFor("module", "Linear").map((c) => [c.id, c] as const))("matches torch: %s", (_id, c) => {
    for (const dtype of ["float64", "float32"] as const) expectWithin(c, runModuleCase(c, buildModule(c, dtype), dtype), dtype);
  });
});
