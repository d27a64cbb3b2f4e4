import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const { nn } = nb;

describe("end to end", () => {
  it("an MLP with BatchNorm and Dropout learns XOR with plain gradient descent", () => {
    const g = new nb.Generator(42);
    const model = new nn.Sequential(
      new nn.Linear(2, 16, { generator: g }),
      new nn.BatchNorm1d(16),
      new nn.Tanh(),
      new nn.Dropout(0.1, { generator: g }),
      new nn.Linear(16, 2, { generator: g }),
    );
    const x = nb.tensor([[0, 0], [0, 1], [1, 0], [1, 1]]);
    const y = nb.tensor([0, 1, 1, 0], { dtype: "int32" });
    const lossFn = new nn.CrossEntropyLoss();
    let first = 0;
    let last = 0;
    for (let step = 0; step < 300; step++) {
      model.zeroGrad();
      const loss = lossFn.forward(model.forward(x), y).add(nn.l2Penalty(model).mul(1e-4));
      loss.backward();
      nb.noGrad(() => {
        for (const p of model.parameters()) p.data.set(p.sub(p.grad!.mul(0.5)).data);
      });
      if (step === 0) first = loss.item();
      last = loss.item();
    }
    expect(last).toBeLessThan(first / 5);
    model.eval();
    const predicted = nb.argmax(model.forward(x), 1);
    expect(Array.from(predicted.data)).toEqual([0, 1, 1, 0]);
  });
});
