// `npm run bench [-- optim|gemm ...]`: runs each named benchmark (all by
// default) in its own process, prints its table and records it in
// bench/results/<date>-<workload>.md with the command and the machine, and
// its figures in bench/results/<date>-<workload>.json.
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const WORKLOADS: Record<string, string> = {
  optim: "optim.ts",
  gemm: "gemm.ts",
  mlp: "mlp.ts",
};

const asked = process.argv.slice(2);
const unknown = asked.filter((w) => !(w in WORKLOADS));
if (unknown.length > 0) {
  console.error(`bench: unknown workload ${unknown.join(", ")} (known: ${Object.keys(WORKLOADS).join(", ")})`);
  process.exit(2);
}
const date = new Date().toISOString().slice(0, 10);
const cpu = os.cpus();
const machine = `${cpu[0]?.model ?? "unknown CPU"}, ${cpu.length} logical cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ${os.platform()} ${os.release()}, Node ${process.version}`;
mkdirSync(join(here, "results"), { recursive: true });
for (const workload of asked.length > 0 ? asked : Object.keys(WORKLOADS)) {
  console.log(`\n## ${workload}\n`);
  const json = join(here, "results", `${date}-${workload}.json`);
  const output = execFileSync(process.execPath, ["--import", "tsx", join(here, WORKLOADS[workload]!)], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    env: { ...process.env, NABLA_BENCH_JSON: json },
    maxBuffer: 64 * 2 ** 20,
  });
  console.log(output);
  const record = [`# ${workload} benchmark, ${date}`, "", `Command: \`npm run bench -- ${workload}\``, "", `Machine: ${machine}`, "", output.trim(), ""].join("\n");
  writeFileSync(join(here, "results", `${date}-${workload}.md`), record);
}
