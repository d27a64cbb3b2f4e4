import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";

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

type Result = { epochs: number; batchSize: number; accumulate: number; history: { steps: { loss: number; lr: number }[]; epochs: { val_loss: number }[] } };

describe("nabla train --accumulate / --checkpoint-dir / --resume", () => {
  it("documents accumulation and resuming in --help", async () => {
    const r = await nabla(["train", "--help"]);
    expect(r.code).toBe(0);
    for (const flag of ["--accumulate", "--checkpoint-dir", "--checkpoint-every", "--resume"]) expect(r.stdout).toContain(flag);
    expect(r.stdout).toContain("--batch-size 32 --accumulate 8");
    expect(r.stdout).toContain("--batch-size 256");
  });

  it("rejects bad values with one line naming the flag, exit 2", async () => {
    for (const args of [["--accumulate", "0"], ["--checkpoint-every", "x"]]) {
      const r = await nabla(["train", ...args]);
      expect(r.code).toBe(2);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toContain(args[0]!.replace(/^--/, ""));
    }
    const r = await nabla(["train", "--dataset", "moons", "--checkpoint-every", "5", "--quiet"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/--checkpoint-every needs --checkpoint-dir/);
  });

  it("resuming from the checkpoint of step N/2 in a new process ends bit for bit where the straight run did", async () => {
    const args = ["train", "--dataset", "moons", "--hidden", "8", "--optimizer", "adam", "--schedule", "cosine", "--batch-size", "32", "--accumulate", "3"];
    const common = [...args, "--epochs", "4", "--seed", "4", "--quiet", "--json"];
    const ckpt = mkdtempSync(join(tmpdir(), "nabla-cli-ckpt-"));
    const straightOut = mkdtempSync(join(tmpdir(), "nabla-cli-straight-"));
    const straight = await nabla([...common, "--checkpoint-dir", ckpt, "--out", straightOut]);
    expect(straight.code).toBe(0);
    // 50 batches of 32 -> 17 optimizer steps per epoch; the 3 newest checkpoints are kept.
    expect(readdirSync(ckpt).sort()).toEqual(["latest", "step-00000034", "step-00000051", "step-00000068"]);

    const resumedOut = mkdtempSync(join(tmpdir(), "nabla-cli-resumed-"));
    const resumed = await nabla([...common, "--resume", join(ckpt, "step-00000034"), "--out", resumedOut]);
    expect(resumed.code).toBe(0);
    const a = JSON.parse(straight.stdout) as Result;
    const b = JSON.parse(resumed.stdout) as Result;
    expect(b.accumulate).toBe(3);
    expect(b.history.steps).toHaveLength(68);
    expect(b.history.steps).toEqual(a.history.steps);
    expect(b.history.epochs.map((e) => e.val_loss)).toEqual(a.history.epochs.map((e) => e.val_loss));
    expect(readFileSync(join(resumedOut, "model.safetensors")).equals(readFileSync(join(straightOut, "model.safetensors")))).toBe(true);
    // Without --checkpoint-dir it keeps checkpointing beside the checkpoint it read, never overwriting one.
    expect(readFileSync(join(ckpt, "latest"), "utf8").trim()).toBe("step-00000068-1");
    expect(readdirSync(ckpt).sort()).toEqual(["latest", "step-00000051-1", "step-00000068", "step-00000068-1"]);
  });

  it("--epochs is the total: a finished 2-epoch run resumed with --epochs 4 trains 2 more", async () => {
    const common = ["train", "--dataset", "moons", "--hidden", "8", "--seed", "6", "--quiet", "--json"];
    const straight = await nabla([...common, "--epochs", "4"]);
    const ckpt = mkdtempSync(join(tmpdir(), "nabla-cli-ckpt-"));
    expect((await nabla([...common, "--epochs", "2", "--checkpoint-dir", ckpt])).code).toBe(0);
    const again = await nabla([...common, "--epochs", "4", "--checkpoint-dir", ckpt]);
    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/already holds checkpoints .*--resume/);
    const resumed = await nabla([...common, "--epochs", "4", "--resume", ckpt]);
    expect(resumed.code).toBe(0);
    const a = JSON.parse(straight.stdout) as Result;
    const b = JSON.parse(resumed.stdout) as Result;
    expect(b.epochs).toBe(4);
    expect(b.history.steps).toEqual(a.history.steps);
    const mismatch = await nabla([...common, "--epochs", "5", "--resume", ckpt, "--optimizer", "adam"]);
    expect(mismatch.code).toBe(1);
    expect(mismatch.stderr).toMatch(/^nabla: fit: cannot resume from .*: it was written with optimizer SGD, this run uses Adam/);
  });
});
