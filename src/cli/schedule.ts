// `nabla schedule --plot SPEC`: draws any schedule spec (the same strings
// that `nabla compare --schedule` takes).
import { type Command, Option } from "commander";
import { resolve } from "node:path";
import { writeFileAtomic } from "../io/files.js";
import { type SchedulePlot, scheduleReportHtml, scheduleSvg } from "../report/scheduleReport.js";
import { thin } from "../report/smoothing.js";
import { formatSig, textTable } from "../report/textTable.js";
import { positiveInt, positiveNumber } from "./parse.js";
import { parseScheduleSpec, SCHEDULE_SPEC_HELP } from "./scheduleSpec.js";
import { UsageError } from "./usageError.js";

export interface ScheduleFlags {
  plot: string[];
  steps: number;
  lr: number;
  stepsPerEpoch?: number;
  log?: boolean;
  out?: string;
  json?: boolean;
  command?: string;
}

export interface ScheduleResult {
  steps: number;
  peakLr: number;
  /** Each spec with its value at every step 0 .. steps-1. */
  curves: { spec: string; values: number[] }[];
}

/** Points drawn per curve; every step is still computed. */
const MAX_POINTS = 2000;

export function registerSchedule(program: Command): void {
  program
    .command("schedule")
    .description("Plot learning-rate schedules given as specs, e.g. nabla schedule --plot warmup-cosine:500 --steps 10000")
    .addOption(new Option("--plot <specs...>", "one or more schedule specs (grammar below)").makeOptionMandatory())
    .addOption(new Option("--steps <n>", "length of the run").default(1000).argParser(positiveInt))
    .addOption(new Option("--lr <rate>", "peak learning rate (1: the plot shows the multiplier)").default(1).argParser(positiveNumber))
    .addOption(new Option("--steps-per-epoch <n>", "lets durations be given in epochs (2e)").argParser(positiveInt))
    .addOption(new Option("--log", "logarithmic learning-rate axis"))
    .addOption(new Option("--out <file>", "where to write the plot: .html (a page) or .svg (the chart alone)").default("schedule.html"))
    .addOption(new Option("--json", "print every step's value as JSON on stdout"))
    .addHelpText("after", `\n${SCHEDULE_SPEC_HELP}`)
    .action(async (flags: ScheduleFlags) => {
      const command = ["nabla", ...process.argv.slice(2)].join(" ");
      const result = await runSchedule({ ...flags, command });
      const out = resolve(flags.out ?? "schedule.html");
      if (flags.json) process.stdout.write(JSON.stringify({ ...result, plot: out }) + "\n");
      else process.stdout.write(formatSchedule(result, out));
    });
}

/** Evaluates the specs at every step and writes the plot as `nabla schedule` does. */
export async function runSchedule(flags: ScheduleFlags): Promise<ScheduleResult> {
  const ctx = { peakLr: flags.lr, totalSteps: flags.steps, ...(flags.stepsPerEpoch !== undefined ? { stepsPerEpoch: flags.stepsPerEpoch } : {}) };
  const curves = flags.plot.map((spec) => {
    let schedule;
    try {
      schedule = parseScheduleSpec(spec, ctx);
    } catch (e) {
      throw new UsageError(`--plot: ${(e as Error).message}`);
    }
    return { spec, values: Array.from({ length: flags.steps }, (_, step) => schedule(step)) };
  });
  const plot: SchedulePlot = {
    peakLr: flags.lr,
    steps: flags.steps,
    log: flags.log === true,
    curves: curves.map((c) => ({ spec: c.spec, points: thin(c.values.map((lr, step) => ({ step, lr })), MAX_POINTS) })),
  };
  const out = flags.out ?? "schedule.html";
  writeFileAtomic(out, out.toLowerCase().endsWith(".svg") ? await scheduleSvg(plot) : await scheduleReportHtml(plot, flags.command ?? "nabla schedule"));
  return { steps: flags.steps, peakLr: flags.lr, curves };
}

/** A table of each schedule's value at a few steps along the run. */
export function formatSchedule(r: ScheduleResult, plotPath: string): string {
  const at = [...new Set([0, 0.1, 0.25, 0.5, 0.75, 1].map((f) => Math.min(r.steps - 1, Math.round(f * (r.steps - 1)))))];
  const rows = at.map((step) => [String(step), ...r.curves.map((c) => formatSig(c.values[step]!, 4))]);
  return [textTable(["step", ...r.curves.map((c) => c.spec)], rows, r.curves.map((_, i) => i + 1).concat(0)).trimEnd(), `plot: ${plotPath}`, ""].join("\n");
}
