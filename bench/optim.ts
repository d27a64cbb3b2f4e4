// Optimizer step cost against the memory-bandwidth floor, in one run.
// `npx tsx bench/optim.ts` prints a markdown table: ns per parameter for a
// step of SGD, SGD+momentum, Adam and AdamW on float32 parameters (one
// tensor, and the same count split in 100 tensors), next to the floor
// bytes/bandwidth, with the bandwidth measured here by a STREAM-like loop.
import os from "node:os";
import * as nb from "../src/index.js";

const SIZES = [1e4, 1e5, 1e6, 1e7];

/** Smallest time per call, in ns, over `trials` runs of `reps` calls each (after a warm-up). */
function timeNs(fn: () => void, minSeconds = 0.25): number {
  for (let i = 0; i < 3; i++) fn();
  const t0 = performance.now();
  fn();
  const once = Math.max(performance.now() - t0, 1e-3);
  const reps = Math.max(1, Math.ceil((minSeconds * 1000) / 5 / once));
  let best = Infinity;
  for (let trial = 0; trial < 5; trial++) {
    const start = performance.now();
    for (let r = 0; r < reps; r++) fn();
    best = Math.min(best, ((performance.now() - start) * 1e6) / reps);
  }
  return best;
}

/** The STREAM-like loop: reads a and b, writes a (12 B per float32 element). */
function triad(a: Float32Array, b: Float32Array, s: number): void {
  const n = a.length;
  for (let i = 0; i < n; i++) a[i] += s * b[i];
}

/** Bytes per second of `triad` over `n` elements. */
function triadBandwidth(n: number): number {
  const a = new Float32Array(n).fill(1);
  const b = new Float32Array(n).fill(0.5);
  let s = 1e-7;
  const ns = timeNs(() => {
    triad(a, b, s);
    s = -s; // keeps the values bounded
  });
  return (12 * n) / (ns * 1e-9);
}

/** Bytes per second of a native copy (TypedArray.set: read 4 B, write 4 B per element): the hardware's reach. */
function copyBandwidth(n: number): number {
  const a = new Float32Array(n).fill(1);
  const b = new Float32Array(n);
  return (8 * n) / (timeNs(() => b.set(a)) * 1e-9);
}

type Make = (params: nb.Tensor[]) => { step(): unknown };

const OPTIMIZERS: { name: string; bytes: number; make: Make }[] = [
  { name: "SGD", bytes: 12, make: (p) => new nb.optim.SGD(p, { lr: 1e-3 }) },
  { name: "SGD+momentum", bytes: 20, make: (p) => new nb.optim.SGD(p, { lr: 1e-3, momentum: 0.9 }) },
  { name: "Adam", bytes: 28, make: (p) => new nb.optim.Adam(p, { lr: 1e-3 }) },
  { name: "AdamW", bytes: 28, make: (p) => new nb.optim.AdamW(p, { lr: 1e-3, weightDecay: 1e-2 }) },
  { name: "adamw chain (fromTransform)", bytes: 28, make: (p) => nb.optim.fromTransform(p, nb.optim.adamw(1e-3, { weightDecay: 1e-2 })) },
];

function params(total: number, pieces: number): nb.Tensor[] {
  const out: nb.Tensor[] = [];
  const gen = new nb.Generator(1);
  for (let k = 0; k < pieces; k++) {
    const n = Math.floor(total / pieces) + (k < total % pieces ? 1 : 0);
    const p = nb.randn([n], { generator: gen });
    p.grad = nb.randn([n], { generator: gen }).mul(1e-3);
    out.push(p);
  }
  return out;
}

const dram = triadBandwidth(2e7);
const native = copyBandwidth(2e7);
const lines: string[] = [];
const cpu = os.cpus();
lines.push(`Machine: ${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} logical cores (shared), Node ${process.version}; float32 parameters.`);
lines.push("");
lines.push(`- Bandwidth, STREAM-like loop \`a[i] += s*b[i]\` over 2e7 float32 (12 B/element): **${(dram / 1e9).toFixed(1)} GB/s**.`);
lines.push(`- Native copy (\`Float32Array.set\`, 8 B/element) over 2e7 float32: ${(native / 1e9).toFixed(1)} GB/s (what SIMD code could reach).`);
lines.push("- floor = bytes moved per parameter (Adam 28, SGD+momentum 20, SGD 12) / bandwidth; \"× floor\" = ns/param / floor.");
lines.push("- Sizes up to 1e6 largely fit in cache; the floor is the DRAM one throughout.");
lines.push("");
lines.push("| optimizer | params | tensors | ns/param | floor ns/param (loop) | × floor | floor ns/param (native copy) |");
lines.push("| --- | ---: | ---: | ---: | ---: | ---: | ---: |");
for (const size of SIZES) {
  for (const opt of OPTIMIZERS) {
    if (opt.name.includes("chain") && size !== 1e6) continue;
    for (const pieces of [1, 100]) {
      const o = opt.make(params(size, pieces));
      const ns = timeNs(() => o.step()) / size;
      const floor = (opt.bytes / dram) * 1e9;
      const nativeFloor = (opt.bytes / native) * 1e9;
      lines.push(
        `| ${opt.name} | ${size.toExponential(0)} | ${pieces} | ${ns.toFixed(2)} | ${floor.toFixed(2)} | ${(ns / floor).toFixed(2)} | ${nativeFloor.toFixed(2)} |`,
      );
    }
  }
}
console.log(lines.join("\n"));
