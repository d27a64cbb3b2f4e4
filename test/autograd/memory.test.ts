// 10,000 training-style forward/backward passes must not grow memory: the
// graph of each step is dropped with its loss, and gradients accumulate in
// place. Runs in a child process with --expose-gc so heap figures are exact.
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

const script = `
import * as nb from ${JSON.stringify(join(root, "src/index.ts"))};
const g = new nb.Generator(0);
const x = nb.randn([16, 8], { generator: g });
const y = nb.randn([16, 1], { generator: g });
const w1 = nb.randn([8, 16], { generator: g }).mul(0.3).requiresGrad_();
const w2 = nb.randn([16, 1], { generator: g }).mul(0.3).requiresGrad_();
const samples = [];
for (let i = 1; i <= 10000; i++) {
  const h = x.matmul(w1).relu();
  const err = h.matmul(w2).sub(y);
  const loss = err.mul(err).mean();
  loss.backward();
  nb.noGrad(() => {
    for (const p of [w1, w2]) {
      for (let k = 0; k < p.size; k++) p.data[k] -= 0.01 * p.grad.data[k];
      p.grad.data.fill(0);
    }
  });
  if (i % 1000 === 0) { globalThis.gc(); const m = process.memoryUsage(); samples.push(m.heapUsed + m.arrayBuffers); }
}
console.log(JSON.stringify(samples));
`;

describe("memory", () => {
  it("stays flat over 10,000 forward/backward passes", () => {
    const out = execFileSync(process.execPath, ["--expose-gc", "--import", "tsx", "--input-type=module", "-e", script], {
      cwd: root,
      encoding: "utf8",
    });
    const samples = JSON.parse(out.trim().split("\n").pop()!) as number[];
    expect(samples).toHaveLength(10);
    // After warm-up (JIT, first allocations), memory after 10,000 steps is within 512 KiB of
    // memory after 2,000: keeping even one small tensor per step (an object plus its typed
    // array, well over 64 bytes) for 8,000 steps would exceed it.
    const growth = samples[9]! - samples[1]!;
    expect(growth).toBeLessThan(512 * 1024);
  });
});
