import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { optimizerStateBytes, typedArrayBytes } from "../../src/report/stateBytes.js";

describe("optimizer state bytes", () => {
  it("sums typed arrays through arrays and records, ignoring numbers", () => {
    const state = { step: 3, m: new Float32Array(10), nested: [new Float64Array(2), { v: new Int32Array(5), flag: true }] };
    expect(typedArrayBytes(state)).toBe(10 * 4 + 2 * 8 + 5 * 4);
    expect(typedArrayBytes(null)).toBe(0);
    expect(optimizerStateBytes({})).toBe(0);
  });

  it("is 0 for plain SGD, one buffer for momentum and two for Adam", () => {
    const w = nb.tensor([[1, 2, 3], [4, 5, 6]], { requiresGrad: true });
    const b = nb.tensor([1, 2], { requiresGrad: true });
    const step = (opt: { zeroGrad(): void; step(): unknown }) => {
      opt.zeroGrad();
      w.matmul(nb.tensor([[1], [1], [1]])).add(b.reshape([2, 1])).sum().backward();
      opt.step();
    };
    const sgd = new nb.optim.SGD([w, b], { lr: 0.1 });
    step(sgd);
    expect(optimizerStateBytes(sgd)).toBe(0);
    const momentum = new nb.optim.SGD([w, b], { lr: 0.1, momentum: 0.9 });
    expect(optimizerStateBytes(momentum)).toBe(0);
    step(momentum);
    expect(optimizerStateBytes(momentum)).toBe(8 * 4);
    const adam = new nb.optim.Adam([w, b], { lr: 0.1 });
    step(adam);
    expect(optimizerStateBytes(adam)).toBe(2 * 8 * 4);
  });
});
