import { type Command, Option } from "commander";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { writeFileAtomic } from "../io/files.js";
import { saveSafetensors } from "../io/files.js";
import { crossEntropy } from "../nn/functional/index.js";
import { l1Penalty } from "../nn/regularization.js";
import { weightDecayGroups } from "../optim/paramGroups.js";
import type { Schedule } from "../schedules/schedule.js";
import { parseScheduleSpec, SCHEDULE_SPEC_HELP } from "./scheduleSpec.js";
import type { Module } from "../nn/module.js";
import { Generator, manualSeed } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import { CHECKPOINT_FILES } from "../train/checkpoint.js";
import { evaluate } from "../train/evaluate.js";
import { fit, type History } from "../train/fit.js";
import { toCsv } from "../train/historyLogger.js";
import { ProgressBar } from "../train/progressBar.js";
import { DATASET_NAMES, loadDataset, type TaskData } from "./datasets.js";
import { buildTaskModel } from "./taskModel.js";
import { makeOptimizer, OPTIMIZERS } from "./optimizers.js";
import { intList, nonNegativeInt, nonNegativeNumber, oneOf, positiveInt, positiveNumber } from "./parse.js";
import { UsageError } from "./usageError.js";

export interface TrainFlags {
  dataset: string;
  model: "mlp" | "cnn";
  hidden: number[];
  optimizer: string;
  lr?: number;
  momentum?: number;
  weightDecay?: number;
  schedule?: string;
  clipNorm?: number;
  l1?: number;
  decayBiases?: boolean;
  epochs: number;
  batchSize: number;
  accumulate: number;
  checkpointDir?: string;
  checkpointEvery?: number;
  resume?: string;
  seed: number;
  out?: string;
  quiet?: boolean;
  json?: boolean;
}

export interface TrainResult {
  dataset: string;
  model: string;
  optimizer: string;
  lr: number;
  epochs: number;
  batchSize: number;
  /** Batches per optimizer step (gradient accumulation). */
  accumulate: number;
  seed: number;
  parameters: number;
  trainLoss: number;
  testLoss: number;
  testAccuracy: number;
  seconds: number;
  samplesPerSecond: number;
  history: History;
}

export function registerTrain(program: Command): void {
  program
    .command("train")
    .description(
      "Train a model on a built-in dataset and report test accuracy. With no flags: an MLP 784-256-128-10 " +
        "on the built-in MNIST digits (8,000 train / 2,000 test images) with SGD + momentum 0.9, 10 epochs.",
    )
    .addOption(new Option("--dataset <name>", `mnist, moons, spirals, blobs, or csv:PATH (last column = class label)`).default("mnist"))
    .addOption(new Option("--model <name>", "mlp, or cnn (a small LeNet; image datasets only)").default("mlp").argParser(oneOf(["mlp", "cnn"])))
    .addOption(new Option("--hidden <sizes>", "hidden layer sizes of the mlp, comma-separated").default([256, 128], "256,128").argParser(intList))
    .addOption(
      new Option("--optimizer <name>", `one of ${Object.keys(OPTIMIZERS).join(", ")}`).default("momentum").argParser(oneOf(Object.keys(OPTIMIZERS))),
    )
    .addOption(new Option("--lr <rate>", "learning rate (default: a tuned value per optimizer)").argParser(positiveNumber))
    .addOption(new Option("--momentum <m>", "momentum for sgd/momentum/nesterov/rmsprop").argParser(nonNegativeNumber))
    .addOption(new Option("--weight-decay <wd>", "weight decay (coupled L2; decoupled for adamw)").argParser(nonNegativeNumber))
    .addOption(new Option("--decay-biases", "apply --weight-decay to biases and normalization parameters too (default: weights only)"))
    .addOption(new Option("--schedule <spec>", "learning-rate schedule over the run, e.g. cosine, step:30%:0.1, onecycle, warmup-cosine:500 (see below)"))
    .addOption(new Option("--clip-norm <max>", "clip the global gradient norm to this value before each step").argParser(positiveNumber))
    .addOption(new Option("--l1 <lambda>", "add lambda * sum|w| over the weight matrices to the loss (L1 / lasso)").argParser(nonNegativeNumber))
    .addOption(new Option("--epochs <n>", "passes over the training data").default(10).argParser(positiveInt))
    .addOption(new Option("--batch-size <n>", "samples per forward/backward pass").default(64).argParser(positiveInt))
    .addOption(
      new Option("--accumulate <k>", "accumulate gradients over k batches per optimizer step (an effective batch of k x --batch-size)")
        .default(1)
        .argParser(positiveInt),
    )
    .addOption(new Option("--seed <n>", "seed for initialization and shuffling (same seed, same result)").default(0).argParser(nonNegativeInt))
    .addOption(new Option("--out <dir>", "write history.json, history.csv and model.safetensors here"))
    .addOption(new Option("--checkpoint-dir <dir>", "save the whole training state here after every epoch, so that --resume can continue the run"))
    .addOption(new Option("--checkpoint-every <steps>", "with --checkpoint-dir: save every n optimizer steps instead of every epoch").argParser(positiveInt))
    .addOption(
      new Option(
        "--resume <dir>",
        "continue the run saved in <dir> (a --checkpoint-dir, or one checkpoint in it) exactly where it stopped; --epochs and --out mean the whole run",
      ),
    )
    .addOption(new Option("--quiet", "no progress output"))
    .addOption(new Option("--json", "print the result as JSON on stdout"))
    .addHelpText("after", `\n${SCHEDULE_SPEC_HELP}\n\n${TRAINING_TIPS}`)
    .action(async (flags: TrainFlags) => {
      const result = await runTrain(flags);
      if (flags.json) process.stdout.write(JSON.stringify({ ...result, history: result.history }) + "\n");
      else process.stdout.write(formatResult(result));
    });
}

const TRAINING_TIPS = [
  "Large batches with little memory: --batch-size 32 --accumulate 8 makes one optimizer step per 8 batches of 32,",
  "the same update as --batch-size 256 (for the mean loss) while holding the activations of only 32 samples.",
  "",
  "Checkpoints and resume: --checkpoint-dir runs/a saves model, optimizer, schedule and random-generator state",
  "(atomically: a crash never leaves a broken latest checkpoint); after an interruption, the same command with",
  "--resume runs/a continues bit for bit where the run stopped. --epochs stays the total number of epochs.",
].join("\n");

/** fit's checkpoint options from the flags: new checkpoints go to --checkpoint-dir, else where --resume reads. */
function checkpointOptions(flags: TrainFlags): { checkpointDir?: string; checkpointEvery?: number; resume?: string } {
  if (flags.checkpointEvery !== undefined && flags.checkpointDir === undefined && flags.resume === undefined) {
    throw new UsageError("--checkpoint-every needs --checkpoint-dir (or --resume)");
  }
  let dir = flags.checkpointDir;
  if (dir === undefined && flags.resume !== undefined) {
    // --resume runs/a/step-00000120 keeps checkpointing into runs/a.
    dir = existsSync(join(flags.resume, CHECKPOINT_FILES.trainer)) ? dirname(resolve(flags.resume)) : flags.resume;
  }
  return {
    ...(dir !== undefined ? { checkpointDir: dir } : {}),
    ...(flags.checkpointEvery !== undefined ? { checkpointEvery: flags.checkpointEvery } : {}),
    ...(flags.resume !== undefined ? { resume: flags.resume } : {}),
  };
}

/** Runs one training job as `nabla train` does, returning the summary and history. */
export async function runTrain(flags: TrainFlags): Promise<TrainResult> {
  let data: TaskData;
  try {
    data = loadDataset(flags.dataset, flags.seed);
  } catch (e) {
    throw new UsageError(`--dataset: ${(e as Error).message} (expected ${DATASET_NAMES.join(", ")})`);
  }
  manualSeed(flags.seed);
  const { model, name: modelName } = buildTaskModel(flags.model, flags.hidden, data);
  const params = flags.weightDecay !== undefined && !flags.decayBiases ? weightDecayGroups(model, flags.weightDecay) : model.parameters();
  const optimizer = makeOptimizer(flags.optimizer, params, flags);
  const lr = optimizer.paramGroups[0]!.lr;
  const stepsPerEpoch = Math.ceil(Math.ceil(data.train.length / flags.batchSize) / flags.accumulate);
  let schedule: Schedule | undefined;
  if (flags.schedule !== undefined) {
    try {
      schedule = parseScheduleSpec(flags.schedule, { peakLr: lr, totalSteps: stepsPerEpoch * flags.epochs, stepsPerEpoch });
    } catch (e) {
      throw new UsageError(`--schedule: ${(e as Error).message}`);
    }
  }
  const weights = model.parameters().filter((p) => p.ndim >= 2);
  const l1 = flags.l1 ?? 0;
  const loss = (out: Tensor, y: Tensor): Tensor => (l1 > 0 ? crossEntropy(out, y).add(l1Penalty(weights).mul(l1)) : crossEntropy(out, y));
  const history = await fit(model, {
    optimizer,
    loss,
    ...(schedule ? { schedule } : {}),
    ...(flags.clipNorm !== undefined ? { clipGradNorm: flags.clipNorm } : {}),
    ...checkpointOptions(flags),
    accumulationSteps: flags.accumulate,
    trainData: data.train,
    valData: data.test,
    epochs: flags.epochs,
    batchSize: flags.batchSize,
    generator: new Generator(flags.seed),
    metrics: ["accuracy"],
    callbacks: [new ProgressBar({ quiet: flags.quiet === true })],
  });
  const train = evaluate(model, data.train, { loss: (out, y) => crossEntropy(out, y) });
  const last = history.epochs[history.epochs.length - 1]!;
  const seconds = history.epochs.reduce((s, e) => s + e.seconds, 0);
  const samples = data.train.length * history.epochs.length;
  const result: TrainResult = {
    dataset: data.name,
    model: modelName,
    optimizer: flags.optimizer,
    lr,
    epochs: history.epochs.length,
    batchSize: flags.batchSize,
    accumulate: flags.accumulate,
    seed: flags.seed,
    parameters: model.numParameters(),
    trainLoss: train.loss!,
    testLoss: last.val_loss!,
    testAccuracy: last.val_accuracy!,
    seconds,
    samplesPerSecond: samples / seconds,
    history,
  };
  if (flags.out !== undefined) writeOutputs(flags.out, model, result);
  return result;
}

function writeOutputs(dir: string, model: Module, result: TrainResult): void {
  writeFileAtomic(join(dir, "history.json"), JSON.stringify(result, null, 2) + "\n");
  writeFileAtomic(join(dir, "history.csv"), toCsv(result.history.epochs));
  saveSafetensors(join(dir, "model.safetensors"), model.stateDict(), { producer: "nabla", model: result.model });
}

/** The final table printed by `nabla train`. */
export function formatResult(r: TrainResult): string {
  const header = ["train loss", "test loss", "test accuracy", "time", "samples/s"];
  const row = [r.trainLoss.toFixed(4), r.testLoss.toFixed(4), `${(r.testAccuracy * 100).toFixed(2)}%`, `${r.seconds.toFixed(1)}s`, Math.round(r.samplesPerSecond).toLocaleString("en-US")];
  const widths = header.map((h, i) => Math.max(h.length, row[i]!.length));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join("  ");
  return [
    `${r.model} on ${r.dataset}, ${r.optimizer} (lr ${r.lr}), ${r.epochs} epochs, batch ${r.accumulate > 1 ? `${r.batchSize} x ${r.accumulate} accumulated` : r.batchSize}, seed ${r.seed}, ${r.parameters.toLocaleString("en-US")} parameters`,
    line(header),
    line(row),
    "",
  ].join("\n");
}
