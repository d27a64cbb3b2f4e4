import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { checkpointName, latestCheckpoint, pruneCheckpoints, readCheckpoint, resolveCheckpoint, writeCheckpoint } from "../../src/train/checkpoint.js";
import { packPlainData, unpackPlainData } from "../../src/train/plainData.js";

const tmp = (): string => mkdtempSync(join(tmpdir(), "nabla-ckpt-"));
const ce = (out: nb.Tensor, y: nb.Tensor) => nb.nn.functional.crossEntropy(out, y);

function dataset(n = 24): nb.data.TensorDataset {
  const g = new nb.Generator(4);
  return new nb.data.TensorDataset(nb.randn([n, 2], { generator: g }), nb.randint(0, 2, [n], { generator: g }));
}

function setup(hidden = 5) {
  nb.manualSeed(8);
  const model = nb.mlp(2, [hidden], 2);
  return { model, optimizer: new nb.optim.Adam(model.parameters(), { lr: 0.01 }) };
}

function weights(model: nb.nn.Module): number[][] {
  return model.parameters().map((p) => Array.from(p.data));
}

describe("checkpoint plain data", () => {
  it("round-trips typed arrays, tensors and the numbers JSON cannot hold, bit for bit", () => {
    const value = {
      a: NaN,
      b: [Infinity, -Infinity, -0, 0.1, null, true, "s"],
      c: { f32: new Float32Array([1.5, -2e-39, NaN]), f64: new Float64Array([Math.PI]), i32: new Int32Array([-7, 2 ** 31 - 1]) },
      u16: new Uint16Array([0, 65535]),
      t: nb.tensor([[1, 2], [3, 4]], { dtype: "float64" }),
      skipped: undefined,
    };
    const tensors: Record<string, nb.Tensor> = {};
    const json = JSON.parse(JSON.stringify(packPlainData(value, "x", tensors))) as unknown;
    expect(Object.keys(tensors).sort()).toEqual(["x/c/f32", "x/c/f64", "x/c/i32", "x/t"]);
    const back = unpackPlainData(json, tensors, "test") as typeof value;
    expect(back.a).toBeNaN();
    expect(back.b.slice(0, 3).map((v) => Object.is(v, -0) ? "-0" : v)).toEqual([Infinity, -Infinity, "-0"]);
    expect(back.b.slice(3)).toEqual([0.1, null, true, "s"]);
    expect(back.c.f32).toBeInstanceOf(Float32Array);
    expect(new Uint32Array(back.c.f32.buffer)).toEqual(new Uint32Array(value.c.f32.buffer));
    expect(back.c.f64).toEqual(value.c.f64);
    expect(back.c.i32).toEqual(value.c.i32);
    expect(back.u16).toEqual(value.u16);
    expect(back.t.shape).toEqual([2, 2]);
    expect(back.t.dtype).toBe("float64");
    expect("skipped" in back).toBe(false);
  });

  it("refuses what is not plain data, naming where it is", () => {
    expect(() => packPlainData({ a: { f: () => 1 } }, "opt", {})).toThrow(/cannot save opt\/a\/f: a function is not plain data/);
    expect(() => packPlainData({ m: new Map() }, "opt", {})).toThrow(/opt\/m: a Map/);
    expect(() => packPlainData({ $typed: 1 }, "opt", {})).toThrow(/key "\$typed" is reserved/);
    expect(() => unpackPlainData({ a: { $typed: "nope" } }, {}, "load")).toThrow(/load: \.a: refers to tensor "nope"/);
    expect(() => unpackPlainData({ a: { $number: "7" } }, {}, "load")).toThrow(/bad number marker/);
  });
});

describe("checkpoint files", () => {
  const contents = (step: number) => ({
    trainer: { step },
    state: { "s/x": nb.tensor([step]) },
    model: { w: nb.tensor([[step, 1]]) },
  });

  it("writes one directory per checkpoint and moves `latest` last", () => {
    const root = tmp();
    writeCheckpoint(root, 5, contents(5));
    writeCheckpoint(root, 10, contents(10));
    expect(readFileSync(join(root, "latest"), "utf8")).toBe("step-00000010\n");
    expect(resolveCheckpoint(root)).toBe(join(root, "step-00000010"));
    expect(resolveCheckpoint(join(root, "step-00000005"))).toBe(join(root, "step-00000005"));
    const back = readCheckpoint(resolveCheckpoint(root));
    expect(back.trainer).toEqual({ step: 10 });
    expect(Array.from(back.model.w!.data)).toEqual([10, 1]);
    expect(Array.from(back.state["s/x"]!.data)).toEqual([10]);
    expect(readdirSync(root).sort()).toEqual(["latest", "step-00000005", "step-00000010"]);
  });

  it("a write that fails midway leaves the latest checkpoint as it was", () => {
    const root = tmp();
    writeCheckpoint(root, 5, contents(5));
    // JSON cannot hold a BigInt: the write fails after the tensor files were written.
    expect(() => writeCheckpoint(root, 6, { ...contents(6), trainer: { step: 6n } })).toThrow();
    expect(resolveCheckpoint(root)).toBe(join(root, "step-00000005"));
    expect(existsSync(join(root, "step-00000006"))).toBe(false);
    // What a crash leaves behind (a temporary directory of another process) is ignored, then cleaned up.
    mkdirSync(join(root, ".tmp-step-00000007-999999"));
    writeFileSync(join(root, ".tmp-step-00000007-999999", "model.safetensors"), "partial");
    expect(resolveCheckpoint(root)).toBe(join(root, "step-00000005"));
    pruneCheckpoints(root, 3, 5);
    expect(readdirSync(root).filter((n) => n.startsWith(".tmp-step-00000007"))).toEqual([]);
  });

  it("keeps the newest checkpoints and never deletes the one `latest` names", () => {
    const root = tmp();
    for (const s of [1, 2, 3, 4]) writeCheckpoint(root, s, contents(s));
    pruneCheckpoints(root, 2, 4);
    expect(readdirSync(root).filter((n) => n.startsWith("step-")).sort()).toEqual(["step-00000003", "step-00000004"]);
    writeFileSync(join(root, "latest"), "step-00000003\n");
    pruneCheckpoints(root, 1, 4);
    expect(readdirSync(root).filter((n) => n.startsWith("step-")).sort()).toEqual(["step-00000003", "step-00000004"]);
  });

  it("says clearly what is wrong with a bad checkpoint", () => {
    const root = tmp();
    expect(() => resolveCheckpoint(join(root, "missing"))).toThrow(/is not a directory/);
    expect(() => resolveCheckpoint(root)).toThrow(/holds no checkpoint \(neither trainer.json nor a latest file\)/);
    writeFileSync(join(root, "latest"), "../../etc\n");
    expect(() => resolveCheckpoint(root)).toThrow(/should name a checkpoint directory like step-00000120/);
    writeFileSync(join(root, "latest"), "step-00000009\n");
    expect(() => resolveCheckpoint(root)).toThrow(/names step-00000009, but .* does not exist/);
    const first = writeCheckpoint(root, 9, contents(9));
    writeFileSync(join(first, "trainer.json"), "{ not json");
    expect(() => readCheckpoint(resolveCheckpoint(root))).toThrow(/trainer.json is not valid JSON/);
    const second = writeCheckpoint(root, 10, contents(10));
    writeFileSync(join(second, "model.safetensors"), new Uint8Array(4));
    expect(() => readCheckpoint(resolveCheckpoint(root))).toThrow(/model.safetensors\): file is 4 bytes/);
    rmSync(join(writeCheckpoint(root, 11, contents(11)), "state.safetensors"));
    expect(() => readCheckpoint(resolveCheckpoint(root))).toThrow(/step-00000011 is incomplete: state.safetensors is missing/);
  });

  it("never overwrites a checkpoint: a second one of the same step gets a suffix and counts as newer", () => {
    const root = tmp();
    writeCheckpoint(root, 4, contents(4));
    writeCheckpoint(root, 5, contents(5));
    const again = writeCheckpoint(root, 4, contents(40));
    expect(again).toBe(join(root, "step-00000004-1"));
    expect(latestCheckpoint(root)).toBe(again);
    expect(readCheckpoint(join(root, "step-00000004")).trainer).toEqual({ step: 4 });
    expect(readCheckpoint(again).trainer).toEqual({ step: 40 });
    // Pruning up to step 4 (the run's present) keeps step-4-1 over step-4, and leaves step 5 (ahead of it) alone.
    pruneCheckpoints(root, 1, 4);
    expect(readdirSync(root).filter((n) => n.startsWith("step-")).sort()).toEqual(["step-00000004-1", "step-00000005"]);
  });
});

describe("fit checkpointDir", () => {
  it("checkpoints after every epoch, keeps the newest, and the last holds the final weights", async () => {
    const dir = tmp();
    const { model, optimizer } = setup();
    await nb.fit(model, { optimizer, loss: ce, trainData: dataset(), epochs: 4, batchSize: 8, checkpointDir: dir, keepCheckpoints: 2 });
    expect(readdirSync(dir).sort()).toEqual(["latest", "step-00000009", "step-00000012"]);
    const last = readCheckpoint(resolveCheckpoint(dir));
    const names = Object.keys(model.stateDict());
    expect(Object.keys(last.model)).toEqual(names);
    expect(names.map((n) => Array.from(last.model[n]!.data))).toEqual(names.map((n) => Array.from(model.stateDict()[n]!.data)));
    const trainer = last.trainer as { progress: object; optimizer: { name: string }; history: { epochs: unknown[] } };
    expect(trainer.progress).toMatchObject({ epoch: 4, batch: 0, step: 12 });
    expect(trainer.optimizer.name).toBe("Adam");
    expect(trainer.history.epochs).toHaveLength(4);
  });

  it("checkpoints every n optimizer steps (a step that ends an epoch waits for the epoch's end) and at the end", async () => {
    const dir = tmp();
    const { model, optimizer } = setup();
    // 3 steps per epoch, 3 epochs: steps 2, 4 and 8 inside epochs, 6 at the end of epoch 2, 9 as the final state.
    await nb.fit(model, { optimizer, loss: ce, trainData: dataset(), epochs: 3, batchSize: 8, checkpointDir: dir, checkpointEvery: 2, keepCheckpoints: 10 });
    expect(readdirSync(dir).sort()).toEqual(["latest", "step-00000002", "step-00000004", "step-00000006", "step-00000008", "step-00000009"]);
    const progress = (step: number) => (readCheckpoint(join(dir, checkpointName(step))).trainer as { progress: object }).progress;
    expect(progress(2)).toMatchObject({ epoch: 0, batch: 2, step: 2, samples: 16 });
    expect(progress(4)).toMatchObject({ epoch: 1, batch: 1, step: 4, samples: 8 });
    expect(progress(6)).toMatchObject({ epoch: 2, batch: 0, step: 6, samples: 0 });
    expect(progress(8)).toMatchObject({ epoch: 2, batch: 2, step: 8 });
    expect(progress(9)).toMatchObject({ epoch: 3, batch: 0, step: 9 });
  });

  it("names the last good checkpoint when the loss turns non-finite", async () => {
    const dir = tmp();
    const { model, optimizer } = setup();
    let calls = 0;
    const loss = (out: nb.Tensor, y: nb.Tensor) => (++calls === 5 ? ce(out, y).mul(NaN) : ce(out, y));
    const run = nb.fit(model, { optimizer, loss, trainData: dataset(), epochs: 3, batchSize: 8, checkpointDir: dir, checkpointEvery: 2 });
    await expect(run).rejects.toThrow(/loss is NaN at step 5 \(epoch 2, batch 2\).*; the last good checkpoint is .*step-00000004 \(after step 4;/);
    const early = setup();
    let n = 0;
    const nanFirst = (out: nb.Tensor, y: nb.Tensor) => (++n === 1 ? ce(out, y).mul(NaN) : ce(out, y));
    await expect(
      nb.fit(early.model, { optimizer: early.optimizer, loss: nanFirst, trainData: dataset(), epochs: 1, batchSize: 8, checkpointDir: tmp() }),
    ).rejects.toThrow(/loss is NaN at step 1 .*; no checkpoint has been written yet/);
  });

  it("refuses to start over a directory that holds checkpoints, and bad options", async () => {
    const dir = tmp();
    const a = setup();
    await nb.fit(a.model, { optimizer: a.optimizer, loss: ce, trainData: dataset(), epochs: 1, batchSize: 8, checkpointDir: dir });
    const b = setup();
    const base = { optimizer: b.optimizer, loss: ce, trainData: dataset(), epochs: 1, batchSize: 8 };
    await expect(nb.fit(b.model, { ...base, checkpointDir: dir })).rejects.toThrow(/already holds checkpoints .*resume that run/);
    await expect(nb.fit(b.model, { ...base, resume: true })).rejects.toThrow(/resume: true resumes from checkpointDir, which is not given/);
    await expect(nb.fit(b.model, { ...base, checkpointDir: tmp(), checkpointEvery: 0 })).rejects.toThrow(/checkpointEvery must be "epoch" or a positive integer/);
    await expect(nb.fit(b.model, { ...base, checkpointDir: tmp(), keepCheckpoints: 0 })).rejects.toThrow(/keepCheckpoints must be a positive integer/);
    await expect(nb.fit(b.model, { ...base, resume: tmp() })).rejects.toThrow(/holds no checkpoint/);
    const spy = { paramGroups: b.optimizer.paramGroups, zeroGrad: () => b.optimizer.zeroGrad(), step: () => b.optimizer.step() };
    await expect(nb.fit(b.model, { ...base, optimizer: spy, checkpointDir: tmp() })).rejects.toThrow(/checkpoints need stateDict\(\) and loadStateDict\(\) on the optimizer/);
  });
});

describe("fit resume validation", () => {
  async function saved(options: Partial<nb.FitOptions> = {}): Promise<string> {
    const dir = tmp();
    const { model, optimizer } = setup();
    await nb.fit(model, { optimizer, loss: ce, trainData: dataset(), epochs: 1, batchSize: 8, checkpointDir: dir, ...options });
    return dir;
  }

  it("refuses a checkpoint of another optimizer, model or setup, and changes nothing", async () => {
    const dir = await saved();
    const sgd = setup();
    const before = weights(sgd.model);
    const opt = new nb.optim.SGD(sgd.model.parameters(), { lr: 0.1 });
    const base = { loss: ce, trainData: dataset(), epochs: 2, batchSize: 8, resume: dir };
    await expect(nb.fit(sgd.model, { ...base, optimizer: opt })).rejects.toThrow(/cannot resume from .*step-00000003: it was written with optimizer Adam, this run uses SGD/);
    expect(weights(sgd.model)).toEqual(before);

    const wide = setup(7);
    await expect(nb.fit(wide.model, { ...base, optimizer: wide.optimizer })).rejects.toThrow(/its model state does not fit this run: loadStateDict: .*has shape \[5,2\] but the module's has \[7,2\]/);

    // Two parameter groups where the checkpoint has one: the weights were loaded first, and are put back.
    const split = setup();
    const params = split.model.parameters();
    const twoGroups = new nb.optim.Adam([{ params: params.slice(0, 2) }, { params: params.slice(2) }], { lr: 0.01 });
    const original = weights(split.model);
    await expect(nb.fit(split.model, { ...base, optimizer: twoGroups })).rejects.toThrow(/its optimizer state does not fit this run: Adam.loadStateDict: the saved state has 1 parameter groups, this optimizer has 2/);
    expect(weights(split.model)).toEqual(original);

    const sched = setup();
    const scheduler = new nb.optim.lrScheduler.StepLR(sched.optimizer, { stepSize: 1 });
    await expect(nb.fit(sched.model, { ...base, optimizer: sched.optimizer, schedule: scheduler })).rejects.toThrow(/this run has a scheduler, but the checkpoint holds no scheduler state/);
  });

  it("resumes inside an epoch only with the same batching, and says what changed", async () => {
    const dir = await saved({ checkpointEvery: 2 });
    const { model, optimizer } = setup();
    await expect(
      nb.fit(model, { optimizer, loss: ce, trainData: dataset(), epochs: 2, batchSize: 4, resume: join(dir, "step-00000002") }),
    ).rejects.toThrow(/taken inside an epoch, which only resumes with the same data and batching \(batchesPerEpoch 3 then, 6 now; batchSize 8 then, 4 now\)/);
    await expect(
      nb.fit(model, { optimizer, loss: ce, trainData: dataset(), epochs: 2, batchSize: 8, resume: join(dir, "step-00000002"), accumulationSteps: 3 }),
    ).rejects.toThrow(/accumulationSteps 1 then, 3 now/);
  });

  it("refuses a trainer.json that is not a nabla checkpoint, or of another version", async () => {
    const dir = await saved();
    const file = join(dir, "step-00000003", "trainer.json");
    const trainer = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    const { model, optimizer } = setup();
    const base = { optimizer, loss: ce, trainData: dataset(), epochs: 2, batchSize: 8, resume: dir };
    writeFileSync(file, JSON.stringify({ ...trainer, version: 99 }));
    await expect(nb.fit(model, base)).rejects.toThrow(/checkpoint format version 99 is not supported/);
    writeFileSync(file, JSON.stringify({ hello: 1 }));
    await expect(nb.fit(model, base)).rejects.toThrow(/trainer.json is not a nabla checkpoint/);
    writeFileSync(file, JSON.stringify({ ...trainer, progress: { ...(trainer.progress as object), step: -1 } }));
    await expect(nb.fit(model, base)).rejects.toThrow(/progress.step must be a non-negative integer/);
  });
});
