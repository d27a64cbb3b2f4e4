import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import { parseScheduleSpec } from "../../src/cli/scheduleSpec.js";

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

describe("nabla schedule", () => {
  it("prints every step's value as JSON and writes the chart as SVG", async () => {
    const out = join(mkdtempSync(join(tmpdir(), "nabla-schedule-")), "s.svg");
    const r = await nabla(["schedule", "--plot", "warmup-cosine:5", "step:4:0.5", "--steps", "20", "--lr", "0.1", "--json", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const result = JSON.parse(r.stdout) as { steps: number; peakLr: number; curves: { spec: string; values: number[] }[]; plot: string };
    expect(result.curves.map((c) => c.spec)).toEqual(["warmup-cosine:5", "step:4:0.5"]);
    for (const c of result.curves) {
      const s = parseScheduleSpec(c.spec, { peakLr: 0.1, totalSteps: 20 });
      expect(c.values).toEqual(Array.from({ length: 20 }, (_, t) => s(t)));
    }
    expect(result.curves[1]!.values.slice(0, 9)).toEqual([0.1, 0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.05, 0.025]);
    const svg = readFileSync(out, "utf8");
    expect(svg.startsWith("<svg")).toBe(true);
    expect([...svg.matchAll(/aria-roledescription="line mark"/g)]).toHaveLength(2);
  });

  it("prints a table of values along the run and writes an HTML page by default", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nabla-schedule-"));
    const out = join(dir, "s.html");
    const r = await nabla(["schedule", "--plot", "cosine", "--steps", "101", "--out", out]);
    expect(r.code, r.stderr).toBe(0);
    const lines = r.stdout.trim().split("\n");
    expect(lines[0]).toMatch(/^step\s+cosine$/);
    // Steps 0, 10, 25, 50, 75, 100 of a cosine from 1 to 0 over 101 steps.
    const values = lines.slice(1, 7).map((l) => l.trim().split(/\s+/).map(Number));
    expect(values.map((v) => v[0])).toEqual([0, 10, 25, 50, 75, 100]);
    for (const [step, value] of values) expect(value).toBeCloseTo(0.5 * (1 + Math.cos((Math.PI * step!) / 101)), 3);
    expect(lines[7]).toBe(`plot: ${out}`);
    expect(readFileSync(out, "utf8")).toContain('<figure class="chart" id="schedule"');
  });

  it("rejects a bad spec with one line naming --plot, exit 2, and documents the grammar", async () => {
    const [r, help] = await Promise.all([nabla(["schedule", "--plot", "step:30"]), nabla(["schedule", "--help"])]);
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('nabla: --plot: schedule "step:30": step needs GAMMA as argument 2');
    expect(help.stdout).toContain("onecycle[:PCT[:DIV[:FINAL]]]");
    expect(help.stdout).toContain("--steps-per-epoch");
  });
});
