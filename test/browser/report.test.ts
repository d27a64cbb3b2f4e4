// Opens generated reports in headless Chromium (Debian's `chromium`, which
// .ci/run installs), checks that every chart was drawn, and saves
// screenshots under test-results/.
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { runCompare } from "../../src/cli/compare.js";
import { runLrFind } from "../../src/cli/lrFind.js";
import { runSchedule } from "../../src/cli/schedule.js";
import { checkReport, type PageCheck } from "./charts.js";
import { CHROMIUM, chromiumAvailable } from "./chromium.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const results = join(root, "test-results");
// On CI the browser must be there (.ci/run installs it); elsewhere the test says why it did not run.
const run = chromiumAvailable() || process.env.CI !== undefined;
if (!run) console.warn(`browser tests skipped: ${CHROMIUM} not found (apt-get install chromium)`);

function expectDrawn(check: PageCheck, ids: readonly string[]): void {
  expect(check.charts.map((c) => c.id)).toEqual(ids);
  for (const c of check.charts) {
    expect(c.width, c.id).toBeGreaterThan(200);
    expect(c.height, c.id).toBeGreaterThan(100);
    expect(c.paths, c.id).toBeGreaterThan(0);
    expect(c.texts, c.id).toBeGreaterThan(5);
    // Every non-empty path got a box from the layout: nothing failed to draw.
    expect(c.drawnPaths, c.id).toBe(c.paths);
  }
  // Self-contained: no script, no request for anything outside the file.
  expect(check.scripts).toBe(0);
  expect(check.resources).toEqual([]);
}

function savePng(name: string, png: Buffer): void {
  expect(png.subarray(1, 4).toString("latin1")).toBe("PNG");
  expect(png.length).toBeGreaterThan(20_000);
  mkdirSync(results, { recursive: true });
  writeFileSync(join(results, name), png);
}

describe.runIf(run)("reports in a browser", () => {
  const dir = mkdtempSync(join(tmpdir(), "nabla-browser-"));

  it("draws every chart of a compare report", async () => {
    const out = join(dir, "compare.html");
    await runCompare({
      task: "moons",
      optimizers: ["sgd", "momentum", "adam"],
      epochs: 2,
      batchSize: 64,
      model: "mlp",
      hidden: [16],
      seed: 0,
      tuneLr: true,
      tuneSteps: 8,
      quiet: true,
      out,
      command: "nabla compare --task moons --optimizers sgd,momentum,adam --epochs 2 --hidden 16 --tune-lr --tune-steps 8",
    });
    const { check, png } = await checkReport(out);
    expect(check.title).toBe("Optimizer comparison: twoMoons");
    expectDrawn(check, ["train-loss-steps", "train-loss-time", "val-loss-steps", "val-loss-time", "accuracy-steps", "accuracy-time", "lr-steps", "grad-norm-steps", "lr-sweep"]);
    // Each chart has at least a line per optimizer.
    for (const c of check.charts) expect(c.paths, c.id).toBeGreaterThanOrEqual(3);
    savePng("compare-report.png", png);
  });

  it("draws the lr-find and schedule plots", async () => {
    const lr = join(dir, "lr-find.html");
    await runLrFind({ task: "moons", optimizer: "adam", model: "mlp", hidden: [16], batchSize: 32, seed: 0, minLr: 1e-5, maxLr: 10, steps: 80, smoothing: 0.9, divergeFactor: 4, quiet: true, out: lr });
    const a = await checkReport(lr);
    expectDrawn(a.check, ["lr-find"]);
    savePng("lr-find-report.png", a.png);

    const sched = join(dir, "schedule.html");
    await runSchedule({ plot: ["warmup-cosine:500", "onecycle", "step:3000:0.1"], steps: 10000, lr: 0.1, out: sched });
    const b = await checkReport(sched);
    expectDrawn(b.check, ["schedule"]);
    savePng("schedule-report.png", b.png);
  });
});
