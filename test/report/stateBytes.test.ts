import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { optimizerStateBytes } from "../../src/report/stateBytes.js";

describe("optimizer state bytes", () => {
  it("is 0 for anything without a state dict", () => {
    expect(optimizerStateBytes({})).toBe(0);
    expect(optimizerStateBytes({ stateDict: () => ({ state: { 0: { m: new Float32Array(3) } }, paramGroups: [] }) })).toBe(12);
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
