// Float32 matrix products in GFLOP/s, nabla's js and wasm backends against
// TensorFlow.js (cpu and wasm backends) and PyTorch (one and two threads),
// interleaved round by round, medians. Square sizes, the transposed
// variants, and the products of training the 784-256-128-10 MLP at batch
// 128. `npx tsx bench/gemm.ts` prints a markdown table (and writes JSON to
// $NABLA_BENCH_JSON when set).
import { writeFileSync } from "node:fs";
import os from "node:os";
import * as nb from "../src/index.js";
import { gemm } from "../src/tensor/kernels/gemm.js";
import { sharedWasmRuntime } from "../src/tensor/kernels/wasm/runtime.js";
import { tf, tfAvailable, tfVersion, useTf, type TfBackend } from "./peers/tfjs.js";
import { TorchPeer } from "./peers/torch.js";
import { batchNs, fmt, interleave, MIN_MS, ROUNDS, type Outcome, type Runner } from "./timing.js";

interface Cell {
  label: string;
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
}

const square = (s: number, transA = false, transB = false): Cell => ({
  label: `${s}³${transA ? " Aᵀ" : ""}${transB ? " Bᵀ" : ""}`,
  m: s,
  n: s,
  k: s,
  transA,
  transB,
});
const CELLS: Cell[] = [
  square(128),
  square(256),
  square(512),
  square(1024),
  square(1024, true, false),
  square(1024, false, true),
  { label: "MLP fwd x·Wᵀ 128×784 → 256", m: 128, n: 256, k: 784, transA: false, transB: true },
  { label: "MLP dW gᵀ·x 256×128 · 128×784", m: 256, n: 784, k: 128, transA: true, transB: false },
  { label: "MLP dx g·W 128×256 · 256×784", m: 128, n: 784, k: 256, transA: false, transB: false },
  { label: "MLP fwd 128×256 → 128", m: 128, n: 128, k: 256, transA: false, transB: true },
];
const shared = sharedWasmRuntime();

function filled(size: number, seed: number, inWasm: boolean): Float32Array {
  const out = inWasm ? shared!.residentFloat32(size)! : new Float32Array(size);
  let s = seed;
  for (let i = 0; i < size; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    out[i] = s / 2147483648 - 0.5;
  }
  return out;
}

function nablaRunner(c: Cell, backend: nb.BackendName, inWasm: boolean): Runner {
  const a = filled(c.m * c.k, 1, inWasm);
  const b = filled(c.k * c.n, 2, inWasm);
  const out = filled(c.m * c.n, 3, inWasm);
  const lda = c.transA ? c.m : c.k;
  const ldb = c.transB ? c.k : c.n;
  const once = () => gemm(c.transA, c.transB, c.m, c.n, c.k, 1, a, 0, lda, b, 0, ldb, 0, out, 0, c.n);
  nb.setBackend(backend);
  once();
  return {
    run: () => {
      nb.setBackend(backend);
      return batchNs(once);
    },
  };
}

async function tfjsRunner(c: Cell, backend: TfBackend): Promise<Runner> {
  await useTf(backend);
  const a = tf.randomUniform(c.transA ? [c.k, c.m] : [c.m, c.k], -0.5, 0.5);
  const b = tf.randomUniform(c.transB ? [c.n, c.k] : [c.k, c.n], -0.5, 0.5);
  const once = () => tf.matMul(a, b, c.transA, c.transB).dispose();
  once();
  return {
    run: async () => {
      await useTf(backend);
      return batchNs(once);
    },
    dispose: () => {
      a.dispose();
      b.dispose();
    },
  };
}

function torchRunner(peer: TorchPeer | string, c: Cell): Runner | string {
  if (typeof peer === "string") return peer;
  return { run: () => peer.time({ cmd: "gemm", m: c.m, n: c.n, k: c.k, transA: c.transA, transB: c.transB, min_ms: MIN_MS }) };
}

const COLUMNS = ["nabla js", "nabla wasm", "nabla wasm, operands in WASM memory", "tfjs cpu", "tfjs wasm", "PyTorch 1 thread", "PyTorch 2 threads"] as const;

const torch1 = await TorchPeer.start(1);
const torch2 = await TorchPeer.start(2);
const tfCpu = await tfAvailable("cpu");
const tfWasm = await tfAvailable("wasm");

const rows: { cell: Cell; results: Outcome[] }[] = [];
for (const cell of CELLS) {
  const runners: (Runner | string)[] = [
    nablaRunner(cell, "js", false),
    nablaRunner(cell, "wasm", false),
    shared !== null ? nablaRunner(cell, "wasm", true) : "no shared WASM memory here",
    tfCpu === true ? await tfjsRunner(cell, "cpu") : tfCpu,
    tfWasm === true ? await tfjsRunner(cell, "wasm") : tfWasm,
    torchRunner(torch1, cell),
    torchRunner(torch2, cell),
  ];
  const flops = 2 * cell.m * cell.n * cell.k;
  const results = (await interleave(runners)).map((o) => ("value" in o ? { value: flops / o.value } : o));
  rows.push({ cell, results });
  process.stderr.write(`gemm: ${cell.label} done\n`);
}
for (const t of [torch1, torch2]) if (typeof t !== "string") t.close();

const val = (o: Outcome): number => ("value" in o ? o.value : NaN);
const cellText = (o: Outcome): string => ("value" in o ? fmt(o.value) : "—");
const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) ? `${fmt(a / b, 2)}×` : "—");
const cpu = os.cpus();
const lines: string[] = [];
lines.push(`Load average at start: ${os.loadavg()[0]!.toFixed(1)} (${cpu.length} logical cores, shared with other work). Float32, C = op(A)·op(B) written into an existing C where the library allows (tfjs allocates its result).`);
lines.push(`Peers: ${tfVersion()} (cpu: ${tfCpu === true ? "yes" : tfCpu}; wasm: ${tfWasm === true ? "yes" : tfWasm}); ${typeof torch1 === "string" ? `PyTorch missing: ${torch1}` : torch1.describe()}.`);
lines.push(`Method: ${ROUNDS} rounds, each contender ≥ ${MIN_MS} ms per round, interleaved; medians. nabla wasm copies ordinary operands into WASM memory per call; "operands in WASM memory" copies nothing.`);
lines.push("");
lines.push(`| product | m | n | k | ${COLUMNS.join(" | ")} | wasm / tfjs wasm | wasm / PyTorch 1t |`);
lines.push(`| --- | ---: | ---: | ---: | ${COLUMNS.map(() => "---:").join(" | ")} | ---: | ---: |`);
for (const { cell, results } of rows) {
  const [, wasm, , , tfw, t1] = results.map(val);
  lines.push(`| ${cell.label} | ${cell.m} | ${cell.n} | ${cell.k} | ${results.map(cellText).join(" | ")} | ${ratio(wasm!, tfw!)} | ${ratio(wasm!, t1!)} |`);
}
lines.push("");
lines.push("GFLOP/s (higher is better); × columns: > 1× means nabla is faster.");
const missing = new Set<string>();
rows.forEach(({ results }) => results.forEach((o, i) => "missing" in o && missing.add(`${COLUMNS[i]}: ${o.missing}`)));
if (missing.size > 0) lines.push("", "Missing:", ...[...missing].map((m) => `- ${m}`));
console.log(lines.join("\n"));

if (process.env.NABLA_BENCH_JSON) {
  const json = {
    workload: "gemm",
    machine: { cpu: cpu[0]?.model, cores: cpu.length, node: process.version, loadavg: os.loadavg() },
    method: { rounds: ROUNDS, minMs: MIN_MS },
    rows: rows.map(({ cell, results }) => ({
      ...cell,
      gflops: Object.fromEntries(results.map((o, i) => [COLUMNS[i], "value" in o ? o.value : o.missing])),
    })),
  };
  writeFileSync(process.env.NABLA_BENCH_JSON, JSON.stringify(json, null, 2) + "\n");
}
