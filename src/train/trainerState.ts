// What a training checkpoint holds and how it goes back into live objects:
// model weights, optimizer, scheduler and loss-scaler state, the random
// generators, the position in the run and the history.
import { defaultGenerator, type Generator, type GeneratorState } from "../tensor/random.js";
import type { Tensor } from "../tensor/tensor.js";
import type { Callback } from "./callbacks.js";
import type { CheckpointContents } from "./checkpoint.js";
import type { History } from "./fit.js";
import { packPlainData, unpackPlainData } from "./plainData.js";
import type { StepOptimizer, TrainableModel } from "./types.js";

/** Anything whose state a checkpoint can hold. */
export interface Stateful {
  stateDict(): unknown;
  loadStateDict(state: unknown): unknown;
}

/** A model a checkpoint can save and restore (every nn.Module). */
export type CheckpointModel = TrainableModel & {
  stateDict(): Record<string, Tensor>;
  loadStateDict(state: Record<string, Tensor>): unknown;
};

/** Where a run stands: the epoch in progress, how far into it, and its running totals. */
export interface Progress {
  /** The epoch in progress (0-based); at an epoch boundary, the next one. */
  epoch: number;
  /** Batches of that epoch already consumed (0 at an epoch boundary). */
  batch: number;
  /** Optimizer steps taken in the whole run. */
  step: number;
  /** Sum of batch loss x batch size over the epoch's consumed batches. */
  lossSum: number;
  /** Samples of the epoch consumed. */
  samples: number;
  /** Training seconds spent in the epoch so far. */
  seconds: number;
}

/** The facts about the data that a position inside an epoch depends on. */
export interface DataLayout {
  batchesPerEpoch: number;
  datasetLength: number;
  batchSize: number;
  accumulationSteps: number;
}

/** The live objects a checkpoint is taken from and restored into. */
export interface TrainerParts {
  model: CheckpointModel;
  optimizer: StepOptimizer & Stateful;
  scheduler?: Stateful | undefined;
  scaler?: Stateful | undefined;
  callbacks: readonly Callback[];
  /** The generator the data loader shuffles with (may be the global one). */
  loaderGenerator: Generator;
}

/** The random-generator states a resumed run needs. */
export interface RngRecord {
  global: GeneratorState;
  loader: GeneratorState;
  /** Mid-epoch only: the loader's generator as it was when the epoch drew its order. */
  loaderEpochStart?: GeneratorState;
}

const FORMAT = "nabla-checkpoint";
const VERSION = 1;

function optimizerName(optimizer: object): string {
  const name = (optimizer as { name?: unknown }).name;
  return typeof name === "string" ? name : optimizer.constructor.name;
}

function hasState(x: unknown): x is Stateful {
  return typeof x === "object" && x !== null && typeof (x as Stateful).stateDict === "function" && typeof (x as Stateful).loadStateDict === "function";
}

/** Builds the checkpoint of a run standing at `progress`. */
export function captureCheckpoint(
  parts: TrainerParts,
  progress: Progress,
  history: History,
  layout: DataLayout,
  loaderEpochStart: GeneratorState | undefined,
): CheckpointContents {
  const state: Record<string, Tensor> = {};
  const stepCount = (parts.optimizer as { stepCount?: unknown }).stepCount;
  const rng: RngRecord = { global: defaultGenerator.getState(), loader: parts.loaderGenerator.getState() };
  if (progress.batch > 0 && loaderEpochStart !== undefined) rng.loaderEpochStart = loaderEpochStart;
  const trainer = {
    format: FORMAT,
    version: VERSION,
    progress: packPlainData(progress, "progress", state),
    layout: { ...layout },
    rng: packPlainData(rng, "rng", state),
    optimizer: {
      name: optimizerName(parts.optimizer),
      ...(typeof stepCount === "number" ? { stepCount } : {}),
      state: packPlainData(parts.optimizer.stateDict(), "optimizer", state),
    },
    scheduler: parts.scheduler ? packPlainData(parts.scheduler.stateDict(), "scheduler", state) : null,
    scaler: parts.scaler ? packPlainData(parts.scaler.stateDict(), "scaler", state) : null,
    callbacks: parts.callbacks.map((cb, i) => (hasState(cb) ? packPlainData(cb.stateDict(), `callbacks/${i}`, state) : null)),
    history: packPlainData(history, "history", state),
  };
  return { trainer, state, model: parts.model.stateDict() };
}

/** A checkpoint read back: where the run stood, its history, and the generator states to install. */
export interface Restored {
  progress: Progress;
  history: History;
  rng: RngRecord;
  /** Callback states, installed after the callbacks' onTrainBegin (which resets them). */
  callbacks: readonly unknown[];
}

type Rec = Record<string, unknown>;

function isRecord(x: unknown): x is Rec {
  return typeof x === "object" && x !== null && !Array.isArray(x);
}

/**
 * Validates a checkpoint against the run about to resume and installs
 * model weights, optimizer, scheduler and scaler state, all or nothing: if
 * any part does not fit, everything is put back as it was and the error
 * says which part. The generators are not touched here (see `Restored`).
 */
export function restoreCheckpoint(parts: TrainerParts, contents: CheckpointContents, layout: DataLayout, path: string): Restored {
  const where = `fit: cannot resume from ${path}`;
  const fail = (why: string): never => {
    throw new Error(`${where}: ${why}`);
  };
  const t = contents.trainer;
  if (!isRecord(t) || t.format !== FORMAT) fail(`trainer.json is not a nabla checkpoint (no "format": "${FORMAT}")`);
  const trainer = t as Rec;
  if (trainer.version !== VERSION) fail(`checkpoint format version ${String(trainer.version)} is not supported (this nabla reads version ${VERSION})`);
  const unpack = (json: unknown, name: string): unknown => unpackPlainData(json, contents.state, `${where}: ${name}`);
  const progress = checkProgress(unpack(trainer.progress, "progress"), fail);
  const rng = checkRng(unpack(trainer.rng, "rng"), progress, fail);
  const history = checkHistory(unpack(trainer.history, "history"), fail);
  if (progress.batch > 0) checkLayout(trainer.layout, layout, fail);
  const opt = trainer.optimizer;
  if (!isRecord(opt)) return fail("the optimizer state is missing");
  const savedName = opt.name;
  const name = optimizerName(parts.optimizer);
  if (savedName !== name) fail(`it was written with optimizer ${String(savedName)}, this run uses ${name}`);
  const present = (what: string, saved: unknown, live: unknown): void => {
    if (saved !== null && saved !== undefined && !live) fail(`it holds ${what} state, but this run has no ${what}`);
    if ((saved === null || saved === undefined) && live) fail(`this run has a ${what}, but the checkpoint holds no ${what} state`);
  };
  present("scheduler", trainer.scheduler, parts.scheduler);
  present("loss scaler", trainer.scaler, parts.scaler);
  const callbackStates = Array.isArray(trainer.callbacks) ? trainer.callbacks.map((c, i) => unpack(c, `callbacks[${i}]`)) : [];
  callbackStates.forEach((s, i) => {
    if (s !== null && !hasState(parts.callbacks[i])) fail(`it holds state for callback ${i}, which this run does not have or cannot load`);
  });

  const before = {
    model: parts.model.stateDict(),
    optimizer: parts.optimizer.stateDict(),
    stepCount: (parts.optimizer as { stepCount?: unknown }).stepCount,
    scheduler: parts.scheduler?.stateDict(),
    scaler: parts.scaler?.stateDict(),
  };
  let stage = "model";
  try {
    parts.model.loadStateDict(contents.model);
    stage = "optimizer";
    parts.optimizer.loadStateDict(unpack(opt.state, "optimizer"));
    if (typeof opt.stepCount === "number") (parts.optimizer as { stepCount?: number }).stepCount = opt.stepCount;
    stage = "scheduler";
    parts.scheduler?.loadStateDict(unpack(trainer.scheduler, "scheduler"));
    stage = "loss-scaler";
    parts.scaler?.loadStateDict(unpack(trainer.scaler, "scaler"));
  } catch (e) {
    parts.model.loadStateDict(before.model);
    parts.optimizer.loadStateDict(before.optimizer);
    if (typeof before.stepCount === "number") (parts.optimizer as { stepCount?: number }).stepCount = before.stepCount;
    if (before.scheduler !== undefined) parts.scheduler?.loadStateDict(before.scheduler);
    if (before.scaler !== undefined) parts.scaler?.loadStateDict(before.scaler);
    const message = (e as Error).message;
    throw new Error(message.startsWith(where) ? message : `${where}: its ${stage} state does not fit this run: ${message}`, { cause: e });
  }
  return { progress, history, rng, callbacks: callbackStates };
}

/** Installs saved callback states (after onTrainBegin, which resets them). */
export function restoreCallbacks(callbacks: readonly Callback[], states: readonly unknown[]): void {
  states.forEach((s, i) => {
    const cb = callbacks[i];
    if (s !== null && hasState(cb)) cb.loadStateDict(s);
  });
}

/**
 * Puts the generators where they were when the checkpoint was taken and
 * returns the epoch's batch iterator. Mid-epoch, the loader's generator is
 * first rewound to the epoch's start so that the epoch draws the same order
 * again; the generators are then set to their saved states (the loader's
 * generator may be the global one: the global state is set last).
 */
export function restoreGenerators<T>(rng: RngRecord, loaderGenerator: Generator, startEpoch: () => Iterator<T>): Iterator<T> {
  if (rng.loaderEpochStart === undefined) {
    loaderGenerator.setState(rng.loader);
    defaultGenerator.setState(rng.global);
    return startEpoch();
  }
  loaderGenerator.setState(rng.loaderEpochStart);
  const it = startEpoch();
  loaderGenerator.setState(rng.loader);
  defaultGenerator.setState(rng.global);
  return it;
}

type Fail = (why: string) => never;

function isCount(x: unknown): x is number {
  return typeof x === "number" && Number.isInteger(x) && x >= 0;
}

function checkProgress(p: unknown, fail: Fail): Progress {
  if (!isRecord(p)) return fail("the progress record is missing");
  for (const key of ["epoch", "batch", "step", "samples"]) if (!isCount(p[key])) fail(`progress.${key} must be a non-negative integer, got ${JSON.stringify(p[key])}`);
  for (const key of ["lossSum", "seconds"]) if (typeof p[key] !== "number") fail(`progress.${key} must be a number, got ${JSON.stringify(p[key])}`);
  return p as unknown as Progress;
}

function checkGeneratorState(s: unknown, name: string, fail: Fail): GeneratorState {
  const ok =
    isRecord(s) &&
    Array.isArray(s.s) &&
    s.s.length === 4 &&
    s.s.every((v) => Number.isInteger(v)) &&
    (s.spareNormal === null || typeof s.spareNormal === "number");
  if (!ok) fail(`rng.${name} is not a generator state ({ s: four integers, spareNormal })`);
  return s as unknown as GeneratorState;
}

function checkRng(r: unknown, progress: Progress, fail: Fail): RngRecord {
  if (!isRecord(r)) return fail("the random-generator states are missing");
  const out: RngRecord = { global: checkGeneratorState(r.global, "global", fail), loader: checkGeneratorState(r.loader, "loader", fail) };
  if (progress.batch > 0) {
    if (r.loaderEpochStart === undefined) fail("a mid-epoch checkpoint needs rng.loaderEpochStart");
    out.loaderEpochStart = checkGeneratorState(r.loaderEpochStart, "loaderEpochStart", fail);
  }
  return out;
}

function checkHistory(h: unknown, fail: Fail): History {
  const list = (x: unknown, name: string): Rec[] => {
    if (!Array.isArray(x) || !x.every((e) => isRecord(e) && Object.values(e).every((v) => typeof v === "number"))) {
      return fail(`history.${name} must be an array of records of numbers`);
    }
    return x as Rec[];
  };
  if (!isRecord(h)) return fail("the history is missing");
  list(h.epochs, "epochs");
  list(h.steps, "steps");
  return h as unknown as History;
}

function checkLayout(saved: unknown, live: DataLayout, fail: Fail): void {
  if (!isRecord(saved)) return fail("the data layout is missing");
  const diffs = (Object.keys(live) as (keyof DataLayout)[])
    .filter((k) => saved[k] !== live[k])
    .map((k) => `${k} ${String(saved[k])} then, ${live[k]} now`);
  if (diffs.length > 0) fail(`it was taken inside an epoch, which only resumes with the same data and batching (${diffs.join("; ")})`);
}
