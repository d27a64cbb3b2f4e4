import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as nb from "../../src/index.js";
import { poolOutputSize } from "../../src/tensor/kernels/pool.js";
import { adaptivePlan, avgPoolPlan, windowAverage, windowAverageTranspose } from "../../src/tensor/ops/pool-average.js";
import { gatherPlanes, scatterPlanes } from "../../src/tensor/ops/pool-planes.js";
import { checkCase, nnCases } from "./linalg-conformance.js";

const f64 = (data: nb.NestedArray) => nb.tensor(data, { dtype: "float64" });
const randn = (shape: number[], seed: number) => nb.randn(shape, { dtype: "float64", generator: new nb.Generator(seed) });
const arange4x4 = () => nb.arange(1, 17, 1, { dtype: "float64" }).reshape([1, 1, 4, 4]);

describe("pooling output size", () => {
  it("follows floor((H + 2p - d(k-1) - 1)/s) + 1, and ceilMode's last-window rule", () => {
    expect(poolOutputSize(4, 2, 2, 0, 1, false)).toBe(2);
    expect(poolOutputSize(5, 2, 2, 0, 1, false)).toBe(2);
    expect(poolOutputSize(5, 2, 2, 0, 1, true)).toBe(3); // ceil(3/2) + 1; last window starts at 4 < 5
    expect(poolOutputSize(6, 3, 2, 0, 1, true)).toBe(3);
    // ceil gives ceil(5/2) + 1 = 4, but the last window would start at (4-1)*2 = 6 >= H + p (padded coordinates): dropped.
    expect(poolOutputSize(5, 2, 2, 1, 1, true)).toBe(3);
    expect(poolOutputSize(7, 3, 2, 1, 2, false)).toBe(3); // dilation 2: floor((7 + 2 - 4 - 1)/2) + 1
  });
});

describe("maxPool2d", () => {
  it("takes window maxima with flat h*W + w indices", () => {
    const { values, indices } = nb.maxPool2dWithIndices(arange4x4(), 2);
    expect(values.toArray()).toEqual([[[[6, 8], [14, 16]]]]);
    expect(indices.dtype).toBe("int32");
    expect(indices.toArray()).toEqual([[[[5, 7], [13, 15]]]]);
    expect(nb.maxPool2d(arange4x4(), 2, { stride: 1 }).toArray()).toEqual([[[[6, 7, 8], [10, 11, 12], [14, 15, 16]]]]);
  });

  it("pads with -inf, not 0", () => {
    const x = nb.full([1, 1, 2, 2], -1, { dtype: "float64" });
    expect(nb.maxPool2d(x, 2, { stride: 1, padding: 1 }).toArray()).toEqual([[[[-1, -1, -1], [-1, -1, -1], [-1, -1, -1]]]]);
  });

  it("gives ties to the first maximum in row-major order; overlapping windows add gradients there", () => {
    const x = f64([[[[1, 3, 3], [3, 1, 1]]]]).requiresGrad_();
    const { values, indices } = nb.maxPool2dWithIndices(x, 2, { stride: 1 });
    expect(values.toArray()).toEqual([[[[3, 3]]]]);
    expect(indices.toArray()).toEqual([[[[1, 1]]]]);
    values.sum().backward();
    expect(x.grad!.toArray()).toEqual([[[[0, 2, 0], [0, 0, 0]]]]);
  });

  it("applies ceilMode, dilation and rectangular kernels", () => {
    const row = f64([[[[1, 5, 2, 4, 3]]]]);
    const ceil = nb.maxPool2dWithIndices(row, [1, 2], { ceilMode: true });
    expect(ceil.values.toArray()).toEqual([[[[5, 4, 3]]]]);
    expect(ceil.indices.toArray()).toEqual([[[[1, 3, 4]]]]);
    expect(nb.maxPool2d(row, [1, 2]).toArray()).toEqual([[[[5, 4]]]]);
    const dil = nb.maxPool2dWithIndices(row, [1, 2], { stride: 1, dilation: [1, 2] });
    expect(dil.values.toArray()).toEqual([[[[2, 5, 3]]]]);
    expect(dil.indices.toArray()).toEqual([[[[2, 1, 4]]]]);
  });

  it("takes a 3-D input as one unbatched sample, and int32 input", () => {
    const x = nb.tensor([[[1, 2], [3, 4]], [[8, 7], [6, 5]]], { dtype: "int32" });
    const out = x.maxPool2d(2);
    expect(out.dtype).toBe("int32");
    expect(out.toArray()).toEqual([[[4]], [[8]]]);
  });

  it("agrees with the definition on random configurations", () => {
    const cfg = fc.record({
      k: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      s: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
      d: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
      pFrac: fc.tuple(fc.boolean(), fc.boolean()),
      ceilMode: fc.boolean(),
      h: fc.integer({ min: 5, max: 8 }),
      w: fc.integer({ min: 5, max: 8 }),
      seed: fc.integer(),
    });
    fc.assert(
      fc.property(cfg, ({ k, s, d, pFrac, ceilMode, h, w, seed }) => {
        const p: [number, number] = [pFrac[0] ? Math.floor(k[0] / 2) : 0, pFrac[1] ? Math.floor(k[1] / 2) : 0];
        // Integer values make ties common: the first maximum must win.
        const x = nb.randint(0, 4, [2, 2, h, w], { generator: new nb.Generator(seed) }).to("float64");
        const { values, indices } = nb.maxPool2dWithIndices(x, k, { stride: s, padding: p, dilation: d, ceilMode });
        const size = (n: number, a: 0 | 1) => {
          const span = n + 2 * p[a] - d[a] * (k[a] - 1) - 1;
          let o = (ceilMode ? Math.ceil(span / s[a]) : Math.floor(span / s[a])) + 1;
          if (ceilMode && (o - 1) * s[a] >= n + p[a]) o--;
          return o;
        };
        const [oh, ow] = [size(h, 0), size(w, 1)];
        expect(values.shape).toEqual([2, 2, oh, ow]);
        let o = 0;
        for (let plane = 0; plane < 4; plane++) {
          for (let i = 0; i < oh; i++) {
            for (let j = 0; j < ow; j++, o++) {
              let best = -Infinity;
              let at = -1;
              for (let t = 0; t < k[0]; t++) {
                for (let u = 0; u < k[1]; u++) {
                  const r = i * s[0] - p[0] + t * d[0];
                  const c = j * s[1] - p[1] + u * d[1];
                  if (r < 0 || r >= h || c < 0 || c >= w) continue;
                  const v = x.data[plane * h * w + r * w + c]!;
                  if (v > best) [best, at] = [v, r * w + c];
                }
              }
              expect(values.data[o]).toBe(best);
              expect(indices.data[o]).toBe(at);
            }
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  const gradConfigs: [string, number[], nb.IntPair, nb.MaxPool2dOptions][] = [
    ["k2", [2, 2, 4, 4], 2, {}],
    ["overlapping k3 s1", [1, 2, 4, 5], 3, { stride: 1 }],
    ["padding and ceilMode", [1, 1, 5, 7], 2, { stride: 2, padding: 1, ceilMode: true }],
    ["dilation, rectangular", [2, 1, 6, 5], [2, 3], { stride: [1, 2], padding: [1, 1], dilation: [2, 1] }],
    ["unbatched ceil", [2, 6, 6], 3, { stride: 2, ceilMode: true }],
  ];
  for (const [name, shape, k, opts] of gradConfigs) {
    it(`passes gradcheck: ${name}`, () => {
      expect(nb.gradcheck((x) => nb.maxPool2d(x, k, opts), [randn(shape, 1).requiresGrad_()]).ok).toBe(true);
    });
  }

  it("differentiates twice (createGraph): the gradient of sum(maxPool(x)^2) passes gradcheck", () => {
    const f = (x: nb.Tensor) => {
      const y = nb.maxPool2d(x, 3, { stride: 2, padding: 1 });
      return y.mul(y).sum();
    };
    expect(nb.gradcheck((x) => nb.grad(f, { createGraph: true })(x), [randn([1, 2, 5, 5], 2).requiresGrad_()]).ok).toBe(true);
  });

  it("rejects bad arguments before doing any work", () => {
    const x = nb.zeros([1, 1, 4, 4]);
    expect(() => nb.maxPool2d(x, 2, { padding: 2 })).toThrow(/maxPool2d: padding \[2,2\] must be at most half the kernel size \[2,2\]/);
    expect(() => nb.maxPool2d(x, 5)).toThrow(/maxPool2d: input \[1,1,4,4\] gives output size 0x0, which is too small/);
    expect(() => nb.maxPool2d(nb.zeros([4, 4]), 2)).toThrow(/maxPool2d: expected a 3-D \(C, H, W\) or 4-D \(N, C, H, W\) input, got shape \[4,4\]/);
    expect(() => nb.maxPool2d(x, 0)).toThrow(/maxPool2d: kernelSize must be an integer >= 1 or a pair of them, got 0/);
    expect(() => nb.maxPool2d(x, [2, 2], { stride: [1, 0] })).toThrow(/maxPool2d: stride must be an integer >= 1 or a pair of them, got \[1,0\]/);
  });
});

describe("avgPool2d", () => {
  it("averages windows", () => {
    expect(nb.avgPool2d(arange4x4(), 2).toArray()).toEqual([[[[3.5, 5.5], [11.5, 13.5]]]]);
    expect(nb.avgPool2d(arange4x4(), 2, { divisorOverride: 1 }).toArray()).toEqual([[[[14, 22], [46, 54]]]]);
  });

  it("counts padding in the divisor by default, and not with countIncludePad false", () => {
    const x = f64([[[[1, 2], [3, 4]]]]);
    expect(nb.avgPool2d(x, 2, { stride: 1, padding: 1 }).toArray()).toEqual([[[[0.25, 0.75, 0.5], [1, 2.5, 1.5], [0.75, 1.75, 1]]]]);
    expect(nb.avgPool2d(x, 2, { stride: 1, padding: 1, countIncludePad: false }).toArray()).toEqual([[[[1, 1.5, 2], [2, 2.5, 3], [3, 3.5, 4]]]]);
  });

  it("with ceilMode divides a window past the (padded) input by its part inside", () => {
    const x = f64([[[[1, 2, 3, 4, 5]]]]);
    expect(nb.avgPool2d(x, [1, 2], { ceilMode: true }).toArray()).toEqual([[[[1.5, 3.5, 5]]]]);
    // padding 1, k 3, s 2 on width 6: the last window [5, 8) is clipped to the padded input [-1, 7): divisor 2 (include pad).
    const y = f64([[[[1, 1, 1, 1, 1, 1]]]]);
    expect(nb.avgPool2d(y, [1, 3], { stride: [1, 2], padding: [0, 1], ceilMode: true }).toArray()).toEqual([[[[2 / 3, 1, 1, 1 / 2]]]]);
  });

  it("gives int32 input a float32 result", () => {
    const out = nb.avgPool2d(nb.tensor([[[1, 2], [3, 5]]], { dtype: "int32" }), 2);
    expect(out.dtype).toBe("float32");
    expect(out.toArray()).toEqual([[[2.75]]]);
  });

  const gradConfigs: [string, number[], nb.IntPair, nb.AvgPool2dOptions][] = [
    ["k2", [2, 2, 4, 6], 2, {}],
    ["padding include", [1, 1, 5, 5], 3, { stride: 2, padding: 1 }],
    ["ceilMode include pad", [1, 1, 6, 6], 3, { stride: 2, padding: 1, ceilMode: true }],
    ["exclude pad, rectangular", [1, 2, 5, 3], [3, 2], { stride: [2, 1], padding: [1, 1], countIncludePad: false }],
    ["divisorOverride, unbatched", [2, 3, 4], 2, { stride: 1, padding: 1, divisorOverride: 3 }],
  ];
  for (const [name, shape, k, opts] of gradConfigs) {
    it(`passes gradcheck: ${name}`, () => {
      expect(nb.gradcheck((x) => nb.avgPool2d(x, k, opts), [randn(shape, 3).requiresGrad_()]).ok).toBe(true);
    });
  }

  it("differentiates twice (createGraph)", () => {
    const f = (x: nb.Tensor) => {
      const y = nb.avgPool2d(x, 2, { stride: 1, padding: 1 });
      return y.mul(y).mul(y).sum();
    };
    expect(nb.gradcheck((x) => nb.grad(f, { createGraph: true })(x), [randn([1, 1, 3, 3], 4).requiresGrad_()]).ok).toBe(true);
  });

  it("rejects bad arguments", () => {
    expect(() => nb.avgPool2d(nb.zeros([1, 1, 4, 4]), 2, { divisorOverride: 0 })).toThrow(/avgPool2d: divisorOverride must be a non-zero integer, got 0/);
    expect(() => nb.avgPool2d(nb.zeros([1, 1, 4, 4]), 3, { padding: 2 })).toThrow(/avgPool2d: padding \[2,2\] must be at most half/);
  });
});

describe("adaptiveAvgPool2d", () => {
  it("averages rows [floor(i*H/out), ceil((i+1)*H/out)), windows overlapping when needed", () => {
    const x = f64([[[[1, 2, 3, 4, 5]]]]);
    expect(nb.adaptiveAvgPool2d(x, [1, 3]).toArray()).toEqual([[[[1.5, 3, 4.5]]]]);
    // More outputs than inputs: [0,1), [0,2), [1,2).
    expect(nb.adaptiveAvgPool2d(f64([[[[2, 4]]]]), [1, 3]).toArray()).toEqual([[[[2, 3, 4]]]]);
    expect(nb.adaptiveAvgPool2d(arange4x4(), 2).toArray()).toEqual([[[[3.5, 5.5], [11.5, 13.5]]]]);
    expect(nb.adaptiveAvgPool2d(arange4x4(), 1).toArray()).toEqual([[[[8.5]]]]);
  });

  it("keeps a dimension given as null and takes unbatched input", () => {
    const x = randn([2, 3, 5], 5);
    const out = x.adaptiveAvgPool2d([null, 2]);
    expect(out.shape).toEqual([2, 3, 2]);
  });

  it("passes gradcheck, including uneven windows and out > in", () => {
    expect(nb.gradcheck((x) => nb.adaptiveAvgPool2d(x, [3, 4]), [randn([2, 1, 5, 7], 6).requiresGrad_()]).ok).toBe(true);
    expect(nb.gradcheck((x) => nb.adaptiveAvgPool2d(x, [null, 3]), [randn([1, 2, 3, 2], 7).requiresGrad_()]).ok).toBe(true);
  });

  it("rejects bad arguments", () => {
    expect(() => nb.adaptiveAvgPool2d(nb.zeros([1, 1, 4, 4]), [2, -1])).toThrow(/adaptiveAvgPool2d: output sizes must be non-negative integers or null, got \[2,-1\]/);
    expect(() => nb.adaptiveAvgPool2d(nb.zeros([4, 4]), 2)).toThrow(/adaptiveAvgPool2d: expected a 3-D/);
  });
});

describe("the linear maps behind pooling's backward", () => {
  it("windowAverage and its transpose are adjoint: <A x, g> = <x, A^T g>", () => {
    const plans = [
      avgPoolPlan(5, 6, [3, 2], [2, 1], [1, 1], 3, 7, true, null),
      avgPoolPlan(6, 6, [3, 3], [2, 2], [1, 1], 4, 4, false, null),
      adaptivePlan(5, 7, 3, 4),
      adaptivePlan(2, 3, 5, 4),
    ];
    plans.forEach((plan, i) => {
      const x = randn([2, plan.inH, plan.inW], 10 + i);
      const g = randn([2, plan.outH, plan.outW], 20 + i);
      expect(windowAverage(x, plan).mul(g).sum().item()).toBeCloseTo(x.mul(windowAverageTranspose(g, plan)).sum().item(), 12);
    });
  });

  it("gatherPlanes and scatterPlanes are adjoint and skip index -1", () => {
    const index = nb.tensor([[[[0, 3], [3, -1]]], [[[1, 1], [2, 0]]]], { dtype: "int32" }); // [2, 1, 2, 2]
    const src = randn([2, 1, 2, 2], 30);
    const g = randn([2, 1, 2, 2], 31);
    const gathered = gatherPlanes(src, index);
    expect(gathered.data[3]).toBe(0);
    expect(gathered.data[0]).toBe(src.data[0]);
    expect(gathered.data[4]).toBe(src.data[5]);
    expect(gathered.mul(g).sum().item()).toBeCloseTo(src.mul(scatterPlanes(g, index, src.shape)).sum().item(), 12);
    expect(() => gatherPlanes(src, nb.tensor([[[[4]]], [[[0]]]], { dtype: "int32" }))).toThrow(/gatherPlanes: index 4 is out of range for planes of 4 elements/);
  });
});

describe("pooling against torch references (conformance/nn/nn.json)", () => {
  const cases = nnCases((c) => c.kind === "module" && ["MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d"].includes(c.torch_class ?? ""));
  it("has the cases", () => expect(cases.length).toBeGreaterThanOrEqual(18));
  for (const c of cases) {
    it(`${c.torch_class} ${c.id} (float64 and float32)`, () => {
      const a = c.arguments as Record<string, unknown>;
      const k = a.kernel_size as nb.IntPair;
      const run = (t: Record<string, nb.Tensor>) => {
        const x = t.input!;
        if (c.torch_class === "MaxPool2d") {
          const r = nb.maxPool2dWithIndices(x, k, {
            stride: a.stride as nb.IntPair | null,
            padding: a.padding as nb.IntPair,
            dilation: a.dilation as nb.IntPair,
            ceilMode: a.ceil_mode as boolean,
          });
          return { output: r.values, extras: { indices: r.indices } };
        }
        if (c.torch_class === "AvgPool2d") {
          return {
            output: nb.avgPool2d(x, k, {
              stride: a.stride as nb.IntPair | null,
              padding: a.padding as nb.IntPair,
              ceilMode: a.ceil_mode as boolean,
              countIncludePad: a.count_include_pad as boolean,
              divisorOverride: a.divisor_override as number | null,
            }),
          };
        }
        return { output: nb.adaptiveAvgPool2d(x, a.output_size as number | [number | null, number | null]) };
      };
      for (const dtype of ["float64", "float32"] as const) expect(checkCase(c, dtype, run)).toEqual([]);
    });
  }
});
