import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

async function nabla(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], { cwd: root });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

describe("nabla train", () => {
  it("documents its flags in --help", async () => {
    const r = await nabla(["train", "--help"]);
    expect(r.code).toBe(0);
    for (const flag of ["--dataset", "--model", "--hidden", "--optimizer", "--lr", "--epochs", "--batch-size", "--seed", "--out"]) {
      expect(r.stdout).toContain(flag);
    }
  });

  it("rejects unknown flags and bad values with one line naming the flag, exit 2", async () => {
    for (const args of [["train", "--bogus"], ["train", "--lr", "abc"], ["train", "--epochs", "0"], ["train", "--optimizer", "magic"], ["train", "--hidden", "12,x"]]) {
      const r = await nabla(args);
      expect(r.code).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(new RegExp(args[1]!.replace(/^--/, "")));
    }
    const bad = await nabla(["train", "--dataset", "nope", "--quiet"]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--dataset/);
  });

  it("trains two moons, writes history and weights, and is bit-for-bit reproducible", async () => {
    const out = mkdtempSync(join(tmpdir(), "nabla-train-"));
    const args = ["train", "--dataset", "moons", "--hidden", "16", "--epochs", "3", "--seed", "5", "--quiet", "--json"];
    const a = await nabla([...args, "--out", out]);
    expect(a.code).toBe(0);
    const b = await nabla(args);
    const ra = JSON.parse(a.stdout) as { testLoss: number; trainLoss: number; history: { steps: { loss: number }[] } };
    const rb = JSON.parse(b.stdout) as typeof ra;
    expect(ra.history.steps.map((s) => s.loss)).toEqual(rb.history.steps.map((s) => s.loss));
    expect(ra.testLoss).toBe(rb.testLoss);
    const saved = JSON.parse(readFileSync(join(out, "history.json"), "utf8")) as { epochs: number };
    expect(saved.epochs).toBe(3);
    expect(readFileSync(join(out, "history.csv"), "utf8").split("\n")[0]).toContain("val_accuracy");
    const weights = nb.io.loadSafetensors(join(out, "model.safetensors")).tensors;
    expect(Object.keys(weights)).toContain("1.weight");
    expect(weights["1.weight"]!.shape).toEqual([16, 2]);
  });
});
