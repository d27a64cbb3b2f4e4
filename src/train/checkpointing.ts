// fit's checkpoint policy: when to write, where, what to keep, and resuming.
import { existsSync } from "node:fs";
import { resolve } from "node:path";
import type { GeneratorState } from "../tensor/random.js";
import { latestCheckpoint, pruneCheckpoints, readCheckpoint, resolveCheckpoint, writeCheckpoint } from "./checkpoint.js";
import type { History } from "./fit.js";
import { captureCheckpoint, type DataLayout, type Progress, type Restored, restoreCheckpoint, type Stateful, type TrainerParts } from "./trainerState.js";

export interface CheckpointOptions {
  /** Write training checkpoints into this directory (one subdirectory per checkpoint, and a `latest` pointer). */
  checkpointDir?: string;
  /** "epoch" (default): after every epoch; a number n: after every n optimizer steps. A final checkpoint is always written. */
  checkpointEvery?: "epoch" | number;
  /** How many checkpoints to keep (default 3); older ones are deleted. */
  keepCheckpoints?: number;
  /**
   * Continue a run: true resumes from `checkpointDir`'s latest checkpoint, a
   * path from that checkpoint (or from the latest one of that directory).
   * `epochs` stays the total: a run saved after 3 of 10 epochs trains 7 more.
   */
  resume?: boolean | string;
}

function isStateful(x: unknown): x is Stateful {
  return typeof x === "object" && x !== null && typeof (x as Stateful).stateDict === "function" && typeof (x as Stateful).loadStateDict === "function";
}

/** The live objects as fit has them, before checking they can be checkpointed. */
export interface CheckpointSubjects extends Omit<TrainerParts, "model" | "optimizer" | "scheduler"> {
  model: object;
  optimizer: object;
  /** A scheduler object (not a schedule function, which has no state). */
  scheduler?: object | undefined;
}

/**
 * Writes and reads fit's checkpoints. Built only when `checkpointDir` or
 * `resume` is given; checks the options and that the model, optimizer and
 * scheduler have `stateDict` / `loadStateDict`.
 */
export class Checkpointer {
  private readonly root: string | undefined;
  private readonly every: "epoch" | number;
  private readonly keep: number;
  private readonly parts: TrainerParts;
  private last: { path: string; step: number } | undefined;

  constructor(
    subjects: CheckpointSubjects,
    private readonly layout: DataLayout,
    private readonly options: CheckpointOptions,
  ) {
    const { checkpointDir, checkpointEvery = "epoch", keepCheckpoints = 3, resume } = options;
    if (checkpointDir !== undefined && (typeof checkpointDir !== "string" || checkpointDir === "")) {
      throw new TypeError(`fit: checkpointDir must be a directory path, got ${JSON.stringify(checkpointDir)}`);
    }
    if (checkpointEvery !== "epoch" && !(Number.isInteger(checkpointEvery) && checkpointEvery >= 1)) {
      throw new RangeError(`fit: checkpointEvery must be "epoch" or a positive integer number of steps, got ${JSON.stringify(checkpointEvery)}`);
    }
    if (!Number.isInteger(keepCheckpoints) || keepCheckpoints < 1) throw new RangeError(`fit: keepCheckpoints must be a positive integer, got ${keepCheckpoints}`);
    if (resume !== undefined && typeof resume !== "boolean" && (typeof resume !== "string" || resume === "")) {
      throw new TypeError(`fit: resume must be true, false or a checkpoint path, got ${JSON.stringify(resume)}`);
    }
    if (resume === true && checkpointDir === undefined) throw new Error("fit: resume: true resumes from checkpointDir, which is not given (or pass the checkpoint path as resume)");
    const lacking = (["model", "optimizer", "scheduler"] as const).filter((k) => subjects[k] !== undefined && !isStateful(subjects[k]));
    if (lacking.length > 0) {
      throw new TypeError(`fit: checkpoints need stateDict() and loadStateDict() on the ${lacking.join(" and ")}`);
    }
    this.parts = subjects as TrainerParts;
    this.root = checkpointDir === undefined ? undefined : resolve(checkpointDir);
    this.every = checkpointEvery;
    this.keep = keepCheckpoints;
    if (this.root !== undefined && !resume && existsSync(this.root)) {
      const latest = latestCheckpoint(this.root);
      if (latest !== undefined) {
        throw new Error(`fit: ${this.root} already holds checkpoints (latest: ${latest}); resume that run (resume: true, or --resume) or choose another directory`);
      }
    }
  }

  /** Loads the checkpoint to resume from, if any (see `restoreCheckpoint`). */
  resume(): Restored | undefined {
    const { resume } = this.options;
    if (resume === undefined || resume === false) return undefined;
    const path = resolveCheckpoint(resume === true ? this.root! : resume);
    const restored = restoreCheckpoint(this.parts, readCheckpoint(path), this.layout, path);
    this.last = { path, step: restored.progress.step };
    return restored;
  }

  /** Whether to write after optimizer step `step`; a step that ends the epoch waits for the epoch's end. */
  dueAfterStep(step: number, endsEpoch: boolean): boolean {
    return this.root !== undefined && typeof this.every === "number" && !endsEpoch && step % this.every === 0;
  }

  /** Whether to write at the end of an epoch that finished at step `step`. */
  dueAfterEpoch(step: number): boolean {
    return this.root !== undefined && (this.every === "epoch" || step % this.every === 0);
  }

  /** Whether the run's final state still needs writing. */
  dueAtEnd(step: number): boolean {
    return this.root !== undefined && this.last?.step !== step;
  }

  /** Writes a checkpoint of the run at `progress` and prunes old ones. */
  save(progress: Progress, history: History, loaderEpochStart: GeneratorState | undefined): void {
    if (this.root === undefined) return;
    const contents = captureCheckpoint(this.parts, progress, history, this.layout, loaderEpochStart);
    const path = writeCheckpoint(this.root, progress.step, contents);
    this.last = { path, step: progress.step };
    pruneCheckpoints(this.root, this.keep, progress.step);
  }

  /** Where the newest good state is, for error messages. */
  describeLast(): string {
    if (this.last === undefined) return "no checkpoint has been written yet";
    return `the last good checkpoint is ${this.last.path} (after step ${this.last.step}; resume from it with a lower learning rate or gradient clipping)`;
  }
}
