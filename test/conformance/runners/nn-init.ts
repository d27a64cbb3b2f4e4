// Runs the nn/ init_stats cases: the numbers an initializer draws from
// (gain, fans, bound or std, the truncated normal's moments) are compared
// with what nabla computes (nn.init.calculateGain, computeFans, kaimingStd,
// xavierStd, normalCdf) to 1e-12, and its draws are tested statistically as
// conformance/nn/README.md says: pooling at least 1e5 values from repeated
// draws of the shape, every value in [low, high], the sample mean within
// 5 std/sqrt(n) of the mean and the sample std within 5/sqrt(n) relative;
// a constant exactly; orthogonal through W W^T (or W^T W) = gain^2 I.
import * as nb from "../../../src/index.js";
import type { CaseResult, ConformanceCase, Runner } from "../cases.js";
import { buildModule, callFunction } from "./nn-calls.js";
import { FieldChecker, normRelError, type FloatDType, type NnCase } from "./nn-case.js";

const { init } = nb.nn;

/** What nn.json records about a distribution (README, "Initializer statistics"). */
interface DistributionRecord {
  distribution: "uniform" | "normal" | "truncated_normal" | "constant" | "orthogonal";
  low?: number;
  high?: number;
  mean?: number;
  std?: number;
  value?: number;
  normal_mean?: number;
  normal_std?: number;
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

const RECORD_KEYS = new Set([
  "distribution", "low", "high", "mean", "std", "value", "normal_mean", "normal_std", "fan_in", "fan_out", "fan", "gain",
  "zero_rows", "shape", "rows", "cols", "property", "product",
]);
const DISTRIBUTIONS = new Set(["uniform", "normal", "truncated_normal", "constant", "orthogonal"]);

/** A record as the README describes it; an unknown distribution or field would go unchecked, so it is an error. */
function recordOf(field: string, value: unknown): DistributionRecord {
  if (typeof value !== "object" || value === null) throw new Error(`${field}: expected a distribution record`);
  const rec = value as DistributionRecord;
  if (!DISTRIBUTIONS.has(rec.distribution)) throw new Error(`${field}: unknown distribution ${String(rec.distribution)}`);
  const unknown = Object.keys(rec).filter((k) => !RECORD_KEYS.has(k));
  if (unknown.length > 0) throw new Error(`${field}: record fields ${unknown.join(", ")} are not checked by the runner`);
  return rec;
}

const POOL = 100_000;
const EXACT = 1e-12;

/** A seed per case and dtype, so every run draws the same values. */
function seedOf(id: string, dtype: FloatDType): number {
  let h = 2166136261;
  for (const ch of `${id}/${dtype}`) h = Math.imul(h ^ ch.charCodeAt(0), 16777619) >>> 0;
  return h;
}

/** Relative error of a number against the reference (exact when the reference is 0). */
function relNumber(actual: number, expected: number): number {
  return normRelError([actual], [expected]);
}

/**
 * Pools draws until at least 1e5 values and checks them against `rec`:
 * bounds (rounded to the tensor's dtype, which rounding cannot cross),
 * sample mean and sample standard deviation.
 */
function checkDraws(check: FieldChecker, field: string, rec: DistributionRecord, draw: () => ArrayLike<number>): void {
  const values: number[] = [];
  while (values.length < POOL) for (const v of Array.from(draw())) values.push(v);
  const n = values.length;
  if (rec.distribution === "constant") {
    const off = values.filter((v) => v !== rec.value).length;
    check.note(`${field}: values equal to ${rec.value}`, off, 0);
    return;
  }
  const round = check.dtype === "float32" ? Math.fround : (v: number) => v;
  if (rec.low !== undefined || rec.high !== undefined) {
    if (rec.low === undefined || rec.high === undefined) throw new Error(`${field}: record has only one bound`);
    let lo = Infinity;
    let hi = -Infinity;
    for (const v of values) {
      lo = Math.min(lo, v);
      hi = Math.max(hi, v);
    }
    const outside = Math.max(0, round(rec.low) - lo, hi - round(rec.high));
    check.note(`${field}: samples in [low, high] (min ${lo}, max ${hi})`, Number.isNaN(lo + hi) ? Infinity : outside, 0);
  }
  if (rec.mean === undefined || rec.std === undefined) throw new Error(`${field}: record has no mean and std`);
  let sum = 0;
  for (const v of values) sum += v;
  const mean = sum / n;
  let ss = 0;
  for (const v of values) ss += (v - mean) ** 2;
  const std = Math.sqrt(ss / (n - 1));
  check.note(`${field}: sample mean ${mean} of ${n}`, Math.abs(mean - rec.mean), (5 * rec.std) / Math.sqrt(n));
  check.note(`${field}: sample std ${std} of ${n}`, Math.abs(std - rec.std) / rec.std, 5 / Math.sqrt(n));
}

/** The standard normal density. */
const phi = (x: number): number => (Number.isFinite(x) ? Math.exp(-0.5 * x * x) / Math.sqrt(2 * Math.PI) : 0);

/** Mean and standard deviation of N(mu, sigma^2) truncated to [a, b], from nabla's normalCdf. */
function truncatedMoments(mu: number, sigma: number, a: number, b: number): { mean: number; std: number } {
  const alpha = (a - mu) / sigma;
  const beta = (b - mu) / sigma;
  const z = init.normalCdf(beta) - init.normalCdf(alpha);
  const d = (phi(alpha) - phi(beta)) / z;
  const alphaTerm = Number.isFinite(alpha) ? alpha * phi(alpha) : 0;
  const betaTerm = Number.isFinite(beta) ? beta * phi(beta) : 0;
  return { mean: mu + sigma * d, std: sigma * Math.sqrt(1 + (alphaTerm - betaTerm) / z - d * d) };
}

/** Checks a record's fans (and the fan `mode` picks) against nb.nn.init.computeFans(shape). */
function checkFans(check: FieldChecker, field: string, rec: DistributionRecord, shape: readonly number[], mode?: unknown): void {
  if (rec.fan_in === undefined && rec.fan_out === undefined) return;
  const { fanIn, fanOut } = init.computeFans(shape);
  if (rec.fan_in !== undefined) check.note(`${field}.fan_in (nabla ${fanIn})`, relNumber(fanIn, rec.fan_in), 0);
  if (rec.fan_out !== undefined) check.note(`${field}.fan_out (nabla ${fanOut})`, relNumber(fanOut, rec.fan_out), 0);
  if (rec.fan !== undefined) {
    const fan = mode === "fan_out" ? fanOut : mode === "fan_in" ? fanIn : NaN;
    check.note(`${field}.fan (mode ${String(mode)})`, relNumber(fan, rec.fan), 0);
  }
}

/** Checks the scale nabla draws from: the std, or for a uniform the bound sqrt(3) std. */
function checkScale(check: FieldChecker, field: string, rec: DistributionRecord, std: number): void {
  if (rec.distribution === "uniform") {
    check.note(`${field}.high (nabla sqrt(3)*std ${Math.sqrt(3) * std})`, relNumber(Math.sqrt(3) * std, rec.high!), EXACT);
    check.note(`${field}.low (nabla -sqrt(3)*std)`, relNumber(-Math.sqrt(3) * std, rec.low!), EXACT);
  } else {
    check.note(`${field}.std (nabla ${std})`, relNumber(std, rec.std!), EXACT);
  }
}

/** torch.nn.init.<function>_ on a tensor of `shape`. */
function runInitFunction(check: FieldChecker, c: NnCase): void {
  const fn = c.torch_function!;
  const args = c.arguments ?? {};
  if (fn === "torch.nn.init.calculate_gain") {
    const expectedKeys = Object.keys(c.expected);
    if (expectedKeys.length !== 1 || expectedKeys[0] !== "gain") throw new Error(`case ${c.id}: expected [${expectedKeys.join(", ")}], the runner knows only "gain"`);
    const gain = callFunction(fn, new Map(Object.entries(args)));
    if (typeof gain !== "number") throw new Error("calculateGain did not return a number");
    check.note(`gain (nabla ${gain})`, relNumber(gain, c.expected.gain as number), EXACT);
    return;
  }
  const shape = c.shape;
  if (!Array.isArray(shape)) throw new Error(`case ${c.id} has no shape`);
  const expectedKeys = Object.keys(c.expected);
  if (expectedKeys.length !== 1 || expectedKeys[0] !== "tensor") throw new Error(`case ${c.id}: expected [${expectedKeys.join(", ")}], the runner knows only "tensor"`);
  const rec = recordOf("tensor", c.expected.tensor);
  const generator = new nb.Generator(seedOf(c.id, check.dtype));
  const drawInto = (): nb.Tensor => {
    const t = nb.zeros(shape, { dtype: check.dtype });
    const out = callFunction(fn, new Map<string, unknown>([["tensor", t], ...Object.entries(args)]), { generator });
    if (out !== t) throw new Error(`${fn}: nabla should fill the tensor in place and return it`);
    return t;
  };
  if (rec.distribution === "orthogonal") {
    checkOrthogonal(check, rec, shape, drawInto);
    return;
  }
  checkFans(check, "tensor", rec, shape, args.mode);
  const given = (key: keyof DistributionRecord, want: unknown): void => check.note(`tensor.${key} = argument ${String(want)}`, relNumber(rec[key] as number, want as number), 0);
  switch (fn) {
    case "torch.nn.init.kaiming_uniform_":
    case "torch.nn.init.kaiming_normal_": {
      const options = { a: args.a as number, mode: args.mode as nb.nn.init.FanMode, nonlinearity: args.nonlinearity as nb.nn.init.Nonlinearity };
      if (rec.gain !== undefined) check.note("tensor.gain", relNumber(init.calculateGain(options.nonlinearity, options.a), rec.gain), EXACT);
      checkScale(check, "tensor", rec, init.kaimingStd(shape, options));
      break;
    }
    case "torch.nn.init.xavier_uniform_":
    case "torch.nn.init.xavier_normal_":
      if (rec.gain !== undefined) given("gain", args.gain);
      checkScale(check, "tensor", rec, init.xavierStd(shape, args.gain as number));
      break;
    case "torch.nn.init.trunc_normal_": {
      const { mean, std, a, b } = args as Record<string, number>;
      given("low", a);
      given("high", b);
      given("normal_mean", mean);
      given("normal_std", std);
      const m = truncatedMoments(mean!, std!, a!, b!);
      check.note(`tensor.mean (formula with nabla's normalCdf: ${m.mean})`, Math.abs(m.mean - rec.mean!) / Math.max(Math.abs(rec.mean!), rec.std!), EXACT);
      check.note(`tensor.std (formula with nabla's normalCdf: ${m.std})`, relNumber(m.std, rec.std!), EXACT);
      break;
    }
    case "torch.nn.init.uniform_":
      given("low", args.a);
      given("high", args.b);
      break;
    case "torch.nn.init.normal_":
      given("mean", args.mean);
      given("std", args.std);
      break;
    case "torch.nn.init.constant_":
      given("value", args.val);
      break;
    case "torch.nn.init.zeros_":
    case "torch.nn.init.ones_":
      given("value", fn.includes("ones") ? 1 : 0);
      break;
    default:
      throw new Error(`the nn runner has no scale check for ${fn}`);
  }
  checkDraws(check, "tensor", rec, () => drawInto().data);
}

/** orthogonal_: the product the record names, computed by nabla in the dtype under test, on a few draws. */
function checkOrthogonal(check: FieldChecker, rec: DistributionRecord, shape: readonly number[], draw: () => nb.Tensor): void {
  const rows = shape[0]!;
  const cols = shape.slice(1).reduce((p, d) => p * d, 1);
  if (rec.rows !== rows || rec.cols !== cols) throw new Error(`orthogonal: record is ${rec.rows}x${rec.cols}, the shape gives ${rows}x${cols}`);
  if (rec.product === undefined) throw new Error("orthogonal: record has no product");
  for (let i = 0; i < 5; i++) {
    const w = draw().reshape([rows, cols]);
    let product: nb.Tensor;
    if (rec.property === "W @ W^T") product = nb.matmul(w, nb.transpose(w));
    else if (rec.property === "W^T @ W") product = nb.matmul(nb.transpose(w), w);
    else throw new Error(`orthogonal: unknown property ${String(rec.property)}`);
    check.tensor(`tensor.product (${rec.property}, draw ${i})`, product, rec.product);
  }
}

/** A layer's default initialization: every parameter and buffer of fresh nb.nn.<torch_class>(arguments). */
function runLayerInit(check: FieldChecker, c: NnCase): void {
  const generator = new nb.Generator(seedOf(c.id, check.dtype));
  const fresh = (): Map<string, nb.Tensor> => {
    const m = buildModule(c.torch_class!, c.arguments ?? {}, check.dtype, generator);
    return new Map([...m.namedParameters(), ...m.namedBuffers()]);
  };
  const first = fresh();
  const records = Object.entries(c.expected).map(([name, r]) => [name, recordOf(name, r)] as const);
  if (records.length !== first.size) {
    throw new Error(`nabla's ${c.torch_class} has [${[...first.keys()].join(", ")}], the reference [${records.map(([n]) => n).join(", ")}]`);
  }
  check.note(`parameter and buffer names [${[...first.keys()].join(", ")}]`, 0, 0);
  for (const [name, rec] of records) {
    const t = first.get(name);
    if (t === undefined) throw new Error(`nabla's ${c.torch_class} has no parameter or buffer "${name}"`);
    const shape = rec.shape ?? [];
    if (t.shape.length !== shape.length || t.shape.some((d, i) => d !== shape[i])) {
      throw new Error(`${name}: shape [${t.shape.join(",")}], expected [${shape.join(",")}]`);
    }
    // torch's one integer buffer is BatchNorm's batch counter (int64 there, int32 in nabla).
    const wantDtype = name === "num_batches_tracked" ? "int32" : check.dtype;
    if (t.dtype !== wantDtype) throw new Error(`${name}: dtype ${t.dtype}, expected ${wantDtype}`);
    // A bias's fan is its layer's weight's.
    const weight = first.get("weight");
    if (weight !== undefined) checkFans(check, name, rec, weight.shape);
    if (t === weight && rec.distribution === "uniform" && rec.gain !== undefined) {
      // torch's Linear and Conv2d: kaiming_uniform_(a = sqrt(5)).
      check.note(`${name}.gain`, relNumber(init.calculateGain("leaky_relu", Math.sqrt(5)), rec.gain), EXACT);
      checkScale(check, name, rec, init.kaimingStd(t.shape, { a: Math.sqrt(5) }));
    }
    const zeroRows = rec.zero_rows ?? [];
    const width = shape.slice(1).reduce((p, d) => p * d, 1);
    const isZeroRow = (i: number): boolean => zeroRows.includes(Math.floor(i / width));
    checkDraws(check, name, rec, () => {
      const data = fresh().get(name)!.data;
      const zeros = Array.from(data).filter((v, i) => isZeroRow(i) && v !== 0).length;
      if (zeros > 0) throw new Error(`${name}: zero_rows [${zeroRows.join(",")}] are not zero`);
      return zeroRows.length === 0 ? data : Array.from(data).filter((_, i) => !isZeroRow(i));
    });
  }
}

/** `init_stats`: a torch.nn.init function, or a layer's default initialization (torch_class). */
export const runNnInitStats: Runner = (cc: ConformanceCase, dtype): CaseResult => {
  const c = cc as NnCase;
  if (c.kind !== "init_stats") throw new Error(`nn init runner got a ${c.kind} case`);
  const check = new FieldChecker(c, dtype);
  if (c.torch_function !== undefined) runInitFunction(check, c);
  else if (c.torch_class !== undefined) runLayerInit(check, c);
  else throw new Error(`init_stats case ${c.id} names neither torch_function nor torch_class`);
  return check.result();
};
