// Training throughput of an MLP 784-256-128-10 (ReLU) with Adam (lr 1e-3),
// cross-entropy, batch 128, one thread, in samples/s: nabla's wasm (default)
// and js backends, TensorFlow.js (cpu and wasm backends) and PyTorch (one
// thread), interleaved round by round, medians. Inputs are seeded random
// float32 values in [0, 1) shaped like an MNIST batch ([128, 784]) with
// random labels in 0..9; each contender keeps its one batch across steps
// and trains on it (a full step each time: zero grads, forward, loss,
// backward, optimizer step). Warm-up steps run before the first round and
// are not timed. `npx tsx bench/mlp.ts` prints a markdown table (and writes
// JSON to $NABLA_BENCH_JSON when set). BENCH_ROUNDS and BENCH_MIN_MS set the
// rounds and their length (at least MLP_MIN_MS per round here, since one
// tfjs cpu step takes ~0.2 s).
import { writeFileSync } from "node:fs";
import os from "node:os";
import * as nb from "../src/index.js";
import { tf, tfAvailable, tfVersion, useTf, type TfBackend } from "./peers/tfjs.js";
import { TorchPeer } from "./peers/torch.js";
import { batchNs, fmt, interleave, MIN_MS, ROUNDS, type Outcome, type Runner } from "./timing.js";

const BATCH = 128;
const SIZES = [784, 256, 128, 10] as const;
const LR = 1e-3;
const WARMUP = 3;
const SEED = 7;
/** Least time per contender per round, in ms. */
const MLP_MIN_MS = Math.max(MIN_MS, 400);

/** Seeded labels in 0..9 (the same for nabla and tfjs). */
function labels(): number[] {
  let s = SEED;
  return Array.from({ length: BATCH }, () => {
    s = (s * 1103515245 + 12345) % 2147483648;
    return Math.floor((s / 2147483648) * SIZES[3]);
  });
}

/** nabla as a user writes it: nb.mlp, nb.optim.Adam, functional.crossEntropy, zeroGrad/backward/step. */
function nablaRunner(backend: nb.BackendName): Runner {
  nb.setBackend(backend);
  nb.manualSeed(SEED);
  const model = nb.mlp(SIZES[0], [SIZES[1], SIZES[2]], SIZES[3]);
  const opt = new nb.optim.Adam(model.parameters(), { lr: LR });
  const x = nb.rand([BATCH, SIZES[0]]);
  const y = nb.tensor(labels(), { dtype: "int32" });
  const step = () => {
    opt.zeroGrad();
    const loss = nb.nn.functional.crossEntropy(model.forward(x), y);
    loss.backward();
    opt.step();
  };
  for (let i = 0; i < WARMUP; i++) step();
  return {
    run: () => {
      nb.setBackend(backend);
      return batchNs(step, MLP_MIN_MS);
    },
  };
}

/** tfjs the usual low-level way: variables, matMul/add/relu, softmaxCrossEntropy, adam.minimize. */
async function tfjsRunner(backend: TfBackend): Promise<Runner> {
  await useTf(backend);
  const vars: tf.Variable[] = [];
  for (let l = 0; l + 1 < SIZES.length; l++) {
    const bound = 1 / Math.sqrt(SIZES[l]!); // torch.nn.Linear's init range
    vars.push(tf.variable(tf.randomUniform([SIZES[l]!, SIZES[l + 1]!], -bound, bound, "float32", SEED + l)));
    vars.push(tf.variable(tf.randomUniform([SIZES[l + 1]!], -bound, bound, "float32", SEED + 10 + l)));
  }
  const x = tf.randomUniform([BATCH, SIZES[0]], 0, 1, "float32", SEED);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d(labels(), "int32"), SIZES[3]));
  const opt = tf.train.adam(LR);
  const loss = (): tf.Scalar =>
    tf.tidy(() => {
      let h: tf.Tensor = x;
      for (let l = 0; l < vars.length; l += 2) {
        h = tf.add(tf.matMul(h, vars[l]!), vars[l + 1]!);
        if (l + 2 < vars.length) h = tf.relu(h);
      }
      return tf.losses.softmaxCrossEntropy(y, h) as tf.Scalar;
    });
  const step = () => opt.minimize(loss, false, vars)?.dispose();
  for (let i = 0; i < WARMUP; i++) step();
  return {
    run: async () => {
      await useTf(backend);
      return batchNs(step, MLP_MIN_MS);
    },
    dispose: () => {
      opt.dispose();
      vars.forEach((v) => v.dispose());
      x.dispose();
      y.dispose();
    },
  };
}

function torchRunner(peer: TorchPeer | string): Runner | string {
  if (typeof peer === "string") return peer;
  return { run: () => peer.time({ cmd: "mlp", sizes: SIZES, batch: BATCH, lr: LR, warmup: WARMUP, seed: SEED, min_ms: MLP_MIN_MS }) };
}

const COLUMNS = ["nabla wasm", "nabla js", "tfjs cpu", "tfjs wasm", "PyTorch 1 thread"] as const;

const torch1 = await TorchPeer.start(1);
const tfCpu = await tfAvailable("cpu");
const tfWasm = await tfAvailable("wasm");
const runners: (Runner | string)[] = [
  nablaRunner("wasm"),
  nablaRunner("js"),
  tfCpu === true ? await tfjsRunner("cpu") : tfCpu,
  tfWasm === true ? await tfjsRunner("wasm") : tfWasm,
  torchRunner(torch1),
];
nb.setBackend("wasm");
// ns per step -> samples per second.
const results: Outcome[] = (await interleave(runners)).map((o) => ("value" in o ? { value: (BATCH * 1e9) / o.value } : o));
if (typeof torch1 !== "string") torch1.close();

const val = (o: Outcome): number => ("value" in o ? o.value : NaN);
const cellText = (o: Outcome): string => ("value" in o ? fmt(o.value, 4) : "—");
const ratio = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) ? `${fmt(a / b, 2)}×` : "—");
const [wasm, js, , tfw, t1] = results.map(val);
const cpu = os.cpus();
const lines: string[] = [];
lines.push(`Load average at start: ${os.loadavg()[0]!.toFixed(1)} (${cpu.length} logical cores, shared with other work).`);
lines.push(`Peers: ${tfVersion()} (cpu: ${tfCpu === true ? "yes" : tfCpu}; wasm: ${tfWasm === true ? "yes" : tfWasm}); ${typeof torch1 === "string" ? `PyTorch missing: ${torch1}` : torch1.describe()}.`);
lines.push(
  `Workload: MLP ${SIZES.join("-")} (ReLU), Adam lr ${LR}, cross-entropy (mean), batch ${BATCH}, float32, one thread; seeded random inputs in [0, 1) shaped like MNIST, random labels; one batch reused across steps. A step = zero grads, forward, loss, backward, Adam step.`,
);
lines.push(`Method: ${WARMUP} untimed warm-up steps each, then ${ROUNDS} rounds, each contender ≥ ${MLP_MIN_MS} ms per round, interleaved; medians. Training continues across rounds.`);
lines.push("");
lines.push(`| ${COLUMNS.join(" | ")} | nabla wasm / tfjs wasm | nabla wasm / PyTorch 1t | nabla js / tfjs wasm |`);
lines.push(`| ${COLUMNS.map(() => "---:").join(" | ")} | ---: | ---: | ---: |`);
lines.push(`| ${results.map(cellText).join(" | ")} | ${ratio(wasm!, tfw!)} | ${ratio(wasm!, t1!)} | ${ratio(js!, tfw!)} |`);
lines.push("");
lines.push("Training samples/s (higher is better); × columns: > 1× means nabla is faster. Target (issue 7): nabla wasm / tfjs wasm ≥ 4×.");
const missing = results.flatMap((o, i) => ("missing" in o ? [`- ${COLUMNS[i]}: ${o.missing}`] : []));
if (missing.length > 0) lines.push("", "Missing:", ...missing);
console.log(lines.join("\n"));

if (process.env.NABLA_BENCH_JSON) {
  const json = {
    workload: "mlp",
    machine: { cpu: cpu[0]?.model, cores: cpu.length, node: process.version, loadavg: os.loadavg() },
    method: { rounds: ROUNDS, minMs: MLP_MIN_MS, warmupSteps: WARMUP },
    model: { sizes: SIZES, batch: BATCH, optimizer: "Adam", lr: LR, loss: "cross-entropy", threads: 1 },
    samplesPerSecond: Object.fromEntries(results.map((o, i) => [COLUMNS[i], "value" in o ? o.value : o.missing])),
  };
  writeFileSync(process.env.NABLA_BENCH_JSON, JSON.stringify(json, null, 2) + "\n");
}
