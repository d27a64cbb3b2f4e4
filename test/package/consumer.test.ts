// A project outside this repository imports the built package by name,
// type-checks against its declarations, and fits y = 3x + 2 by hand.
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
let project = "";

const consumer = `
import * as nb from "nabla";

const x: nb.Tensor = nb.linspace(-1, 1, 32).reshape([32, 1]);
const y = x.mul(3).add(2);
const w = nb.zeros([1], { requiresGrad: true });
const b = nb.zeros([1], { requiresGrad: true });
for (let i = 0; i < 300; i++) {
  const err = x.mul(w).add(b).sub(y);
  const loss = err.mul(err).mean();
  w.grad = null;
  b.grad = null;
  loss.backward();
  nb.noGrad(() => {
    w.data[0] -= 0.2 * w.grad!.data[0]!;
    b.data[0] -= 0.2 * b.grad!.data[0]!;
  });
}
console.log(JSON.stringify({ w: w.item(), b: b.item() }));
`;

describe("the built package from a consumer project", () => {
  beforeAll(() => {
    if (!existsSync(join(root, "dist/index.js"))) execFileSync("npm", ["run", "build"], { cwd: root, stdio: "ignore" });
    project = mkdtempSync(join(tmpdir(), "nabla-consumer-"));
    mkdirSync(join(project, "node_modules"));
    symlinkSync(root, join(project, "node_modules/nabla"), "dir");
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
    writeFileSync(join(project, "main.ts"), consumer);
    writeFileSync(join(project, "main.mjs"), consumer.replace(/: nb\.Tensor/g, "").replace(/!(?=[.;])/g, ""));
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: { target: "ES2022", module: "NodeNext", moduleResolution: "NodeNext", strict: true, noEmit: true, skipLibCheck: false, types: [] },
        files: ["main.ts"],
      }),
    );
  });

  it("type-checks against the shipped declarations", () => {
    const tsc = join(root, "node_modules/typescript/bin/tsc");
    expect(() => execFileSync(process.execPath, [tsc, "-p", project], { encoding: "utf8" })).not.toThrow();
  });

  it("imports nabla by name and fits y = 3x + 2 with hand-written gradient descent", () => {
    const out = execFileSync(process.execPath, [join(project, "main.mjs")], { encoding: "utf8" });
    const { w, b } = JSON.parse(out.trim()) as { w: number; b: number };
    expect(w).toBeCloseTo(3, 3);
    expect(b).toBeCloseTo(2, 3);
  });
});
