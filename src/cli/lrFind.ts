// `nabla lr-find`: the learning-rate range test, with a plot.
import { type Command, InvalidArgumentError, Option } from "commander";
import { resolve } from "node:path";
import { writeFileAtomic } from "../io/files.js";
import { recordRun, setUpExperiment } from "../report/experiment.js";
import { lrFindPoints, type LrFindResult, lrFindReportHtml } from "../report/lrFindReport.js";
import { analyzeLrRange, lrRange } from "../report/lrRangeTest.js";
import { formatSig } from "../report/textTable.js";
import type { BatchLogs, Callback, TrainContext } from "../train/callbacks.js";
import { OPTIMIZERS } from "./optimizers.js";
import { intList, nonNegativeInt, oneOf, positiveInt, positiveNumber } from "./parse.js";
import { UsageError } from "./usageError.js";

export interface LrFindFlags {
  task: string;
  optimizer: string;
  model: "mlp" | "cnn";
  hidden: number[];
  batchSize: number;
  seed: number;
  minLr: number;
  maxLr: number;
  steps: number;
  smoothing: number;
  divergeFactor: number;
  trainSize?: number;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  command?: string;
}

function smoothingFactor(value: string): number {
  const n = Number(value);
  if (value.trim() === "" || !(n >= 0 && n < 1)) throw new InvalidArgumentError(`expected a smoothing factor in [0, 1), got "${value}"`);
  return n;
}

export function registerLrFind(program: Command): void {
  program
    .command("lr-find")
    .description(
      "Learning-rate range test: train for a few hundred steps while the rate grows exponentially, plot the loss against the rate " +
        "and suggest the rate at the steepest descent of the smoothed loss, before it diverges.",
    )
    .addOption(new Option("--task <spec>", "mnist, moons, spirals, blobs, or csv:PATH").default("mnist"))
    .addOption(new Option("--optimizer <name>", `one of ${Object.keys(OPTIMIZERS).join(", ")}`).default("adam").argParser(oneOf(Object.keys(OPTIMIZERS))))
    .addOption(new Option("--model <name>", "mlp, or cnn (image tasks only)").default("mlp").argParser(oneOf(["mlp", "cnn"])))
    .addOption(new Option("--hidden <sizes>", "hidden layer sizes of the mlp").default([256, 128], "256,128").argParser(intList))
    .addOption(new Option("--batch-size <n>", "samples per update").default(64).argParser(positiveInt))
    .addOption(new Option("--min-lr <rate>", "rate of the first step").default(1e-7).argParser(positiveNumber))
    .addOption(new Option("--max-lr <rate>", "rate of the last step").default(10).argParser(positiveNumber))
    .addOption(new Option("--steps <n>", "updates from --min-lr to --max-lr").default(200).argParser(positiveInt))
    .addOption(new Option("--smoothing <beta>", "moving-average factor of the loss").default(0.98).argParser(smoothingFactor))
    .addOption(new Option("--diverge-factor <x>", "stop once the smoothed loss exceeds x times its minimum").default(4).argParser(positiveNumber))
    .addOption(new Option("--train-size <n>", "use only the first n training samples").argParser(positiveInt))
    .addOption(new Option("--seed <n>", "seed for the initial weights and the batch order").default(0).argParser(nonNegativeInt))
    .addOption(new Option("--out <file>", "where to write the HTML report").default("lr-find.html"))
    .addOption(new Option("--json", "print the result (rates, losses, suggestion) as JSON on stdout"))
    .addOption(new Option("--quiet", "no progress output"))
    .action(async (flags: LrFindFlags) => {
      const command = ["nabla", ...process.argv.slice(2)].join(" ");
      const result = await runLrFind({ ...flags, command });
      const out = resolve(flags.out ?? "lr-find.html");
      if (flags.json) process.stdout.write(JSON.stringify({ ...result, report: out }) + "\n");
      else process.stdout.write(formatLrFind(result, out));
    });
}

/** Ends training once the smoothed loss passes `factor` times its minimum (as the analysis will judge it). */
class StopOnDivergence implements Callback {
  private m = 0;
  private correction = 1;
  private best = Infinity;

  constructor(
    private readonly beta: number,
    private readonly factor: number,
  ) {}

  onBatchEnd(logs: BatchLogs, context: TrainContext): void {
    this.m = this.beta * this.m + (1 - this.beta) * logs.loss;
    this.correction *= this.beta;
    const smoothed = this.m / (1 - this.correction);
    if (smoothed > this.factor * this.best) context.stopTraining = true;
    this.best = Math.min(this.best, smoothed);
  }
}

/** Runs the range test as `nabla lr-find` does and writes its report to `flags.out` (default lr-find.html). */
export async function runLrFind(flags: LrFindFlags): Promise<LrFindResult> {
  if (!(flags.maxLr > flags.minLr)) throw new UsageError(`--max-lr (${flags.maxLr}) must be greater than --min-lr (${flags.minLr})`);
  if (flags.steps < 3) throw new UsageError(`--steps: the test needs at least 3 steps, got ${flags.steps}`);
  const exp = setUpExperiment({
    task: flags.task,
    model: flags.model,
    hidden: flags.hidden,
    seed: flags.seed,
    ...(flags.trainSize !== undefined ? { trainSize: flags.trainSize } : {}),
  });
  const lrs = lrRange(flags.minLr, flags.maxLr, flags.steps);
  const stepsPerEpoch = Math.ceil(exp.data.train.length / flags.batchSize);
  if (!flags.quiet) process.stderr.write(`lr range test: ${flags.optimizer} on ${exp.data.name}, ${flags.steps} steps from ${formatSig(flags.minLr)} to ${formatSig(flags.maxLr)}\n`);
  const run = await recordRun(exp, {
    optimizer: flags.optimizer,
    lr: lrs[0]!,
    schedule: (step) => lrs[Math.min(step, lrs.length - 1)]!,
    epochs: Math.ceil(flags.steps / stepsPerEpoch),
    maxSteps: flags.steps,
    batchSize: flags.batchSize,
    seed: flags.seed,
    evalEvery: flags.steps,
    evaluate: false,
    callbacks: [new StopOnDivergence(flags.smoothing, flags.divergeFactor)],
  });
  const usedLrs = run.steps.map((s) => s.lr);
  const losses = run.steps.map((s) => s.loss);
  // A non-finite loss ends the run before its update: record it so the curve shows where.
  if (run.diverged !== null) {
    usedLrs.push(lrs[Math.min(run.diverged.step - 1, lrs.length - 1)]!);
    losses.push(Infinity);
  }
  if (usedLrs.length === 0) throw new Error("lr-find: no step was recorded");
  const analysis = analyzeLrRange(usedLrs, losses, { beta: flags.smoothing, divergeFactor: flags.divergeFactor });
  const result: LrFindResult = {
    command: flags.command ?? "nabla lr-find",
    task: exp.data.name,
    model: exp.modelName,
    optimizer: flags.optimizer,
    batchSize: flags.batchSize,
    seed: flags.seed,
    minLr: flags.minLr,
    maxLr: flags.maxLr,
    steps: flags.steps,
    beta: flags.smoothing,
    divergeFactor: flags.divergeFactor,
    points: lrFindPoints(usedLrs, losses, analysis),
    suggestedLr: analysis.suggestedLr,
    minLrDiv10: analysis.minLrDiv10,
    divergedAt: analysis.divergedAt,
    createdAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
  };
  writeFileAtomic(flags.out ?? "lr-find.html", await lrFindReportHtml(result));
  return result;
}

/** What `nabla lr-find` prints without --json. */
export function formatLrFind(r: LrFindResult, reportPath: string): string {
  const last = r.points[r.points.length - 1]!;
  const stop =
    r.divergedAt !== null
      ? `the loss diverged at step ${r.divergedAt + 1} (lr ${formatSig(r.points[r.divergedAt]!.lr)})`
      : `no divergence up to lr ${formatSig(last.lr)} (step ${last.step})`;
  return [
    `${r.model} on ${r.task}, ${r.optimizer}, batch ${r.batchSize}: ${stop}`,
    `suggested lr (steepest descent): ${r.suggestedLr === null ? "none (too few steps before divergence)" : formatSig(r.suggestedLr)}`,
    `lowest loss ÷ 10:               ${formatSig(r.minLrDiv10)}`,
    `report: ${reportPath}`,
    "",
  ].join("\n");
}
