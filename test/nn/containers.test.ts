import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const { nn } = nb;

describe("Sequential", () => {
  it("applies its modules in order and names parameters 0.weight, 0.bias, ...", () => {
    const lin = new nn.Linear(2, 2);
    lin.weight.data.set([1, 2, 3, 4]);
    lin.bias!.data.set([-10, 1]);
    const seq = new nn.Sequential(lin, new nn.ReLU(), new nn.Linear(2, 1, { bias: false }));
    (seq.at(2) as nb.nn.Linear).weight.data.set([1, -1]);
    // lin([1, 1]) = [3 - 10, 7 + 1] = [-7, 8]; relu -> [0, 8]; [1, -1] . [0, 8] = -8
    expect(seq.forward(nb.tensor([[1, 1]])).toArray()).toEqual([[-8]]);
    expect(seq.namedParameters().map(([n]) => n)).toEqual(["0.weight", "0.bias", "2.weight"]);
    expect(seq.length).toBe(3);
    expect(seq[0]).toBe(lin);
    expect(seq.at(-1)).toBe(seq[2]);
    expect([...seq]).toEqual(seq.children());
    expect(() => seq.at(3)).toThrow(/out of range for 3 modules/);
  });

  it("takes named modules from an object and grows with append", () => {
    const seq = new nn.Sequential({ fc: new nn.Linear(1, 1), act: new nn.Tanh() });
    expect(seq.namedChildren().map(([n]) => n)).toEqual(["fc", "act"]);
    const grown = new nn.Sequential(new nn.Identity()).append(new nn.Sigmoid());
    expect(grown.forward(nb.tensor([0])).toArray()).toEqual([0.5]);
    expect(() => new nn.Sequential(new nn.ReLU(), 3 as unknown as nb.nn.Module)).toThrow(/argument 1: expected a Module/);
  });

  it("runs a module listed twice twice", () => {
    const double = new nn.Linear(1, 1, { bias: false });
    double.weight.data.set([2]);
    expect(new nn.Sequential(double, double).forward(nb.tensor([[3]])).toArray()).toEqual([[12]]);
  });
});

describe("ModuleList", () => {
  it("registers its modules so their parameters are found", () => {
    class Tower extends nn.Module {
      blocks = new nn.ModuleList([new nn.Linear(2, 2), new nn.Linear(2, 2)]);
      override forward(x: nb.Tensor): nb.Tensor {
        for (const b of this.blocks) x = (b as nb.nn.Linear).forward(x);
        return x;
      }
    }
    const t = new Tower();
    t.blocks.append(new nn.Linear(2, 2)).extend([new nn.Linear(2, 2)]);
    expect(t.blocks.length).toBe(4);
    expect(t.namedParameters().map(([n]) => n)).toEqual([
      "blocks.0.weight",
      "blocks.0.bias",
      "blocks.1.weight",
      "blocks.1.bias",
      "blocks.2.weight",
      "blocks.2.bias",
      "blocks.3.weight",
      "blocks.3.bias",
    ]);
    expect(t.forward(nb.ones([1, 2])).shape).toEqual([1, 2]);
    expect(() => t.blocks.forward()).toThrow(/does not define forward/);
  });
});
