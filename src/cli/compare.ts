// `nabla compare`: the same model, the same initial weights and the same
// batches, trained with each optimizer; a ranking on the terminal and an
// HTML report with the curves.
import { type Command, InvalidArgumentError, Option } from "commander";
import { resolve } from "node:path";
import { type CompareResult, findings, RANKING_HEADERS, RANKING_NUMERIC, rankingRows, type LrSweep } from "../report/compareResult.js";
import { compareReportHtml, sweepEdgeNote } from "../report/compareReport.js";
import { type Experiment, recordRun, type RecordedRun, setUpExperiment } from "../report/experiment.js";
import { defaultTarget, rankRuns } from "../report/ranking.js";
import { formatSeconds, formatSig, textTable } from "../report/textTable.js";
import { writeFileAtomic } from "../io/files.js";
import { OPTIMIZER_GUIDE } from "../report/optimizerGuide.js";
import { ProgressBar } from "../train/progressBar.js";
import { OPTIMIZERS } from "./optimizers.js";
import { intList, nonNegativeInt, oneOf, positiveInt } from "./parse.js";
import { parseScheduleSpec, SCHEDULE_SPEC_HELP } from "./scheduleSpec.js";
import { UsageError } from "./usageError.js";

export const DEFAULT_OPTIMIZERS = ["sgd", "momentum", "nesterov", "adagrad", "rmsprop", "adam", "adamw"];

export interface CompareFlags {
  task: string;
  optimizers: string[];
  epochs: number;
  batchSize: number;
  model: "mlp" | "cnn";
  hidden: number[];
  seed: number;
  /** Per-optimizer rates (a "*" entry applies to all). */
  lr?: Record<string, number>;
  tuneLr?: boolean;
  tuneSteps?: number;
  schedule?: string;
  evalEvery?: number;
  target?: number;
  trainSize?: number;
  testSize?: number;
  out?: string;
  json?: boolean;
  quiet?: boolean;
  /** The command line shown in the report. */
  command?: string;
}

/** Parses --optimizers: known names, comma-separated, each once. */
export function optimizerList(value: string): string[] {
  const names = value.split(",").map((s) => s.trim());
  for (const n of names) {
    if (!Object.hasOwn(OPTIMIZERS, n)) throw new InvalidArgumentError(`unknown optimizer "${n}" (expected names from ${Object.keys(OPTIMIZERS).join(", ")})`);
  }
  const dup = names.find((n, i) => names.indexOf(n) !== i);
  if (dup !== undefined) throw new InvalidArgumentError(`"${dup}" is listed twice`);
  return names;
}

/** Parses --lr: one rate for all ("0.01") or name=rate pairs ("adam=0.003,sgd=0.2"). */
export function lrList(value: string): Record<string, number> {
  const out: Record<string, number> = {};
  for (const part of value.split(",").map((s) => s.trim())) {
    const [name, rate] = part.includes("=") ? part.split("=", 2).map((s) => s.trim()) : ["*", part];
    const n = Number(rate);
    if (rate === undefined || rate === "" || !Number.isFinite(n) || n <= 0) {
      throw new InvalidArgumentError(`expected a positive rate or name=rate pairs like adam=0.003,sgd=0.1, got "${value}"`);
    }
    if (name !== "*" && !Object.hasOwn(OPTIMIZERS, name!)) throw new InvalidArgumentError(`unknown optimizer "${name}" in "${value}"`);
    out[name!] = n;
  }
  return out;
}

function fraction(value: string): number {
  const n = Number(value.endsWith("%") ? value.slice(0, -1) : value) / (value.endsWith("%") ? 100 : 1);
  if (value.trim() === "" || !Number.isFinite(n) || n <= 0 || n > 1) throw new InvalidArgumentError(`expected an accuracy in (0, 1] or a percentage like 90%, got "${value}"`);
  return n;
}

export function registerCompare(program: Command): void {
  program
    .command("compare")
    .description(
      "Train the same model from the same initial weights with each optimizer, print a ranking and write an HTML report " +
        "(loss, accuracy, learning rate and gradient norm against steps and time).",
    )
    .addOption(new Option("--task <spec>", "mnist, moons, spirals, blobs, or csv:PATH (last column = class label)").default("mnist"))
    .addOption(new Option("--optimizers <names>", `comma-separated, from ${Object.keys(OPTIMIZERS).join(", ")}`).default(DEFAULT_OPTIMIZERS, DEFAULT_OPTIMIZERS.join(",")).argParser(optimizerList))
    .addOption(new Option("--epochs <n>", "passes over the training data per optimizer").default(3).argParser(positiveInt))
    .addOption(new Option("--batch-size <n>", "samples per update").default(64).argParser(positiveInt))
    .addOption(new Option("--model <name>", "mlp, or cnn (a small LeNet; image tasks only)").default("mlp").argParser(oneOf(["mlp", "cnn"])))
    .addOption(new Option("--hidden <sizes>", "hidden layer sizes of the mlp").default([256, 128], "256,128").argParser(intList))
    .addOption(new Option("--lr <rates>", "learning rate for all (0.01) or per optimizer (adam=0.003,sgd=0.2); default: each optimizer's own").argParser(lrList))
    .addOption(new Option("--tune-lr", "first sweep 5 rates (x0.1 .. x10 around the default) per optimizer and keep the best"))
    .addOption(new Option("--tune-steps <n>", "updates per candidate rate in the sweep").default(100).argParser(positiveInt))
    .addOption(new Option("--schedule <spec>", "learning-rate schedule for every optimizer, peaking at its rate (see below)"))
    .addOption(new Option("--eval-every <n>", "evaluate on the test split every n updates (default: about 20 times per run)").argParser(positiveInt))
    .addOption(new Option("--target <accuracy>", "accuracy for 'time to target', 0.9 or 90% (default: 95% of the best reached)").argParser(fraction))
    .addOption(new Option("--train-size <n>", "use only the first n training samples").argParser(positiveInt))
    .addOption(new Option("--test-size <n>", "use only the first n test samples").argParser(positiveInt))
    .addOption(new Option("--seed <n>", "seed for the initial weights and the batch order").default(0).argParser(nonNegativeInt))
    .addOption(new Option("--out <file>", "where to write the HTML report").default("report.html"))
    .addOption(new Option("--json", "print the result (runs, curves, ranking) as JSON on stdout"))
    .addOption(new Option("--quiet", "no progress output"))
    .addHelpText("after", `\n${SCHEDULE_SPEC_HELP}\n\n${OPTIMIZER_GUIDE}`)
    .action(async (flags: CompareFlags) => {
      const result = await runCompare({ ...flags, command: commandLine() });
      if (flags.json) process.stdout.write(JSON.stringify({ ...result, report: resolve(flags.out ?? "report.html") }) + "\n");
      else process.stdout.write(formatCompare(result, resolve(flags.out ?? "report.html")));
    });
}

/** The command as typed, for the report (arguments with spaces quoted). */
function commandLine(): string {
  return ["nabla", ...process.argv.slice(2).map((a) => (/^[\w.,:=%/+-]+$/.test(a) ? a : JSON.stringify(a)))].join(" ");
}

const SWEEP_FACTORS = [0.1, 0.3, 1, 3, 10];
/** Untimed steps per optimizer before the timed runs. */
const WARMUP_STEPS = 5;

function baseLr(flags: CompareFlags, name: string): number {
  return flags.lr?.[name] ?? flags.lr?.["*"] ?? OPTIMIZERS[name]!.lr;
}

function log(flags: CompareFlags, line: string): void {
  if (!flags.quiet) process.stderr.write(line + "\n");
}

/** Mean training loss over the last quarter of a sweep run; Infinity when it diverged. */
function sweepScore(run: RecordedRun): number {
  if (run.diverged !== null || run.steps.length === 0) return Infinity;
  const tail = run.steps.slice(-Math.max(1, Math.ceil(run.steps.length / 4)));
  const mean = tail.reduce((a, s) => a + s.loss, 0) / tail.length;
  return Number.isFinite(mean) ? mean : Infinity;
}

async function sweep(exp: Experiment, flags: CompareFlags, name: string, stepsPerEpoch: number): Promise<LrSweep> {
  const steps = flags.tuneSteps ?? 100;
  const candidates: LrSweep["candidates"] = [];
  for (const factor of SWEEP_FACTORS) {
    const lr = Number((baseLr(flags, name) * factor).toPrecision(3));
    const schedule = flags.schedule !== undefined ? parseScheduleSpec(flags.schedule, { peakLr: lr, totalSteps: steps, stepsPerEpoch }) : undefined;
    const run = await recordRun(exp, {
      optimizer: name,
      lr,
      epochs: Math.ceil(steps / stepsPerEpoch),
      maxSteps: steps,
      batchSize: flags.batchSize,
      seed: flags.seed,
      evalEvery: steps,
      evaluate: false,
      ...(schedule !== undefined ? { schedule } : {}),
    });
    const score = sweepScore(run);
    candidates.push({ lr, score, diverged: run.diverged !== null });
  }
  const best = candidates.reduce((a, b) => (b.score < a.score ? b : a));
  if (!Number.isFinite(best.score)) throw new Error(`compare: every rate of the sweep diverged for ${name} (${candidates.map((c) => c.lr).join(", ")})`);
  const result = { optimizer: name, candidates, chosen: best.lr, steps };
  log(flags, `  sweep ${name}: ${candidates.map((c) => `${formatSig(c.lr)}→${c.diverged ? "diverged" : c.score.toFixed(3)}`).join("  ")}; chose ${formatSig(best.lr)}${sweepEdgeNote(result)}`);
  return result;
}

/** Runs the comparison as `nabla compare` does, writing the report to `flags.out` (default report.html). */
export async function runCompare(flags: CompareFlags): Promise<CompareResult> {
  if (flags.optimizers.length === 0) throw new UsageError("--optimizers: expected at least one optimizer");
  const exp = setUpExperiment({
    task: flags.task,
    model: flags.model,
    hidden: flags.hidden,
    seed: flags.seed,
    ...(flags.trainSize !== undefined ? { trainSize: flags.trainSize } : {}),
    ...(flags.testSize !== undefined ? { testSize: flags.testSize } : {}),
  });
  const stepsPerEpoch = Math.ceil(exp.data.train.length / flags.batchSize);
  const totalSteps = stepsPerEpoch * flags.epochs;
  const evalEvery = flags.evalEvery ?? Math.max(1, Math.ceil(totalSteps / 20));
  if (flags.schedule !== undefined) {
    try {
      parseScheduleSpec(flags.schedule, { peakLr: 1, totalSteps, stepsPerEpoch });
    } catch (e) {
      throw new UsageError(`--schedule: ${(e as Error).message}`);
    }
  }
  const out = flags.out ?? "report.html";
  log(flags, `${exp.modelName} on ${exp.data.name}: ${flags.optimizers.length} optimizers, ${flags.epochs} epochs of ${stepsPerEpoch} steps each`);

  let sweeps: LrSweep[] | null = null;
  if (flags.tuneLr) {
    sweeps = [];
    for (const name of flags.optimizers) sweeps.push(await sweep(exp, flags, name, stepsPerEpoch));
  }
  // A few untimed steps per optimizer first, so that the first run timed does not also pay for compiling the code.
  for (const name of flags.optimizers) {
    const steps = Math.min(WARMUP_STEPS, totalSteps);
    await recordRun(exp, { optimizer: name, lr: baseLr(flags, name), epochs: 1, maxSteps: steps, batchSize: flags.batchSize, seed: flags.seed, evalEvery: steps, evaluate: false });
  }
  const runs: RecordedRun[] = [];
  for (const [i, name] of flags.optimizers.entries()) {
    const lr = sweeps?.[i]?.chosen ?? baseLr(flags, name);
    const schedule = flags.schedule !== undefined ? parseScheduleSpec(flags.schedule, { peakLr: lr, totalSteps, stepsPerEpoch }) : undefined;
    const run = await recordRun(exp, {
      optimizer: name,
      lr,
      epochs: flags.epochs,
      batchSize: flags.batchSize,
      seed: flags.seed,
      evalEvery,
      ...(schedule !== undefined ? { schedule } : {}),
      callbacks: flags.quiet || process.stderr.isTTY !== true ? [] : [new ProgressBar()],
    });
    runs.push(run);
    const last = run.evals[run.evals.length - 1];
    log(
      flags,
      `[${i + 1}/${flags.optimizers.length}] ${name} (lr ${formatSig(lr)}): ${run.steps.length} steps in ${formatSeconds(run.seconds)}` +
        (last !== undefined ? `, val loss ${last.loss.toFixed(4)}, accuracy ${(last.accuracy * 100).toFixed(2)}%` : "") +
        (run.diverged !== null ? `, diverged at step ${run.diverged.step}` : ""),
    );
  }
  const target = flags.target ?? defaultTarget(runs);
  const result: CompareResult = {
    command: flags.command ?? "nabla compare",
    task: exp.data.name,
    model: exp.modelName,
    parameters: exp.model.numParameters(),
    trainSamples: exp.data.train.length,
    testSamples: exp.data.test.length,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    seed: flags.seed,
    stepsPerEpoch,
    totalSteps,
    evalEvery,
    schedule: flags.schedule ?? null,
    target,
    runs,
    ranking: rankRuns(runs, target),
    sweeps,
    createdAt: new Date().toISOString().replace(/\.\d+Z$/, "Z"),
    nodeVersion: process.versions.node,
  };
  writeFileAtomic(out, await compareReportHtml(result));
  return result;
}

/** What `nabla compare` prints without --json: the ranking and the findings. */
export function formatCompare(result: CompareResult, reportPath: string): string {
  return [
    `${result.model} on ${result.task}, ${result.epochs} epochs, batch ${result.batchSize}, seed ${result.seed}; target accuracy ${(result.target * 100).toFixed(1)}%`,
    "",
    textTable(RANKING_HEADERS, rankingRows(result), RANKING_NUMERIC).trimEnd(),
    "",
    ...findings(result),
    "",
    `report: ${reportPath}`,
    "",
  ].join("\n");
}
