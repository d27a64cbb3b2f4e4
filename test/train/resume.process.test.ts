import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { outcome, resumeSetup, STEPS_PER_EPOCH } from "./fixtures/resumeSetup.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const run = promisify(execFile);

describe("exact resume in a new process", () => {
  for (const globalLoader of [false, true]) {
    it(`N steps straight = N/2 steps, a crash, then N/2 more in another process (${globalLoader ? "global" : "own"} shuffle generator)`, async () => {
      const epochs = 3;
      const half = (epochs * STEPS_PER_EPOCH) / 2; // 6: inside the second epoch
      const straight = resumeSetup({ epochs, globalLoader });
      const want = outcome(straight.model, await nb.fit(straight.model, straight.options));

      // The first process trains until step N/2, checkpoints, and dies.
      const dir = mkdtempSync(join(tmpdir(), "nabla-resume-proc-"));
      const crash: nb.Callback = {
        onBatchEnd: (logs) => {
          if (logs.step === half) throw new Error("simulated crash");
        },
      };
      const first = resumeSetup({ epochs, globalLoader, checkpointDir: dir, checkpointEvery: half, callbacks: [crash] });
      await expect(nb.fit(first.model, first.options)).rejects.toThrow("simulated crash");
      expect(readFileSync(join(dir, "latest"), "utf8").trim()).toBe(`step-${String(half).padStart(8, "0")}`);

      // A fresh process loads the checkpoint and trains the rest.
      const out = join(dir, "outcome.json");
      const script = join(root, "test/train/fixtures/resumeRun.ts");
      await run(process.execPath, ["--import", "tsx", script, dir, String(epochs), out, globalLoader ? "global" : "own"], { cwd: root });
      expect(existsSync(out)).toBe(true);
      const got = JSON.parse(readFileSync(out, "utf8")) as typeof want;
      expect(got.weights).toEqual(want.weights);
      expect(got.steps).toEqual(want.steps);
      expect(got.epochs).toEqual(want.epochs);
    });
  }
});
