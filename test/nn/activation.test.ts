import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const { nn } = nb;
const F = nb.nn.functional;

describe("activation modules", () => {
  const x = nb.tensor([-2, -0.5, 0, 0.5, 3], { dtype: "float64" });

  it("compute their functions (hand values)", () => {
    expect(Array.from(new nn.ReLU().forward(x).data)).toEqual([0, 0, 0, 0.5, 3]);
    expect(Array.from(new nn.LeakyReLU(0.1).forward(x).data)).toEqual([-0.2, -0.05, 0, 0.5, 3]);
    expect(new nn.ELU(2).forward(x).data[0]).toBeCloseTo(2 * (Math.exp(-2) - 1), 14);
    expect(new nn.Sigmoid().forward(x).data[2]).toBe(0.5);
    expect(new nn.Tanh().forward(x).data[4]).toBeCloseTo(Math.tanh(3), 14);
    expect(new nn.SiLU().forward(x).data[4]).toBeCloseTo(3 / (1 + Math.exp(-3)), 14);
    expect(new nn.GELU().forward(x).data[3]).toBeCloseTo(0.5 * 0.5 * (1 + 0.3829249225480262), 12);
    expect(new nn.Identity().forward(x)).toBe(x);
    expect(Array.from(new nn.Hardtanh(-1, 1).forward(x).data)).toEqual([-1, -0.5, 0, 0.5, 1]);
    expect(Array.from(new nn.ReLU6().forward(nb.tensor([-1, 7])).data)).toEqual([0, 6]);
  });

  it("forward to the functional ops with their options", () => {
    const cases: [nb.nn.Module & { forward(t: nb.Tensor): nb.Tensor }, (t: nb.Tensor) => nb.Tensor][] = [
      [new nn.GELU("tanh"), (t) => F.gelu(t, "tanh")],
      [new nn.SELU(), F.selu],
      [new nn.Mish(), F.mish],
      [new nn.LogSigmoid(), F.logSigmoid],
      [new nn.Softplus(2, 1), (t) => F.softplus(t, 2, 1)],
      [new nn.Softmax(0), (t) => F.softmax(t, 0)],
      [new nn.LogSoftmax(), (t) => F.logSoftmax(t, -1)],
    ];
    for (const [m, f] of cases) expect(Array.from(m.forward(x).data)).toEqual(Array.from(f(x).data));
  });

  it("Softmax and LogSoftmax work along the chosen dimension", () => {
    const logits = nb.tensor([[0, Math.log(3)], [1, 1]], { dtype: "float64" });
    const p = new nn.Softmax(1).forward(logits);
    expect(p.data[0]).toBeCloseTo(0.25, 14);
    expect(p.data[1]).toBeCloseTo(0.75, 14);
    expect(new nn.LogSoftmax(1).forward(logits).data[2]).toBeCloseTo(Math.log(0.5), 14);
    expect(new nn.Softmax(0).forward(logits).data[0]).toBeCloseTo(1 / (1 + Math.E), 14);
  });

  it("pass gradcheck inside a Sequential", () => {
    const model = new nn.Sequential(new nn.Linear(3, 4, { dtype: "float64", generator: new nb.Generator(1) }), new nn.GELU(), new nn.Tanh(), new nn.LogSoftmax());
    const input = nb.randn([2, 3], { dtype: "float64", generator: new nb.Generator(2) }).requiresGrad_();
    nb.gradcheck((t) => model.forward(t), [input]);
    expect(() => new nn.GELU("fast" as "tanh")).toThrow(/approximate/);
  });
});
