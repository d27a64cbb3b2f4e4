import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as nb from "../../src/index.js";
import { col2im, type ConvGeometry, im2col } from "../../src/tensor/ops/conv.js";
import { checkCase, nnCases } from "./linalg-conformance.js";

const f64 = (data: nb.NestedArray) => nb.tensor(data, { dtype: "float64" });
const randn = (shape: number[], seed: number) => nb.randn(shape, { dtype: "float64", generator: new nb.Generator(seed) });

interface Config {
  n: number;
  c: number;
  h: number;
  w: number;
  o: number;
  kh: number;
  kw: number;
  stride: [number, number];
  pad: [number, number, number, number]; // top, bottom, left, right
  dilation: [number, number];
  groups: number;
}

/** conv2d by its definition, on explicit (possibly asymmetric) zero padding. */
function naiveConv(x: nb.Tensor, wt: nb.Tensor, bias: nb.Tensor | null, cfg: Config): { shape: number[]; values: number[] } {
  const { n, c, h, w, o, kh, kw, stride, pad, dilation, groups } = cfg;
  const oh = Math.floor((h + pad[0] + pad[1] - dilation[0] * (kh - 1) - 1) / stride[0]) + 1;
  const ow = Math.floor((w + pad[2] + pad[3] - dilation[1] * (kw - 1) - 1) / stride[1]) + 1;
  const cg = c / groups;
  const og = o / groups;
  const values: number[] = [];
  for (let s = 0; s < n; s++) {
    for (let oc = 0; oc < o; oc++) {
      const g = Math.floor(oc / og);
      for (let y = 0; y < oh; y++) {
        for (let z = 0; z < ow; z++) {
          let acc = bias ? bias.data[oc]! : 0;
          for (let ci = 0; ci < cg; ci++) {
            for (let i = 0; i < kh; i++) {
              for (let j = 0; j < kw; j++) {
                const row = y * stride[0] - pad[0] + i * dilation[0];
                const col = z * stride[1] - pad[2] + j * dilation[1];
                if (row < 0 || row >= h || col < 0 || col >= w) continue;
                acc += wt.data[((oc * cg + ci) * kh + i) * kw + j]! * x.data[((s * c + g * cg + ci) * h + row) * w + col]!;
              }
            }
          }
          values.push(acc);
        }
      }
    }
  }
  return { shape: [n, o, oh, ow], values };
}

const config: fc.Arbitrary<Config> = fc
  .record({
    n: fc.integer({ min: 1, max: 3 }),
    cg: fc.integer({ min: 1, max: 3 }),
    og: fc.integer({ min: 1, max: 3 }),
    groups: fc.integer({ min: 1, max: 3 }),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 3 }), fc.integer({ min: 1, max: 3 })),
    padH: fc.integer({ min: 0, max: 2 }),
    padW: fc.integer({ min: 0, max: 2 }),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    extraH: fc.integer({ min: 0, max: 4 }),
    extraW: fc.integer({ min: 0, max: 4 }),
  })
  .map((r) => ({
    n: r.n,
    c: r.cg * r.groups,
    o: r.og * r.groups,
    groups: r.groups,
    kh: r.kh,
    kw: r.kw,
    // Inputs at least as large as the dilated kernel, so the output is never empty.
    h: r.dilation[0] * (r.kh - 1) + 1 + r.extraH,
    w: r.dilation[1] * (r.kw - 1) + 1 + r.extraW,
    stride: r.stride,
    pad: [r.padH, r.padH, r.padW, r.padW] as [number, number, number, number],
    dilation: r.dilation,
  }));

describe("conv2d forward", () => {
  it("is cross-correlation (no kernel flip), with bias", () => {
    const x = f64([[[[1, 2, 3], [4, 5, 6], [7, 8, 9]]]]);
    const w = f64([[[[1, 2], [3, 4]]]]);
    // out[0,0] = 1*1 + 2*2 + 3*4 + 4*5 = 37 (a flipped kernel would give 23).
    expect(nb.conv2d(x, w).toArray()).toEqual([[[[37, 47], [67, 77]]]]);
    expect(nb.conv2d(x, w, f64([-7])).toArray()).toEqual([[[[30, 40], [60, 70]]]]);
    expect(x.conv2d(w, null, { padding: "valid" }).toArray()).toEqual([[[[37, 47], [67, 77]]]]);
  });

  it("applies stride, padding and dilation", () => {
    const x = nb.arange(1, 17, 1, { dtype: "float64" }).reshape([1, 1, 4, 4]);
    const ones = nb.ones([1, 1, 2, 2], { dtype: "float64" });
    // Zero padding 1, stride 2: windows centred on the corners.
    expect(nb.conv2d(x, ones, null, { padding: 1, stride: 2 }).toArray()).toEqual([[[[1, 2 + 3, 4], [5 + 9, 6 + 7 + 10 + 11, 8 + 12], [13, 14 + 15, 16]]]]);
    // Dilation 2 picks x[i][j], x[i][j+2], x[i+2][j], x[i+2][j+2].
    expect(nb.conv2d(x, ones, null, { dilation: 2 }).toArray()).toEqual([[[[1 + 3 + 9 + 11, 2 + 4 + 10 + 12], [5 + 7 + 13 + 15, 6 + 8 + 14 + 16]]]]);
    // Rectangular padding [0, 1] and stride [1, 3].
    expect(nb.conv2d(x, ones, null, { padding: [0, 1], stride: [1, 3] }).shape).toEqual([1, 1, 3, 2]);
  });

  it('pads "same" asymmetrically: an even kernel puts the extra column at the right', () => {
    const x = f64([[[[1, 2, 3, 4]]]]);
    const w = f64([[[[1, 10]]]]);
    // total padding 1: none on the left, one zero on the right.
    expect(nb.conv2d(x, w, null, { padding: "same" }).toArray()).toEqual([[[[21, 32, 43, 4]]]]);
    const x2 = f64([[[[1], [2], [3], [4]]]]);
    const w2 = f64([[[[1], [10], [100]]]]);
    // kh 3, dilation 2: total 4, two rows of zeros each side.
    expect(nb.conv2d(x2, w2, null, { padding: "same", dilation: 2 }).toArray()).toEqual([[[[310], [420], [31], [42]]]]);
  });

  it("splits channels into groups: output block g sees only input block g", () => {
    const x = f64([[[[1]], [[2]], [[3]], [[4]]]]); // [1, 4, 1, 1]
    const w = f64([[[[1]], [[10]]], [[[100]], [[1000]]]]); // [2, 2, 1, 1], groups 2
    expect(nb.conv2d(x, w, null, { groups: 2 }).toArray()).toEqual([[[[21]], [[4300]]]]);
  });

  it("takes a 3-D input as one unbatched sample", () => {
    const x = randn([2, 4, 5], 1);
    const w = randn([3, 2, 2, 2], 2);
    const out = nb.conv2d(x, w, null, { padding: 1 });
    expect(out.shape).toEqual([3, 5, 6]);
    expect(Array.from(out.data)).toEqual(Array.from(nb.conv2d(x.reshape([1, 2, 4, 5]), w, null, { padding: 1 }).data));
  });

  it("agrees with the definition on random configurations (stride, padding, dilation, groups)", () => {
    fc.assert(
      fc.property(config, fc.boolean(), fc.integer(), (cfg, withBias, seed) => {
        const x = randn([cfg.n, cfg.c, cfg.h, cfg.w], seed);
        const w = randn([cfg.o, cfg.c / cfg.groups, cfg.kh, cfg.kw], seed + 1);
        const b = withBias ? randn([cfg.o], seed + 2) : null;
        const out = nb.conv2d(x, w, b, { stride: cfg.stride, padding: [cfg.pad[0], cfg.pad[2]], dilation: cfg.dilation, groups: cfg.groups });
        const want = naiveConv(x, w, b, cfg);
        expect(out.shape).toEqual(want.shape);
        Array.from(out.data).forEach((v, i) => expect(v).toBeCloseTo(want.values[i]!, 10));
      }),
      { numRuns: 80 },
    );
  });

  it("computes in float32 for float32 and int32 inputs", () => {
    const x = nb.tensor([[[[1, 2], [3, 4]]]], { dtype: "int32" });
    const out = nb.conv2d(x, nb.tensor([[[[1]]]], { dtype: "int32" }));
    expect(out.dtype).toBe("float32");
    expect(out.toArray()).toEqual([[[[1, 2], [3, 4]]]]);
  });

  it("names the op, the shapes and the expectation in its errors", () => {
    const x = nb.zeros([1, 3, 5, 5]);
    expect(() => nb.conv2d(nb.zeros([3, 5]), nb.zeros([1, 3, 2, 2]))).toThrow(/conv2d: expected a 3-D \(C, H, W\) or 4-D \(N, C, H, W\) input, got shape \[3,5\]/);
    expect(() => nb.conv2d(x, nb.zeros([2, 2, 2, 2]))).toThrow(/conv2d: weight \[2,2,2,2\] with groups 1 expects 2 input channels, got input \[1,3,5,5\] with 3/);
    expect(() => nb.conv2d(nb.zeros([1, 4, 5, 5]), nb.zeros([3, 2, 2, 2]), null, { groups: 2 })).toThrow(/out channels 3 .* divisible by groups 2/);
    expect(() => nb.conv2d(x, nb.zeros([2, 3, 2, 2]), null, { padding: "same", stride: 2 })).toThrow(/padding "same" needs stride 1/);
    expect(() => nb.conv2d(x, nb.zeros([2, 3, 7, 2]))).toThrow(/conv2d: input \[1,3,5,5\] padded to 5x5 is smaller than the dilated kernel 7x2/);
    expect(() => nb.conv2d(x, nb.zeros([2, 3, 2, 2]), nb.zeros([3]))).toThrow(/conv2d: bias must have shape \[2\], got \[3\]/);
    expect(() => nb.conv2d(x, nb.zeros([2, 3, 2, 2]), null, { stride: 0 })).toThrow(/conv2d: stride must be an integer >= 1/);
    expect(() => nb.conv2d(x, nb.zeros([2, 3, 2, 2]), null, { padding: [1, -1] })).toThrow(/conv2d: padding must be an integer >= 0/);
  });
});

describe("im2col and col2im", () => {
  it("are each other's transpose: <im2col(x), c> = <x, col2im(c)>", () => {
    fc.assert(
      fc.property(config, fc.integer({ min: 0, max: 2 }), fc.integer(), (cfg, extraPad, seed) => {
        const geom: ConvGeometry = {
          kh: cfg.kh, kw: cfg.kw, strideH: cfg.stride[0], strideW: cfg.stride[1],
          padTop: cfg.pad[0], padBottom: cfg.pad[1] + extraPad, padLeft: cfg.pad[2], padRight: cfg.pad[3],
          dilationH: cfg.dilation[0], dilationW: cfg.dilation[1],
        };
        const x = randn([cfg.n, cfg.c, cfg.h, cfg.w], seed);
        const cols = im2col(x, geom);
        const c = randn([...cols.shape], seed + 1);
        const lhs = cols.mul(c).sum().item();
        const rhs = x.mul(col2im(c, x.shape, geom)).sum().item();
        expect(lhs).toBeCloseTo(rhs, 9);
      }),
      { numRuns: 50 },
    );
  });

  it("lay out columns as [C*kh*kw, N*OH*OW] with zeros in the padding", () => {
    const x = f64([[[[1, 2], [3, 4]]]]);
    const geom: ConvGeometry = { kh: 2, kw: 1, strideH: 1, strideW: 1, padTop: 1, padBottom: 0, padLeft: 0, padRight: 0, dilationH: 1, dilationW: 1 };
    // Output 2x2; row (i=0) reads rows -1, 0; row (i=1) reads rows 0, 1.
    expect(im2col(x, geom).toArray()).toEqual([[0, 0, 1, 2], [1, 2, 3, 4]]);
    expect(col2im(f64([[1, 1, 1, 1], [1, 1, 1, 1]]), [1, 1, 2, 2], geom).toArray()).toEqual([[[[2, 2], [1, 1]]]]);
  });
});

describe("conv2d backward", () => {
  const gradConfigs: [string, Config, boolean][] = [
    ["plain 3x3 with bias", { n: 2, c: 2, h: 4, w: 4, o: 3, kh: 3, kw: 3, stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], groups: 1 }, true],
    ["stride 2, padding 1", { n: 1, c: 2, h: 5, w: 4, o: 2, kh: 3, kw: 2, stride: [2, 2], pad: [1, 1, 1, 1], dilation: [1, 1], groups: 1 }, true],
    ["dilation 2, rect stride", { n: 2, c: 1, h: 5, w: 6, o: 2, kh: 2, kw: 2, stride: [1, 2], pad: [0, 0, 1, 1], dilation: [2, 2], groups: 1 }, false],
    ["groups 2", { n: 2, c: 4, h: 3, w: 4, o: 6, kh: 2, kw: 2, stride: [1, 1], pad: [0, 0, 0, 0], dilation: [1, 1], groups: 2 }, true],
    ["depthwise (groups = channels), stride 3", { n: 1, c: 3, h: 7, w: 7, o: 3, kh: 2, kw: 2, stride: [3, 3], pad: [1, 1, 0, 0], dilation: [1, 1], groups: 3 }, true],
  ];
  for (const [name, cfg, withBias] of gradConfigs) {
    it(`passes gradcheck: ${name}`, () => {
      const opts = { stride: cfg.stride, padding: [cfg.pad[0], cfg.pad[2]] as [number, number], dilation: cfg.dilation, groups: cfg.groups };
      const x = randn([cfg.n, cfg.c, cfg.h, cfg.w], 3).requiresGrad_();
      const w = randn([cfg.o, cfg.c / cfg.groups, cfg.kh, cfg.kw], 4).requiresGrad_();
      const inputs = withBias ? [x, w, randn([cfg.o], 5).requiresGrad_()] : [x, w];
      expect(nb.gradcheck((xi, wi, bi) => nb.conv2d(xi, wi, bi ?? null, opts), inputs).ok).toBe(true);
    });
  }

  it('passes gradcheck with padding "same" on an even kernel and an unbatched input', () => {
    const x = randn([2, 4, 5], 6).requiresGrad_();
    const w = randn([2, 2, 2, 4], 7).requiresGrad_();
    expect(nb.gradcheck((xi, wi) => nb.conv2d(xi, wi, null, { padding: "same" }), [x, w]).ok).toBe(true);
  });

  it("gives zero gradient to input rows and columns no window reads (stride 3)", () => {
    const x = nb.ones([1, 1, 8, 7], { dtype: "float64" }).requiresGrad_();
    nb.conv2d(x, nb.ones([1, 1, 2, 2], { dtype: "float64" }), null, { stride: 3 }).sum().backward();
    const g = x.grad!.toArray() as number[][][][];
    expect(g[0]![0]![2]).toEqual([0, 0, 0, 0, 0, 0, 0]);
    expect(g[0]![0]![0]).toEqual([1, 1, 0, 1, 1, 0, 0]);
  });

  it("differentiates twice (createGraph): gradients of sum(conv^2) pass gradcheck", () => {
    const f = (x: nb.Tensor, w: nb.Tensor, b: nb.Tensor) => {
      const y = nb.conv2d(x, w, b, { padding: 1, stride: 2, groups: 2 });
      return y.mul(y).sum();
    };
    const inputs = [randn([1, 2, 3, 3], 8).requiresGrad_(), randn([2, 1, 2, 2], 9).requiresGrad_(), randn([2], 10).requiresGrad_()];
    for (const argnums of [0, 1]) {
      expect(nb.gradcheck((x, w, b) => nb.grad(f, { argnums, createGraph: true })(x, w, b), inputs).ok).toBe(true);
    }
  });
});

describe("conv2d against torch references (conformance/nn/nn.json)", () => {
  // padding_mode other than zeros pads with F.pad first: that is the Conv2d layer's job.
  const cases = nnCases((c) => c.kind === "module" && c.torch_class === "Conv2d" && c.arguments.padding_mode === "zeros");
  it("has the cases", () => expect(cases.length).toBeGreaterThanOrEqual(8));
  for (const c of cases) {
    it(`${c.id} (float64 and float32)`, () => {
      const a = c.arguments as { stride: number | [number, number]; padding: number | [number, number] | "same" | "valid"; dilation: number | [number, number]; groups: number };
      for (const dtype of ["float64", "float32"] as const) {
        const failures = checkCase(c, dtype, (t) => ({
          output: nb.conv2d(t.input!, t.weight!, t.bias ?? null, { stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups }),
        }));
        expect(failures).toEqual([]);
      }
    });
  }
});
