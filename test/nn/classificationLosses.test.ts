import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { expectWithin, nnCases, runLossCase } from "./helpers.js";

const F = nb.nn.functional;
const { nn } = nb;
const f64 = { dtype: "float64" } as const;
const labels = (v: nb.NestedArray): nb.Tensor => nb.tensor(v, { dtype: "int32" });

// Row 0: p = [1/4, 3/4]; row 1: p = [1/2, 1/2].
const logits = (): nb.Tensor => nb.tensor([[0, Math.log(3)], [0, 0]], f64);
const nll0 = -Math.log(0.75);
const nll1 = Math.log(2);

describe("crossEntropy and nllLoss", () => {
  it("average -log p[target], weighted by class and skipping ignoreIndex", () => {
    expect(F.crossEntropy(logits(), labels([1, 0])).item()).toBeCloseTo((nll0 + nll1) / 2, 14);
    expect(F.crossEntropy(logits(), labels([1, 0]), { reduction: "sum" }).item()).toBeCloseTo(nll0 + nll1, 14);
    const none = F.crossEntropy(logits(), labels([1, -100]), { reduction: "none" });
    expect(none.data[0]).toBeCloseTo(nll0, 14);
    expect(Math.abs(none.data[1]!)).toBe(0);
    expect(F.crossEntropy(logits(), labels([1, -100])).item()).toBeCloseTo(nll0, 14);
    const weight = nb.tensor([2, 1], f64);
    expect(F.crossEntropy(logits(), labels([1, 0]), { weight }).item()).toBeCloseTo((nll0 + 2 * nll1) / 3, 14);
    expect(F.crossEntropy(nb.tensor([0, Math.log(3)], f64), labels(1)).item()).toBeCloseTo(nll0, 14);
  });

  it("mixes in the uniform distribution with labelSmoothing", () => {
    const e = 0.2;
    const row0 = (1 - e) * nll0 + (e / 2) * (-Math.log(0.25) - Math.log(0.75));
    const row1 = (1 - e) * nll1 + (e / 2) * (2 * nll1);
    expect(F.crossEntropy(logits(), labels([1, 0]), { labelSmoothing: e }).item()).toBeCloseTo((row0 + row1) / 2, 14);
  });

  it("takes probability targets of the input's shape", () => {
    const target = nb.tensor([[0.5, 0.5], [1, 0]], f64);
    const expected = (-(0.5 * Math.log(0.25) + 0.5 * Math.log(0.75)) + nll1) / 2;
    expect(F.crossEntropy(logits(), target).item()).toBeCloseTo(expected, 14);
  });

  it("handles (N, C, d1) input with (N, d1) targets", () => {
    // Two positions in one sample; class dimension 1.
    const x = nb.tensor([[[0, 0], [Math.log(3), 0]]], f64);
    const loss = F.crossEntropy(x, labels([[1, 0]]), { reduction: "none" });
    expect(loss.shape).toEqual([1, 2]);
    expect(loss.data[0]).toBeCloseTo(nll0, 14);
    expect(loss.data[1]).toBeCloseTo(nll1, 14);
  });

  it("stays finite for logits of 1e4", () => {
    const x = nb.tensor([[1e4, -1e4]], f64);
    expect(F.crossEntropy(x, labels([1])).item()).toBe(2e4);
    expect(F.crossEntropy(x, labels([0])).item()).toBe(0);
  });

  it("nllLoss reads the input as log-probabilities, unnormalised", () => {
    const logp = nb.tensor([[-1, -2], [-3, -4]], f64);
    expect(F.nllLoss(logp, labels([1, 0])).item()).toBe(2.5);
    expect(F.nllLoss(logp, labels([1, 0]), { weight: nb.tensor([3, 1], f64) }).item()).toBe((2 + 9) / 4);
    expect(() => F.nllLoss(logp, nb.tensor([1, 0], f64))).toThrow(/int32 class indices/);
  });

  it("pass gradcheck (class indices with smoothing and weights; probability targets)", () => {
    const g = new nb.Generator(6);
    const x = nb.randn([4, 3, 2], { dtype: "float64", generator: g }).requiresGrad_();
    const weight = nb.tensor([0.5, 2, 1], f64);
    const t = labels([[0, 1], [2, 2], [1, -100], [0, 2]]);
    nb.gradcheck((a) => F.crossEntropy(a, t, { weight, labelSmoothing: 0.1 }), [x]);
    nb.gradcheck((a) => F.nllLoss(a, t, { weight, reduction: "none" }), [x]);
    const p = nb.softmax(nb.randn([4, 3, 2], { dtype: "float64", generator: g }), 1).detach().requiresGrad_();
    nb.gradcheck((a, b) => F.crossEntropy(a, b, { weight, labelSmoothing: 0.3 }), [x, p]);
  });

  it("validate targets and options", () => {
    expect(() => F.crossEntropy(logits(), labels([2, 0]))).toThrow(/target 2 at position 0 is out of range for 2 classes/);
    expect(() => F.crossEntropy(logits(), labels([1]))).toThrow(/must have shape \[2\]/);
    expect(() => F.crossEntropy(logits(), labels([1, 0]), { weight: nb.ones([3]) })).toThrow(/weight must have shape \[2\]/);
    expect(() => F.crossEntropy(logits(), labels([1, 0]), { labelSmoothing: 1.5 })).toThrow(/labelSmoothing/);
  });

  it("CrossEntropyLoss and NLLLoss modules keep the class weight as a buffer", () => {
    const weight = nb.tensor([2, 1], f64);
    const ce = new nn.CrossEntropyLoss({ weight, labelSmoothing: 0.1 });
    expect(ce.forward(logits(), labels([1, 0])).item()).toBe(F.crossEntropy(logits(), labels([1, 0]), { weight, labelSmoothing: 0.1 }).item());
    expect(Object.keys(ce.stateDict())).toEqual(["weight"]);
    expect(Object.keys(new nn.CrossEntropyLoss().stateDict())).toEqual([]);
    const nll = new nn.NLLLoss({ reduction: "sum", ignoreIndex: 0 });
    expect(nll.forward(nb.tensor([[-1, -2], [-3, -4]], f64), labels([1, 0])).item()).toBe(2);
  });
});

describe("binaryCrossEntropyWithLogits and klDiv", () => {
  it("BCE with logits: hand values, posWeight, weight and extreme logits", () => {
    const x = nb.tensor([0, 0, 1e4, -1e4], f64).requiresGrad_();
    const y = nb.tensor([1, 0, 0, 0], f64);
    const loss = F.binaryCrossEntropyWithLogits(x, y, { reduction: "none" });
    expect(Array.from(loss.data)).toEqual([Math.LN2, Math.LN2, 1e4, 0]);
    loss.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual([-0.5, 0.5, 1, 0]);
    const pw = F.binaryCrossEntropyWithLogits(nb.tensor([[0, 0]], f64), nb.tensor([[1, 1]], f64), {
      posWeight: nb.tensor([3, 1], f64),
      weight: nb.tensor([[2, 1]], f64),
      reduction: "sum",
    });
    expect(pw.item()).toBeCloseTo(7 * Math.LN2, 14);
    const m = new nn.BCEWithLogitsLoss({ posWeight: nb.tensor([3, 1], f64) });
    expect(Object.keys(m.stateDict())).toEqual(["pos_weight"]);
    expect(m.forward(nb.tensor([[0, 0]], f64), nb.tensor([[1, 1]], f64)).item()).toBeCloseTo(2 * Math.LN2, 14);
  });

  it("klDiv: target (log target - input), 0 where the target is 0; batchmean divides by N", () => {
    const logq = nb.tensor([[Math.log(0.25), Math.log(0.75)], [Math.log(0.5), Math.log(0.5)]], f64);
    const p = nb.tensor([[0.5, 0.5], [1, 0]], f64);
    const kl0 = 0.5 * Math.log(2) + 0.5 * Math.log(2 / 3);
    const kl1 = Math.log(2);
    expect(F.klDiv(logq, p, { reduction: "batchmean" }).item()).toBeCloseTo((kl0 + kl1) / 2, 14);
    expect(F.klDiv(logq, p, { reduction: "sum" }).item()).toBeCloseTo(kl0 + kl1, 14);
    expect(F.klDiv(logq, p).item()).toBeCloseTo((kl0 + kl1) / 4, 14);
    expect(F.klDiv(logq, nb.log(p.add(1e-300)), { reduction: "batchmean", logTarget: true }).item()).toBeCloseTo((kl0 + kl1) / 2, 12);
    expect(new nn.KLDivLoss({ reduction: "sum" }).forward(logq, p).item()).toBeCloseTo(kl0 + kl1, 14);
  });

  it("pass gradcheck", () => {
    const g = new nb.Generator(9);
    const x = nb.randn([3, 4], { dtype: "float64", generator: g }).requiresGrad_();
    const y = nb.rand([3, 4], { dtype: "float64", generator: g }).requiresGrad_();
    const w = nb.rand([4], { dtype: "float64", generator: g });
    const pw = nb.rand([4], { dtype: "float64", generator: g }).mul(3);
    nb.gradcheck((a, b) => F.binaryCrossEntropyWithLogits(a, b, { weight: w, posWeight: pw }), [x, y]);
    const logq = nb.logSoftmax(x, 1).detach().requiresGrad_();
    nb.gradcheck((a, b) => F.klDiv(a, b, { reduction: "batchmean" }), [logq, y]);
    nb.gradcheck((a, b) => F.klDiv(a, b, { logTarget: true, reduction: "none" }), [logq, x]);
  });

  const cases = nnCases().filter((c) => c.kind === "loss" && /cross_entropy|nll|kl_div/.test(c.torch_function!));
  it.each(cases.map((c) => [c.id, c] as const))("matches torch: %s", (_id, c) => {
    for (const dtype of ["float64", "float32"] as const) expectWithin(c, runLossCase(c, dtype), dtype);
  });
});
