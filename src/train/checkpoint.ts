// Training checkpoints on disk: one directory per checkpoint and a `latest`
// pointer written last, so that a crash at any moment leaves `latest`
// naming a complete checkpoint.
import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeSync } from "node:fs";
import { join, resolve } from "node:path";
import { writeFileAtomic } from "../io/files.js";
import { decodeSafetensors, encodeSafetensors } from "../io/safetensors.js";
import type { Tensor } from "../tensor/tensor.js";

/** The files of one checkpoint directory. */
export const CHECKPOINT_FILES = { trainer: "trainer.json", state: "state.safetensors", model: "model.safetensors" } as const;
/** The pointer file in a checkpoint root: the name of the newest complete checkpoint. */
export const LATEST_FILE = "latest";

/** "step-00000120", or "step-00000120-1" for a second checkpoint of the same step (never overwritten). */
const NAME = /^step-(\d{8,})(?:-(\d+))?$/;

/** What a checkpoint holds: the trainer record (JSON), the tensors it refers to, and the model's state dict. */
export interface CheckpointContents {
  trainer: unknown;
  state: Record<string, Tensor>;
  model: Record<string, Tensor>;
}

/** The directory name of the checkpoint taken after `step` optimizer steps ("step-00000120"). */
export function checkpointName(step: number): string {
  return `step-${String(step).padStart(8, "0")}`;
}

function writeSynced(path: string, bytes: Uint8Array): void {
  const fd = openSync(path, "w");
  try {
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** Makes a rename or a new file in `dir` durable (a no-op where directories cannot be opened, as on Windows). */
function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, "r");
    fsyncSync(fd);
  } catch {
    // Directory fsync is not supported everywhere; the file contents are already synced.
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * Writes the checkpoint taken after `step` optimizer steps as
 * `root/step-0000NNNN/` and then points `root/latest` at it. The files go
 * into a temporary directory first (each fsynced), which is renamed into
 * place; `latest` is replaced atomically (temp file, fsync, rename) only
 * after that. An existing checkpoint is never overwritten: a second one of
 * the same step (a run stopped and checkpointed again at that step, or a
 * run resumed from an older checkpoint) gets a suffix, "-1", "-2", ...
 * Returns the checkpoint's path.
 */
export function writeCheckpoint(root: string, step: number, contents: CheckpointContents): string {
  mkdirSync(root, { recursive: true });
  const tmp = join(root, `.tmp-${checkpointName(step)}-${process.pid}`);
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp);
  writeSynced(join(tmp, CHECKPOINT_FILES.model), encodeSafetensors(contents.model, { format: "pt" }));
  writeSynced(join(tmp, CHECKPOINT_FILES.state), encodeSafetensors(contents.state));
  writeSynced(join(tmp, CHECKPOINT_FILES.trainer), new TextEncoder().encode(JSON.stringify(contents.trainer) + "\n"));
  fsyncDir(tmp);
  let name = checkpointName(step);
  for (let i = 1; existsSync(join(root, name)); i++) name = `${checkpointName(step)}-${i}`;
  const target = join(root, name);
  renameSync(tmp, target);
  fsyncDir(root);
  writeFileAtomic(join(root, LATEST_FILE), `${name}\n`);
  fsyncDir(root);
  return target;
}

/** The checkpoint `root/latest` names, or undefined when there is no `latest` file. */
export function latestCheckpoint(root: string): string | undefined {
  const pointer = join(root, LATEST_FILE);
  if (!existsSync(pointer)) return undefined;
  const name = readFileSync(pointer, "utf8").trim();
  if (!NAME.test(name)) throw new Error(`checkpoint: ${pointer} should name a checkpoint directory like step-00000120, it holds ${JSON.stringify(name.slice(0, 80))}`);
  const dir = join(root, name);
  if (!existsSync(dir)) throw new Error(`checkpoint: ${pointer} names ${name}, but ${dir} does not exist`);
  return dir;
}

/**
 * The checkpoint directory `path` stands for: `path` itself when it holds
 * trainer.json, else the checkpoint its `latest` file names. Throws a clear
 * error when it is neither.
 */
export function resolveCheckpoint(path: string): string {
  const full = resolve(path);
  if (!existsSync(full) || !statSync(full).isDirectory()) throw new Error(`checkpoint: ${full} is not a directory`);
  if (existsSync(join(full, CHECKPOINT_FILES.trainer))) return full;
  const latest = latestCheckpoint(full);
  if (latest === undefined) {
    throw new Error(`checkpoint: ${full} holds no checkpoint (neither ${CHECKPOINT_FILES.trainer} nor a ${LATEST_FILE} file)`);
  }
  return latest;
}

/** Reads and decodes the three files of the checkpoint in `dir` (validating the tensor files). */
export function readCheckpoint(dir: string): CheckpointContents {
  const file = (name: string): Uint8Array => {
    const path = join(dir, name);
    if (!existsSync(path)) throw new Error(`checkpoint: ${dir} is incomplete: ${name} is missing`);
    return new Uint8Array(readFileSync(path));
  };
  let trainer: unknown;
  try {
    trainer = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(file(CHECKPOINT_FILES.trainer)));
  } catch (e) {
    if ((e as Error).message.startsWith("checkpoint:")) throw e;
    throw new Error(`checkpoint: ${join(dir, CHECKPOINT_FILES.trainer)} is not valid JSON (${(e as Error).message})`);
  }
  const state = decodeSafetensors(file(CHECKPOINT_FILES.state), join(dir, CHECKPOINT_FILES.state)).tensors;
  const model = decodeSafetensors(file(CHECKPOINT_FILES.model), join(dir, CHECKPOINT_FILES.model)).tensors;
  return { trainer, state, model };
}

/**
 * Deletes all but the `keep` newest checkpoints of `root` up to step
 * `upTo` (never the one `latest` names), and any temporary directories
 * left by an interrupted write.
 */
export function pruneCheckpoints(root: string, keep: number, upTo: number): void {
  const latest = readLatestName(root);
  const entries = readdirSync(root, { withFileTypes: true }).filter((e) => e.isDirectory());
  for (const e of entries) {
    if (e.name.startsWith(".tmp-") && !e.name.endsWith(`-${process.pid}`)) rmSync(join(root, e.name), { recursive: true, force: true });
  }
  const steps = entries
    .map((e) => ({ name: e.name, match: NAME.exec(e.name) }))
    .filter((c) => c.match !== null)
    .map((c) => ({ name: c.name, step: Number(c.match![1]), copy: Number(c.match![2] ?? 0) }))
    .filter((c) => c.step <= upTo)
    .sort((a, b) => b.step - a.step || b.copy - a.copy);
  for (const c of steps.slice(keep)) if (c.name !== latest) rmSync(join(root, c.name), { recursive: true, force: true });
}

function readLatestName(root: string): string | undefined {
  const pointer = join(root, LATEST_FILE);
  return existsSync(pointer) ? readFileSync(pointer, "utf8").trim() : undefined;
}
