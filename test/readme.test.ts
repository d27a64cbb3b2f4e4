// The TypeScript examples in README.md run as written (against the source).
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const blocks = [...readFileSync(join(root, "README.md"), "utf8").matchAll(/```ts\n([\s\S]*?)```/g)].map((m) => m[1]!);

describe("README examples", () => {
  it("has TypeScript examples", () => {
    expect(blocks.length).toBeGreaterThanOrEqual(2);
  });
  blocks.forEach((code, i) => {
    it(`block ${i + 1} runs`, () => {
      const dir = mkdtempSync(join(tmpdir(), "nabla-readme-"));
      const file = join(dir, "example.mts");
      let source = code.replace(/from "nabla"/g, `from ${JSON.stringify(join(root, "src/index.ts"))}`);
      if (!source.includes("import * as nb")) {
        // Blocks that continue the tour get the import and a small dataset to work on.
        source = `import * as nb from ${JSON.stringify(join(root, "src/index.ts"))};\nconst data = nb.data.mnist({ trainSize: 256, testSize: 64 });\n${source}`;
      }
      writeFileSync(file, `${source}\nexport {};\n`);
      expect(() => execFileSync(process.execPath, ["--import", "tsx", file], { cwd: root, encoding: "utf8", stdio: "pipe" })).not.toThrow();
    });
  });
});
