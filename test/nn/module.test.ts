import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const { nn } = nb;

/** A two-layer perceptron written the way users write models: submodules as class fields. */
class MLP extends nn.Module {
  fc1 = new nn.Linear(3, 4, { generator: new nb.Generator(1) });
  act = new nn.ReLU();
  fc2 = new nn.Linear(4, 2, { generator: new nb.Generator(2) });

  override forward(x: nb.Tensor): nb.Tensor {
    return this.fc2.forward(this.act.forward(this.fc1.forward(x)));
  }
}

/** A module with its own parameter, a buffer and a child, registered in that order. */
class Scaled extends nn.Module {
  scale: nb.Tensor;
  inner = new nn.BatchNorm1d(2);

  constructor() {
    super();
    this.scale = this.registerParameter("scale", nb.ones([2]));
    this.registerBuffer("steps", nb.zeros([], { dtype: "int32" }));
    this.registerBuffer("cache", nb.zeros([2]), false);
  }

  override forward(x: nb.Tensor): nb.Tensor {
    return this.inner.forward(x).mul(this.scale);
  }
}

describe("Module registration and traversal", () => {
  it("finds submodules and parameters assigned as fields, with torch's dotted names in order", () => {
    const m = new MLP();
    expect(m.namedParameters().map(([n]) => n)).toEqual(["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]);
    expect(m.parameters()).toEqual([m.fc1.weight, m.fc1.bias, m.fc2.weight, m.fc2.bias]);
    expect(m.namedChildren().map(([n]) => n)).toEqual(["fc1", "act", "fc2"]);
    expect(m.children()).toEqual([m.fc1, m.act, m.fc2]);
    expect(m.namedModules().map(([n]) => n)).toEqual(["", "fc1", "act", "fc2"]);
    expect(m.modules()[0]).toBe(m);
    expect(m.numParameters()).toBe(3 * 4 + 4 + 4 * 2 + 2);
    expect(m.parameters().every((p) => p.requiresGrad)).toBe(true);
  });

  it("lists own parameters before the children's, buffers separately, and skips null slots", () => {
    const m = new Scaled();
    expect(m.namedParameters().map(([n]) => n)).toEqual(["scale", "inner.weight", "inner.bias"]);
    expect(m.namedBuffers().map(([n]) => n)).toEqual([
      "steps",
      "cache",
      "inner.running_mean",
      "inner.running_var",
      "inner.num_batches_tracked",
    ]);
    expect(m.namedParameters("", false).map(([n]) => n)).toEqual(["scale"]);
    const noBias = new nn.Linear(2, 2, { bias: false });
    expect(noBias.bias).toBeNull();
    expect(noBias.namedParameters().map(([n]) => n)).toEqual(["weight"]);
  });

  it("picks up a leaf tensor field that requires grad without registration, but not computed tensors", () => {
    class Raw extends nn.Module {
      w = nb.tensor([1, 2], { requiresGrad: true });
      constant = nb.tensor([3, 4]);
      cached: nb.Tensor | null = null;
    }
    const m = new Raw();
    m.cached = m.w.mul(2); // requires grad but is not a leaf
    expect(m.namedParameters().map(([n]) => n)).toEqual(["w"]);
  });

  it("keeps a registered parameter when it is frozen, and lists a shared tensor once", () => {
    const m = new MLP();
    m.fc1.requiresGrad_(false);
    expect(m.parameters()).toHaveLength(4);
    expect(m.numParameters(true)).toBe(4 * 2 + 2);
    const shared = new nn.Sequential(m.fc2, m.fc2);
    expect(shared.parameters()).toHaveLength(2);
    expect(Object.keys(shared.stateDict())).toEqual(["0.weight", "0.bias", "1.weight", "1.bias"]);
  });

  it("rejects bad registrations with the name in the message", () => {
    const m = new nn.Module();
    expect(() => m.registerParameter("a.b", nb.zeros([1]))).toThrow(/without "."/);
    expect(() => m.registerParameter("x", nb.zeros([1], { dtype: "int32" }))).toThrow(/floating/);
    const computed = nb.tensor([1], { requiresGrad: true }).mul(2);
    expect(() => m.registerParameter("y", computed)).toThrow(/not a leaf/);
    m.registerBuffer("b", nb.zeros([1]));
    expect(() => m.registerParameter("b", nb.zeros([1]))).toThrow(/already a buffer/);
    expect(() => m.forward()).toThrow(/does not define forward/);
  });
});

describe("Module modes and helpers", () => {
  it("train() and eval() propagate to every submodule", () => {
    const m = new nn.Sequential(new MLP(), new nn.Dropout(0.5), new nn.Sequential(new nn.BatchNorm1d(2)));
    expect(m.modules().every((x) => x.training)).toBe(true);
    expect(m.eval()).toBe(m);
    expect(m.modules().every((x) => !x.training)).toBe(true);
    m.train();
    expect(m.modules().every((x) => x.training)).toBe(true);
    m.train(false);
    expect(m.modules().map((x) => x.training)).toEqual(m.modules().map(() => false));
  });

  it("call() is forward", () => {
    const m = new MLP();
    const x = nb.tensor([[1, 2, 3]]);
    expect(m.call(x).toArray()).toEqual(m.forward(x).toArray());
  });

  it("zeroGrad clears gradients (to null by default, or to zeros)", () => {
    const m = new MLP();
    m.forward(nb.tensor([[1, -2, 3]])).sum().backward();
    expect(m.parameters().every((p) => p.grad !== null)).toBe(true);
    m.zeroGrad(false);
    expect(m.parameters().every((p) => p.grad !== null && p.grad.data.every((v) => v === 0))).toBe(true);
    m.zeroGrad();
    expect(m.parameters().every((p) => p.grad === null)).toBe(true);
  });

  it("apply visits children before the module itself", () => {
    const m = new MLP();
    const seen: string[] = [];
    m.apply((x) => seen.push(x.constructor.name));
    expect(seen).toEqual(["Linear", "ReLU", "Linear", "MLP"]);
  });

  it("prints a torch-style summary", () => {
    const s = new nn.Sequential(new nn.Linear(2, 3), new nn.ReLU()).toString();
    expect(s).toBe("Sequential(\n  (0): Linear(inFeatures=2, outFeatures=3, bias=true)\n  (1): ReLU()\n)");
  });
});

describe("stateDict and loadStateDict", () => {
  it("holds copies of parameters and persistent buffers under torch's names", () => {
    const m = new Scaled();
    const sd = m.stateDict();
    expect(Object.keys(sd)).toEqual([
      "scale",
      "steps",
      "inner.weight",
      "inner.bias",
      "inner.running_mean",
      "inner.running_var",
      "inner.num_batches_tracked",
    ]);
    expect(sd["inner.num_batches_tracked"]!.dtype).toBe("int32");
    sd.scale!.data[0] = 42;
    expect(m.scale.data[0]).toBe(1);
  });

  it("round-trips a trained model into a fresh one", () => {
    const a = new MLP();
    const b = new MLP();
    b.fc1.weight.data.fill(0);
    const x = nb.tensor([[0.5, -1, 2], [1, 1, 1]]);
    expect(b.forward(x).toArray()).not.toEqual(a.forward(x).toArray());
    const result = b.loadStateDict(a.stateDict());
    expect(result).toEqual({ missingKeys: [], unexpectedKeys: [] });
    expect(b.forward(x).toArray()).toEqual(a.forward(x).toArray());
    // Loading copies in place: the parameter objects (which optimizers hold) stay the same.
    expect(b.parameters()[0]).toBe(b.fc1.weight);
  });

  it("round-trips BatchNorm running statistics and converts dtypes", () => {
    const bn = new nn.BatchNorm1d(2);
    bn.forward(nb.tensor([[1, 2], [3, 5], [4, 0]]));
    const copy = new nn.BatchNorm1d(2, { dtype: "float64" });
    copy.loadStateDict(bn.stateDict());
    expect(Array.from(copy.runningMean!.data)).toEqual(Array.from(bn.runningMean!.data).map((v) => v));
    expect(copy.numBatchesTracked!.item()).toBe(1);
    expect(copy.runningVar!.dtype).toBe("float64");
  });

  it("a failing strict load changes nothing and names every problem", () => {
    const m = new MLP();
    const before = m.stateDict();
    const other = new MLP();
    other.fc1.weight.data.fill(7);
    const sd = other.stateDict();
    sd["fc2.weight"] = nb.zeros([3, 3]); // wrong shape
    delete sd["fc2.bias"]; // missing
    sd["extra"] = nb.zeros([1]); // unexpected
    expect(() => m.loadStateDict(sd)).toThrow(/missing keys: fc2\.bias.*unexpected keys: extra.*"fc2\.weight" has shape \[3,3\] but the module's has \[2,4\]/);
    for (const [name, t] of Object.entries(m.stateDict())) expect(Array.from(t.data)).toEqual(Array.from(before[name]!.data));
  });

  it("non-strict load reports missing and unexpected keys but still checks shapes", () => {
    const m = new MLP();
    const sd = new MLP().stateDict();
    delete sd["fc2.bias"];
    sd["extra"] = nb.zeros([1]);
    expect(m.loadStateDict(sd, { strict: false })).toEqual({ missingKeys: ["fc2.bias"], unexpectedKeys: ["extra"] });
    expect(Array.from(m.fc1.weight.data)).toEqual(Array.from(sd["fc1.weight"]!.data));
    sd["fc1.bias"] = nb.zeros([5]);
    expect(() => m.loadStateDict(sd, { strict: false })).toThrow(/fc1\.bias/);
  });
});
