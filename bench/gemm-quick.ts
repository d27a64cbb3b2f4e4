// Quick GFLOP/s check of the reference GEMM kernel (not a test, no assertions).
// Run: npx tsx bench/gemm-quick.ts
import { gemm, type FloatArray } from "../src/tensor/kernels/gemm.js";

interface Case {
  m: number;
  n: number;
  k: number;
  transA: boolean;
  transB: boolean;
  label: string;
}

const cases: Case[] = [
  { m: 128, n: 256, k: 784, transA: false, transB: false, label: "128x784 @ 784x256" },
  { m: 128, n: 256, k: 784, transA: false, transB: true, label: "x W^T (linear fwd, 784->256)" },
  { m: 256, n: 784, k: 128, transA: true, transB: false, label: "g^T x (linear dW, 784->256)" },
  { m: 128, n: 784, k: 256, transA: false, transB: false, label: "g W (linear dx, 784->256)" },
  { m: 128, n: 128, k: 256, transA: false, transB: true, label: "x W^T (linear fwd, 256->128)" },
  { m: 128, n: 10, k: 128, transA: false, transB: true, label: "x W^T (linear fwd, 128->10)" },
  { m: 64, n: 64, k: 64, transA: false, transB: false, label: "64^3" },
  { m: 256, n: 256, k: 256, transA: false, transB: false, label: "256^3" },
  { m: 512, n: 512, k: 512, transA: false, transB: false, label: "512^3" },
];

function fill(arr: FloatArray, seed: number): void {
  let s = seed;
  for (let i = 0; i < arr.length; i++) {
    s = (s * 1103515245 + 12345) % 2147483648;
    arr[i] = s / 2147483648 - 0.5;
  }
}

function run(c: Case, make: (n: number) => FloatArray): number {
  const { m, n, k, transA, transB } = c;
  const a = make(m * k);
  const b = make(k * n);
  const out = make(m * n);
  fill(a, 1);
  fill(b, 2);
  const lda = transA ? m : k;
  const ldb = transB ? k : n;
  const once = () => gemm(transA, transB, m, n, k, 1, a, 0, lda, b, 0, ldb, 0, out, 0, n);
  for (let i = 0; i < 3; i++) once();
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  while (t - t0 < 300 || reps < 3) {
    once();
    reps++;
    t = performance.now();
  }
  return (2 * m * n * k * reps) / ((t - t0) / 1000) / 1e9;
}

console.log("reference GEMM (plain TypeScript), GFLOP/s");
for (const c of cases) {
  const f32 = run(c, (n) => new Float32Array(n));
  const f64 = run(c, (n) => new Float64Array(n));
  console.log(`${c.label.padEnd(34)} float32 ${f32.toFixed(2).padStart(6)}   float64 ${f64.toFixed(2).padStart(6)}`);
}
