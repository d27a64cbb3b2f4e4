import { beforeAll, describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { buildModule, casesFor, nnCases, type NnCase } from "./helpers.js";

const { init } = nb.nn;

/** What nn.json records about a distribution (see the nn README, init_stats). */
interface Record_ {
  distribution: "uniform" | "normal" | "truncated_normal" | "constant" | "orthogonal";
  low?: number;
  high?: number;
  mean?: number;
  std?: number;
  value?: number;
  fan_in?: number;
  fan_out?: number;
  fan?: number;
  gain?: number;
  zero_rows?: number[];
  shape?: number[];
  rows?: number;
  cols?: number;
  property?: string;
  product?: { shape: number[]; values: number[] };
}

const POOL = 100_000;

/**
 * Draws `draw()` until at least 1e5 values are pooled and checks the README's
 * rules: every value inside [low, high] where bounded, the sample mean within
 * 5 std/sqrt(n) of the mean and the sample std within 5/sqrt(n) relative.
 */
function expectStatistics(rec: Record_, draw: () => ArrayLike<number>): void {
  const values: number[] = [];
  while (values.length < POOL) for (const v of Array.from(draw())) values.push(v);
  const n = values.length;
  if (rec.distribution === "constant") {
    expect(values.every((v) => v === rec.value)).toBe(true);
    return;
  }
  if (rec.low !== undefined && rec.high !== undefined) {
    expect(values.reduce((a, b) => Math.min(a, b))).toBeGreaterThanOrEqual(rec.low);
    expect(values.reduce((a, b) => Math.max(a, b))).toBeLessThanOrEqual(rec.high);
  }
  const mean = values.reduce((a, b) => a + b, 0) / n;
  const std = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / (n - 1));
  expect(Math.abs(mean - rec.mean!)).toBeLessThanOrEqual((5 * rec.std!) / Math.sqrt(n));
  expect(Math.abs(std - rec.std!) / rec.std!).toBeLessThanOrEqual(5 / Math.sqrt(n));
}

function relClose(actual: number, expected: number, rtol = 1e-12): void {
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(rtol * Math.abs(expected));
}

beforeAll(() => {
  nb.manualSeed(2024);
});

describe("calculateGain and computeFans", () => {
  it.each(casesFor("init_stats", "torch.nn.init.calculate_gain").map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const a = c.arguments as { nonlinearity: nb.nn.init.Nonlinearity; param: number | null };
    relClose(init.calculateGain(a.nonlinearity, a.param), c.expected.gain as number);
  });

  it("knows the gains by hand and rejects unknown names", () => {
    expect(init.calculateGain("tanh")).toBe(5 / 3);
    expect(init.calculateGain("relu")).toBe(Math.SQRT2);
    expect(init.calculateGain("leakyRelu", 0)).toBe(Math.SQRT2);
    expect(init.calculateGain("selu")).toBe(0.75);
    expect(() => init.calculateGain("swish" as nb.nn.init.Nonlinearity)).toThrow(/unsupported nonlinearity "swish"/);
  });

  it("computes fans from [out, in, ...kernel]", () => {
    expect(init.computeFans([3, 5])).toEqual({ fanIn: 5, fanOut: 3 });
    expect(init.computeFans([8, 4, 3, 2])).toEqual({ fanIn: 24, fanOut: 48 });
    expect(() => init.computeFans([5])).toThrow(/at least 2 dimensions, got shape \[5\]/);
  });
});

type Filler = (t: nb.Tensor, args: Record<string, unknown>) => nb.Tensor;

const fillers: Record<string, Filler> = {
  "torch.nn.init.kaiming_uniform_": (t, a) => init.kaimingUniform(t, a as nb.nn.init.KaimingOptions),
  "torch.nn.init.kaiming_normal_": (t, a) => init.kaimingNormal(t, a as nb.nn.init.KaimingOptions),
  "torch.nn.init.xavier_uniform_": (t, a) => init.xavierUniform(t, a as nb.nn.init.XavierOptions),
  "torch.nn.init.xavier_normal_": (t, a) => init.xavierNormal(t, a as nb.nn.init.XavierOptions),
  "torch.nn.init.trunc_normal_": (t, a) => init.truncNormal(t, a as nb.nn.init.TruncNormalOptions),
};

const functionCases = nnCases().filter((c) => c.kind === "init_stats" && c.torch_function! in fillers);

describe("random initializers match torch's distributions (nn.json init_stats)", () => {
  it.each(functionCases.map((c) => [c.id, c] as const))("%s", (_id, c: NnCase) => {
    const rec = c.expected.tensor as Record_;
    const shape = c.shape!;
    if (rec.fan_in !== undefined) expect(init.computeFans(shape)).toEqual({ fanIn: rec.fan_in, fanOut: rec.fan_out });
    const args = c.arguments;
    // The scale nabla computes, before drawing anything.
    if (c.torch_function!.includes("kaiming")) {
      const std = init.kaimingStd(shape, args as nb.nn.init.KaimingOptions);
      relClose(std, rec.distribution === "uniform" ? rec.high! / Math.sqrt(3) : rec.std!);
    } else if (c.torch_function!.includes("xavier")) {
      const std = init.xavierStd(shape, args.gain as number);
      relClose(std, rec.distribution === "uniform" ? rec.high! / Math.sqrt(3) : rec.std!);
    }
    expectStatistics(rec, () => fillers[c.torch_function!]!(nb.zeros(shape, { dtype: "float64" }), args).data);
  });

  it.each(casesFor("init_stats", "torch.nn.init.orthogonal_").map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const rec = c.expected.tensor as Record_;
    const gain = c.arguments.gain as number;
    for (const dtype of ["float64", "float32"] as const) {
      const w = init.orthogonal(nb.zeros(c.shape!, { dtype }), { gain });
      const m = w.reshape([rec.rows!, rec.cols!]).to("float64");
      const product = rec.property === "W @ W^T" ? nb.matmul(m, nb.transpose(m)) : nb.matmul(nb.transpose(m), m);
      let worst = 0;
      rec.product!.values.forEach((v, i) => (worst = Math.max(worst, Math.abs(product.data[i]! - v))));
      expect(worst / (gain * gain)).toBeLessThanOrEqual(dtype === "float64" ? 1e-9 : c.float32_rtol!);
    }
  });

  it("uniform, normal and constant fill in place with the given parameters", () => {
    const g = new nb.Generator(3);
    const t = nb.zeros([POOL], { dtype: "float64" });
    expect(init.uniform(t, -2, 6, { generator: g })).toBe(t);
    expectStatistics({ distribution: "uniform", low: -2, high: 6, mean: 2, std: 8 / Math.sqrt(12) }, () => t.data);
    init.normal(t, 1.5, 0.25, { generator: g });
    expectStatistics({ distribution: "normal", mean: 1.5, std: 0.25 }, () => t.data);
    expect(Array.from(init.constant(nb.zeros([3]), 0.5).data)).toEqual([0.5, 0.5, 0.5]);
    expect(Array.from(init.ones(nb.zeros([2])).data)).toEqual([1, 1]);
    expect(Array.from(init.zeros(nb.ones([2])).data)).toEqual([0, 0]);
    expect(init.eye(nb.ones([2, 3])).toArray()).toEqual([[1, 0, 0], [0, 1, 0]]);
  });

  it("is reproducible with a seeded generator and rejects bad arguments", () => {
    const a = init.kaimingNormal(nb.zeros([4, 4]), { generator: new nb.Generator(9) });
    const b = init.kaimingNormal(nb.zeros([4, 4]), { generator: new nb.Generator(9) });
    expect(Array.from(a.data)).toEqual(Array.from(b.data));
    expect(() => init.kaimingUniform(nb.zeros([4, 4]), { mode: "fanAll" as nb.nn.init.FanMode })).toThrow(/mode must be/);
    expect(() => init.truncNormal(nb.zeros([2]), { a: 1, b: -1 })).toThrow(/need a < b/);
    expect(() => init.normal(nb.zeros([2], { dtype: "int32" }))).toThrow(/floating/);
    expect(init.kaimingStd([3, 4], { mode: "fan_out" })).toBe(Math.SQRT2 / Math.sqrt(3));
  });

  it("truncNormal with std 0.02 and the default bounds truncates nothing", () => {
    const t = init.truncNormal(nb.zeros([POOL], { dtype: "float64" }), { std: 0.02, generator: new nb.Generator(5) });
    expectStatistics({ distribution: "normal", mean: 0, std: 0.02 }, () => t.data);
  });
});

describe("layers default to torch's initialization (nn.json init_stats)", () => {
  const layerCases = nnCases().filter((c) => c.kind === "init_stats" && c.torch_class !== undefined);
  it.each(layerCases.map((c) => [c.id, c] as const))("%s", (_id, c) => {
    const expected = c.expected as Record<string, Record_>;
    for (const [name, rec] of Object.entries(expected)) {
      const tensorOf = (m: nb.nn.Module): nb.Tensor => new Map([...m.namedParameters(), ...m.namedBuffers()]).get(name)!;
      const first = buildModule(c, "float64");
      expect(tensorOf(first).shape).toEqual(rec.shape);
      expect(tensorOf(first).dtype).toBe(name === "num_batches_tracked" ? "int32" : "float64");
      if (rec.zero_rows) {
        const dim = rec.shape![1]!;
        for (const r of rec.zero_rows) expect(Array.from(tensorOf(first).data.slice(r * dim, (r + 1) * dim))).toEqual(new Array(dim).fill(0));
      }
      // Pool the non-padding entries of fresh layers.
      expectStatistics(rec, () => {
        const t = tensorOf(buildModule(c, "float64"));
        if (!rec.zero_rows) return t.data;
        const dim = rec.shape![1]!;
        return Array.from(t.data).filter((_, i) => !rec.zero_rows!.includes(Math.floor(i / dim)));
      });
    }
  });
});
