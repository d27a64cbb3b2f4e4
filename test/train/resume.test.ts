import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { AdamWScheduleFree } from "../../src/optim/optimizers/AdamWScheduleFree.js";
import { outcome, resumeSetup, STEPS_PER_EPOCH } from "./fixtures/resumeSetup.js";

const tmp = (): string => mkdtempSync(join(tmpdir(), "nabla-resume-"));

async function straight(epochs: number, globalLoader = false) {
  const { model, options } = resumeSetup({ epochs, globalLoader });
  const history = await nb.fit(model, options);
  return outcome(model, history);
}

describe("fit resume", () => {
  for (const globalLoader of [false, true]) {
    const which = globalLoader ? "the global generator (shared with dropout)" : "its own generator";
    it(`continues bit for bit from every mid-epoch checkpoint, shuffling with ${which}`, async () => {
      const want = await straight(3, globalLoader);
      const dir = tmp();
      // The same run, checkpointed every 3 optimizer steps (mid-epoch: 4 steps per epoch).
      const { model, options } = resumeSetup({ epochs: 3, globalLoader, checkpointDir: dir, checkpointEvery: 3, });
      const first = outcome(model, await nb.fit(model, { ...options, keepCheckpoints: 10 }));
      expect(first).toEqual(want);
      for (const step of [3, 6, 9]) {
        const ckpt = join(dir, `step-${String(step).padStart(8, "0")}`);
        const progress = (JSON.parse(readFileSync(join(ckpt, "trainer.json"), "utf8")) as { progress: { epoch: number; batch: number } }).progress;
        expect(progress).toMatchObject({ epoch: Math.floor(step / STEPS_PER_EPOCH), batch: (step % STEPS_PER_EPOCH) * 2 });
        // Different initial weights and a fresh optimizer: everything must come from the checkpoint.
        nb.manualSeed(12345);
        const resumed = resumeSetup({ epochs: 3, globalLoader, resume: ckpt });
        const history = await nb.fit(resumed.model, resumed.options);
        expect(outcome(resumed.model, history)).toEqual(want);
      }
    });
  }

  it("resume: true continues a finished run to a larger epoch total, as if it had run straight", async () => {
    const want = await straight(3);
    const dir = tmp();
    const a = resumeSetup({ epochs: 1, checkpointDir: dir });
    await nb.fit(a.model, a.options);
    const b = resumeSetup({ epochs: 3, checkpointDir: dir, resume: true });
    const history = await nb.fit(b.model, b.options);
    expect(history.epochs).toHaveLength(3);
    expect(outcome(b.model, history)).toEqual(want);
    expect(readFileSync(join(dir, "latest"), "utf8").trim()).toBe(`step-${String(3 * STEPS_PER_EPOCH).padStart(8, "0")}`);
    // Asking for no more epochs than were run trains nothing and returns the saved history.
    const c = resumeSetup({ epochs: 2, checkpointDir: dir, resume: true });
    const again = await nb.fit(c.model, c.options);
    expect(outcome(c.model, again)).toEqual(want);
  });

  it("restores the state of callbacks that have stateDict/loadStateDict, after their onTrainBegin", async () => {
    class Counter implements nb.Callback {
      batches = 0;
      onTrainBegin(): void {
        this.batches = 0;
      }
      onBatchEnd(): void {
        this.batches++;
      }
      stateDict(): { batches: number } {
        return { batches: this.batches };
      }
      loadStateDict(s: { batches: number }): void {
        this.batches = s.batches;
      }
    }
    const dir = tmp();
    const first = new Counter();
    const a = resumeSetup({ epochs: 2, checkpointDir: dir, callbacks: [first] });
    await nb.fit(a.model, a.options);
    expect(first.batches).toBe(2 * STEPS_PER_EPOCH);
    const second = new Counter();
    const b = resumeSetup({ epochs: 3, checkpointDir: dir, resume: true, callbacks: [second] });
    await nb.fit(b.model, b.options);
    expect(second.batches).toBe(3 * STEPS_PER_EPOCH);
  });

  it("resumes a schedule-free optimizer saved at its evaluation point (weights x, trainMode false)", async () => {
    const run = async (epochs: number, extra: Partial<nb.FitOptions>) => {
      const { model, options } = resumeSetup({ epochs });
      const { schedule: _s, scheduleInterval: _i, ...rest } = options;
      const optimizer = new AdamWScheduleFree(model.parameters(), { lr: 0.01, warmupSteps: 2 });
      const history = await nb.fit(model, { ...rest, optimizer, ...extra });
      return outcome(model, history);
    };
    const want = await run(3, {});
    const dir = tmp();
    await run(1, { checkpointDir: dir });
    const trainer = JSON.parse(readFileSync(join(dir, "step-00000004", "trainer.json"), "utf8")) as { optimizer: { state: { paramGroups: { trainMode: boolean }[] } } };
    expect(trainer.optimizer.state.paramGroups[0]!.trainMode).toBe(false);
    expect(await run(3, { checkpointDir: dir, resume: true })).toEqual(want);
  });

  it("resumes a schedule given as a function of the step", async () => {
    const run = async (epochs: number, extra: Partial<nb.FitOptions>) => {
      const { model, options } = resumeSetup({ epochs });
      const schedule = (step: number) => 0.05 / (1 + step);
      const history = await nb.fit(model, { ...options, schedule, scheduleInterval: "batch", ...extra });
      return outcome(model, history);
    };
    const want = await run(2, {});
    const dir = tmp();
    await run(1, { checkpointDir: dir });
    const got = await run(2, { checkpointDir: dir, resume: true });
    expect(got).toEqual(want);
    expect(got.steps.map((s) => s.lr)).toEqual(Array.from({ length: 2 * STEPS_PER_EPOCH }, (_, i) => 0.05 / (1 + i)));
  });
});
