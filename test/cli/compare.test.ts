import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { runCompare } from "../../src/cli/compare.js";
import { OPTIMIZERS } from "../../src/cli/optimizers.js";
import { parseScheduleSpec } from "../../src/cli/scheduleSpec.js";
import type { CompareResult } from "../../src/report/compareResult.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

async function nabla(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, ["--import", "tsx", join(root, "src/cli/main.ts"), ...args], { cwd: root, maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (e) {
    const err = e as { code: number; stdout: string; stderr: string };
    return { code: err.code, stdout: err.stdout, stderr: err.stderr };
  }
}

const CHARTS = ["train-loss-steps", "train-loss-time", "val-loss-steps", "val-loss-time", "accuracy-steps", "accuracy-time", "lr-steps", "grad-norm-steps"];

/** The <figure> of chart `id` in a report. */
function figure(html: string, id: string): string {
  const start = html.indexOf(`<figure class="chart" id="${id}"`);
  expect(start, `chart ${id}`).toBeGreaterThanOrEqual(0);
  return html.slice(start, html.indexOf("</figure>", start));
}

describe("nabla compare", () => {
  it("documents its flags, the schedule grammar and the optimizer guide in --help", async () => {
    const r = await nabla(["compare", "--help"]);
    expect(r.code).toBe(0);
    for (const flag of ["--task", "--optimizers", "--epochs", "--tune-lr", "--schedule", "--target", "--out", "--json"]) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain("warmup-cosine:W[:ALPHA]");
    expect(r.stdout).toMatch(/sparse features/i);
    expect(r.stdout).toMatch(/fine-tuning/i);
  });

  it("rejects bad flags with one line naming the flag, exit 2", async () => {
    const cases = [
      [["compare", "--optimizers", "sgd,magic"], "optimizers"],
      [["compare", "--optimizers", "sgd,sgd"], "optimizers"],
      [["compare", "--lr", "adam=x"], "lr"],
      [["compare", "--target", "1.5"], "target"],
      [["compare", "--task", "moons", "--schedule", "bogus:1", "--quiet"], "schedule"],
      [["compare", "--task", "nope", "--quiet"], "task"],
    ] as const;
    const results = await Promise.all(cases.map(([args]) => nabla([...args])));
    results.forEach((r, i) => {
      const [args, flag] = cases[i]!;
      expect(r.code, args.join(" ")).toBe(2);
      const lines = r.stderr.trim().split("\n");
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(flag);
    });
  });

  it("trains every optimizer from the same weights and reports curves and a ranking that agree (JSON and HTML)", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "nabla-compare-")), "report.html");
    const r = await nabla(["compare", "--task", "moons", "--optimizers", "sgd,momentum,adam", "--epochs", "1", "--hidden", "8", "--quiet", "--json", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as CompareResult & { report: string };
    expect(result.report).toBe(out);
    const names = ["sgd", "momentum", "adam"];
    expect(result.runs.map((x) => x.optimizer)).toEqual(names);
    expect(result.ranking.map((x) => x.optimizer).sort()).toEqual([...names].sort());

    // moons: 2000 points, 1600 for training; batches of 64 -> 25 steps; about 20 evaluations.
    expect(result.trainSamples).toBe(1600);
    expect(result.stepsPerEpoch).toBe(25);
    expect(result.totalSteps).toBe(25);
    expect(result.evalEvery).toBe(2);
    const evalSteps = [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 25];
    for (const x of result.runs) {
      expect(x.steps.map((s) => s.step)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
      expect(x.evals.map((e) => e.step)).toEqual(evalSteps);
      expect(x.diverged).toBeNull();
      for (const s of x.steps) {
        expect(Number.isFinite(s.loss)).toBe(true);
        expect(s.gradNorm).toBeGreaterThan(0);
        expect(s.lr).toBe(x.lr);
      }
      // Training time never runs backwards.
      for (let i = 1; i < x.steps.length; i++) expect(x.steps[i]!.seconds).toBeGreaterThanOrEqual(x.steps[i - 1]!.seconds);
    }
    // Same initial weights and the same first batch: the first loss and gradient norm agree exactly,
    // and so does the evaluation of the initial weights.
    const first = result.runs[0]!;
    for (const x of result.runs) {
      expect(x.steps[0]!.loss).toBe(first.steps[0]!.loss);
      expect(x.steps[0]!.gradNorm).toBe(first.steps[0]!.gradNorm);
      expect(x.evals[0]).toEqual(first.evals[0]);
    }
    // Default learning rates; state: none for SGD, one float32 buffer per parameter for momentum, two for Adam.
    expect(result.runs.map((x) => x.lr)).toEqual(names.map((n) => OPTIMIZERS[n]!.lr));
    expect(result.parameters).toBe(2 * 8 + 8 + 8 * 2 + 2);
    const bytes = Object.fromEntries(result.ranking.map((s) => [s.optimizer, s.stateBytes]));
    expect(bytes).toEqual({ sgd: 0, momentum: 4 * result.parameters, adam: 8 * result.parameters });

    // The ranking is what the curves say.
    const byName = new Map(result.runs.map((x) => [x.optimizer, x]));
    result.ranking.forEach((s, i) => {
      const x = byName.get(s.optimizer)!;
      expect(s.rank).toBe(i + 1);
      expect(s.finalValLoss).toBe(x.evals[x.evals.length - 1]!.loss);
      expect(s.bestAccuracy).toBe(Math.max(...x.evals.map((e) => e.accuracy)));
      const tail = x.steps.slice(-3).map((p) => p.loss);
      expect(s.finalTrainLoss).toBeCloseTo(tail.reduce((a, b) => a + b, 0) / 3, 12);
      const hit = x.evals.find((e) => e.accuracy >= result.target);
      expect(s.timeToTarget).toEqual(hit === undefined ? null : { step: hit.step, seconds: hit.seconds });
      if (i > 0) expect(s.finalValLoss).toBeGreaterThanOrEqual(result.ranking[i - 1]!.finalValLoss);
    });
    const best = Math.max(...result.runs.flatMap((x) => x.evals.map((e) => e.accuracy)));
    expect(result.target).toBe(Math.floor(best * 0.95 * 1000) / 1000);

    // The report: one chart per curve, each drawn with one line per optimizer, and the ranking table.
    const html = readFileSync(out, "utf8");
    expect(html).not.toMatch(/<script|<link|src="http/);
    for (const id of CHARTS) {
      const fig = figure(html, id);
      expect(fig).toContain("<svg");
      for (const name of names) expect(fig, `${id} ${name}`).toMatch(new RegExp(`<path aria-label="[^"]*optimizer: ${name}"[^>]*aria-roledescription="line mark"`));
    }
    expect(html).not.toContain('id="lr-sweep"');
    for (const s of result.ranking) expect(html).toContain(`<td class="num">${s.rank}</td><td>${s.optimizer}</td>`);
  });

  it("prints the ranking table on the terminal", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "nabla-compare-")), "r.html");
    const r = await nabla(["compare", "--task", "blobs", "--optimizers", "sgd,adam", "--epochs", "1", "--hidden", "8", "--test-size", "100", "--quiet", "--target", "50%", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.split("\n");
    const header = lines.findIndex((l) => l.startsWith("rank"));
    expect(lines[header]).toMatch(/^rank\s+optimizer\s+lr\s+train loss\s+val loss\s+best acc\s+to target\s+state\s+time\s+note$/);
    expect(lines[header + 1]).toMatch(/^\s+1\s+(sgd|adam)\s/);
    expect(lines[header + 2]).toMatch(/^\s+2\s+(sgd|adam)\s/);
    expect(r.stdout).toContain("target accuracy 50.0%");
    expect(r.stdout).toContain(`report: ${out}`);
  });

  it("tunes the learning rate per optimizer and applies a schedule", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "nabla-compare-")), "tuned.html");
    const result = await runCompare({
      task: "moons",
      optimizers: ["sgd", "adam"],
      epochs: 1,
      batchSize: 64,
      model: "mlp",
      hidden: [8],
      seed: 3,
      tuneLr: true,
      tuneSteps: 10,
      schedule: "warmup-cosine:5",
      quiet: true,
      out,
    });
    expect(result.sweeps).not.toBeNull();
    for (const [i, sweep] of result.sweeps!.entries()) {
      const base = OPTIMIZERS[["sgd", "adam"][i]!]!.lr;
      expect(sweep.candidates.map((c) => c.lr)).toEqual([0.1, 0.3, 1, 3, 10].map((f) => Number((base * f).toPrecision(3))));
      const best = sweep.candidates.reduce((a, b) => (b.score < a.score ? b : a));
      expect(sweep.chosen).toBe(best.lr);
      expect(result.runs[i]!.lr).toBe(sweep.chosen);
      // The full run's rates follow the schedule around the chosen peak: update k uses schedule(k - 1).
      const schedule = parseScheduleSpec("warmup-cosine:5", { peakLr: sweep.chosen, totalSteps: 25 });
      expect(result.runs[i]!.steps.map((s) => s.lr)).toEqual(result.runs[i]!.steps.map((s) => schedule(s.step - 1)));
    }
    expect(result.schedule).toBe("warmup-cosine:5");
    const html = readFileSync(out, "utf8");
    expect(figure(html, "lr-sweep")).toContain("<svg");
    expect(html).toContain("schedule warmup-cosine:5");
  });

  it("records a run that diverges, ranks it last and says so", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "nabla-compare-")), "diverged.html");
    const result = await runCompare({ task: "moons", optimizers: ["sgd", "adam"], epochs: 1, batchSize: 64, model: "mlp", hidden: [8], seed: 0, lr: { sgd: 1e4 }, quiet: true, out });
    const sgd = result.runs[0]!;
    expect(sgd.lr).toBe(1e4);
    expect(sgd.diverged).not.toBeNull();
    // The non-finite loss came at the step after the last recorded one, and stopped the run there.
    expect(sgd.steps).toHaveLength(sgd.diverged!.step - 1);
    expect(sgd.steps.length).toBeLessThan(25);
    expect(sgd.diverged!.message).toMatch(/loss is (NaN|Infinity|-Infinity) at step/);
    expect(result.runs[1]!.steps).toHaveLength(25);
    expect(result.ranking.map((s) => [s.optimizer, s.diverged])).toEqual([
      ["adam", false],
      ["sgd", true],
    ]);
    const html = readFileSync(out, "utf8");
    expect(html).toContain(`diverged at step ${sgd.diverged!.step}`);
    expect(html).toContain("Diverged (non-finite loss): sgd");
  });
});
