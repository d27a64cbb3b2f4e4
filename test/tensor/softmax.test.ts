import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { expectClose, gradcheckSecondOrder, naiveReduce, randomTensor } from "./reduce-naive.js";

const logits = fc.array(fc.double({ min: -50, max: 50, noNaN: true }), { minLength: 1, maxLength: 8 });

describe("softmax", () => {
  it("normalises exp along the last axis by default", () => {
    const x = nb.tensor([[0, Math.log(2), Math.log(3)], [5, 5, 5]], { dtype: "float64" });
    expectClose(x.softmax().data, [1 / 6, 2 / 6, 3 / 6, 1 / 3, 1 / 3, 1 / 3], 1e-15);
    expectClose(nb.softmax(x, 0).data, [1 / (1 + Math.exp(5)), 2 / (2 + Math.exp(5)), 3 / (3 + Math.exp(5)), Math.exp(5) / (1 + Math.exp(5)), Math.exp(5) / (2 + Math.exp(5)), Math.exp(5) / (3 + Math.exp(5))], 1e-14);
  });

  it("works along any axis of a 3-D tensor, negative axes included", () => {
    const t = randomTensor([2, 3, 4], 31, false);
    for (const axis of [0, 1, 2, -2]) {
      const a = axis < 0 ? axis + 3 : axis;
      const s = t.softmax(axis);
      expect(s.shape).toEqual([2, 3, 4]);
      // every lane sums to 1, and each entry is exp(x)/sum(exp(x)) of its lane
      expectClose(naiveReduce(s.data, s.shape, [a], (v) => v.reduce((p, q) => p + q, 0)), new Array(s.size / t.shape[a]!).fill(1), 1e-14);
      const denominators = nb.sum(nb.tensor(Float64Array.from(t.data, Math.exp), { shape: t.shape }), a, true).expand(t.shape);
      expectClose(s.data, Float64Array.from(t.data, (v, i) => Math.exp(v) / denominators.data[i]!), 1e-13);
    }
  });

  it("subtracts the row maximum: rows of equal large logits give exactly 1/n", () => {
    const x = nb.tensor([[1e4, 1e4, 1e4, 1e4], [1e4, -1e4, 0, 0], [-1e4, -1e4, -1e4, -1e4]]);
    expect(Array.from(x.softmax(1).data)).toEqual([0.25, 0.25, 0.25, 0.25, 1, 0, 0, 0, 0.25, 0.25, 0.25, 0.25]);
    expect(x.softmax().dtype).toBe("float32");
  });

  it("gives float32 for int32 input", () => {
    const s = nb.tensor([1, 1], { dtype: "int32" }).softmax();
    expect(s.dtype).toBe("float32");
    expect(Array.from(s.data)).toEqual([0.5, 0.5]);
  });

  it("has gradient y * (g - sum(g * y))", () => {
    const x = nb.tensor([0, Math.log(3)], { dtype: "float64", requiresGrad: true });
    x.softmax().backward(nb.tensor([1, 0], { dtype: "float64" }));
    // y = [1/4, 3/4], g = [1, 0]: sum(g y) = 1/4 -> [1/4 * 3/4, 3/4 * -1/4]
    expectClose(x.grad!.data, [3 / 16, -3 / 16], 1e-15);
    const t = randomTensor([2, 3, 2], 32);
    nb.gradcheck((y) => y.softmax(), [t]);
    nb.gradcheck((y) => y.softmax(1), [t]);
    nb.gradcheck((y) => y.softmax(0), [t]);
    gradcheckSecondOrder((y) => y.softmax(1).mul(y).sum(), t);
  });
});

describe("logSoftmax", () => {
  it("is x - max - log(sum(exp(x - max)))", () => {
    const x = nb.tensor([[0, Math.log(2), Math.log(3)]], { dtype: "float64" });
    expectClose(x.logSoftmax().data, [Math.log(1 / 6), Math.log(2 / 6), Math.log(3 / 6)], 1e-14);
    expect(nb.logSoftmax(x, 0).toArray()).toEqual([[0, 0, 0]]);
  });

  it("stays finite where softmax underflows", () => {
    const x = nb.tensor([[1e4, -1e4], [-1e4, -1e4]]);
    expect(x.logSoftmax().toArray()).toEqual([[0, -2e4], [-Math.log(2), -Math.log(2)].map(Math.fround)]);
  });

  it("has gradient g - softmax(x) * sum(g)", () => {
    const x = nb.tensor([0, Math.log(3)], { dtype: "float64", requiresGrad: true });
    x.logSoftmax().backward(nb.tensor([1, 2], { dtype: "float64" }));
    expectClose(x.grad!.data, [1 - 0.25 * 3, 2 - 0.75 * 3], 1e-15);
    const t = randomTensor([3, 2, 2], 33);
    nb.gradcheck((y) => y.logSoftmax(), [t]);
    nb.gradcheck((y) => y.logSoftmax(-3), [t]);
    gradcheckSecondOrder((y) => y.logSoftmax(1).mul(y.softmax(1)).sum(), t);
  });

  it("rejects bad axes", () => {
    const x = nb.tensor([[1, 2]]);
    expect(() => x.logSoftmax(2)).toThrow(/logSoftmax: axis 2 is out of range for a tensor of 2 dimensions/);
    expect(() => x.softmax(-3)).toThrow(/softmax: axis -3 is out of range/);
    expect(() => nb.softmax(x, [0] as unknown as number)).toThrow(/softmax: axis must be a single number/);
  });
});

describe("softmax properties", () => {
  it("rows sum to 1 and entries lie in [0, 1]", () => {
    fc.assert(
      fc.property(logits, (v) => {
        const s = nb.tensor(v, { dtype: "float64" }).softmax();
        expect(Math.abs(s.sum().item() - 1)).toBeLessThan(1e-12);
        for (const p of s.data) expect(p >= 0 && p <= 1).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it("logSoftmax equals log(softmax) and logsumexp shifts it", () => {
    fc.assert(
      fc.property(logits, (v) => {
        const x = nb.tensor(v, { dtype: "float64" });
        const s = x.softmax();
        const l = x.logSoftmax();
        const lse = x.logsumexp().item();
        for (let i = 0; i < v.length; i++) {
          if (s.data[i]! > 1e-300) expect(Math.abs(l.data[i]! - Math.log(s.data[i]!))).toBeLessThan(1e-10);
          expect(Math.abs(l.data[i]! - (v[i]! - lse))).toBeLessThan(1e-10);
        }
      }),
      { numRuns: 100 },
    );
  });

  it("is unchanged by adding a constant, and keeps the argmax", () => {
    fc.assert(
      fc.property(logits, fc.double({ min: -1e3, max: 1e3, noNaN: true }), (v, c) => {
        const x = nb.tensor(v, { dtype: "float64" });
        expectClose(x.add(c).softmax().data, x.softmax().data, 1e-9);
        expect(x.softmax().data[x.argmax().item()]).toBe(x.softmax().max().item());
      }),
      { numRuns: 100 },
    );
  });
});
