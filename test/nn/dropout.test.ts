import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const { nn } = nb;

describe("Dropout", () => {
  it("zeroes about p of the elements in train mode and scales the rest by 1/(1-p)", () => {
    const n = 100_000;
    const p = 0.3;
    const y = new nn.Dropout(p, { generator: new nb.Generator(1) }).forward(nb.ones([n], { dtype: "float64" }));
    let zeros = 0;
    for (const v of y.data) {
      if (v === 0) zeros++;
      else expect(v).toBe(1 / (1 - p));
    }
    // Binomial(n, p): within 5 standard deviations.
    expect(Math.abs(zeros / n - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / n));
  });

  it("is the identity in eval mode, with p = 0, or with training false", () => {
    const x = nb.tensor([1, 2, 3]);
    const d = new nn.Dropout(0.9);
    d.eval();
    expect(d.forward(x)).toBe(x);
    expect(new nn.Dropout(0).forward(x)).toBe(x);
    expect(nb.nn.functional.dropout(x, 0.5, false)).toBe(x);
    expect(Array.from(new nn.Dropout(1).forward(x).data)).toEqual([0, 0, 0]);
  });

  it("passes the gradient only through kept elements, scaled", () => {
    const x = nb.ones([1000], { dtype: "float64", requiresGrad: true });
    const y = nb.nn.functional.dropout(x, 0.5, true, new nb.Generator(2));
    y.sum().backward();
    expect(Array.from(x.grad!.data)).toEqual(Array.from(y.data));
  });

  it("is reproducible from a seed, through its generator or the global one", () => {
    const x = nb.ones([64]);
    const a = new nn.Dropout(0.5, { generator: new nb.Generator(7) }).forward(x);
    const b = new nn.Dropout(0.5, { generator: new nb.Generator(7) }).forward(x);
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    nb.manualSeed(11);
    const c = new nn.Dropout(0.5).forward(x);
    nb.manualSeed(11);
    const d = new nn.Dropout(0.5).forward(x);
    expect(Array.from(c.data)).toEqual(Array.from(d.data));
    expect(() => new nn.Dropout(1.5)).toThrow(/p must be in \[0, 1\], got 1.5/);
  });
});
