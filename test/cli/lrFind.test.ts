import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runLrFind } from "../../src/cli/lrFind.js";
import { analyzeLrRange } from "../../src/report/lrRangeTest.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

describe("nabla lr-find", () => {
  it("documents its flags and rejects a range that does not grow, exit 2", async () => {
    const cli = (args: string[]) => run(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), "lr-find", ...args], { cwd: root });
    const help = await cli(["--help"]);
    for (const flag of ["--min-lr", "--max-lr", "--steps", "--smoothing", "--optimizer", "--out", "--json"]) expect(help.stdout).toContain(flag);
    const bad = await cli(["--task", "moons", "--min-lr", "1", "--max-lr", "0.1", "--quiet"]).catch((e: { code: number; stderr: string }) => e);
    expect((bad as { code: number }).code).toBe(2);
    expect((bad as { stderr: string }).stderr.trim()).toBe("nabla: --max-lr (0.1) must be greater than --min-lr (1)");
  });

  it("raises the rate geometrically, stops when the loss diverges and suggests a rate before that", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "nabla-lrfind-")), "lr.html");
    const r = await runLrFind({
      task: "moons",
      optimizer: "sgd",
      model: "mlp",
      hidden: [16],
      batchSize: 32,
      seed: 1,
      minLr: 1e-4,
      maxLr: 1e4,
      steps: 120,
      smoothing: 0.9,
      divergeFactor: 4,
      quiet: true,
      out,
    });
    // Update k used lr = 1e-4 * 10^(8 k / 119); the recorded points follow it exactly.
    r.points.forEach((p, k) => {
      expect(p.step).toBe(k + 1);
      expect(Math.abs(p.lr / (1e-4 * Math.pow(1e8, k / 119)) - 1)).toBeLessThan(1e-12);
    });
    // SGD on moons cannot survive lr 1e4: the test stopped at divergence, before the planned 120 steps.
    expect(r.divergedAt).not.toBeNull();
    expect(r.points.length).toBeLessThan(120);
    // The suggestion is the analysis of the recorded curve, below the rate where it diverged.
    const a = analyzeLrRange(
      r.points.map((p) => p.lr),
      r.points.map((p) => p.loss),
      { beta: 0.9, divergeFactor: 4 },
    );
    expect(r.suggestedLr).toBe(a.suggestedLr);
    expect(r.divergedAt).toBe(a.divergedAt);
    expect(r.suggestedLr!).toBeGreaterThan(1e-4);
    expect(r.suggestedLr!).toBeLessThan(r.points[r.divergedAt!]!.lr);
    // The smoothed curve fell on the way to the suggestion.
    expect(r.points[a.steepestIndex!]!.smoothed).toBeLessThan(r.points[0]!.smoothed);
    const html = readFileSync(out, "utf8");
    expect(html).toContain('<figure class="chart" id="lr-find"');
    expect(html).toMatch(/aria-roledescription="line mark"/);
    expect(html).toContain("steepest descent (suggested)");
  });
});
