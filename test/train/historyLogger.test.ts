import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

describe("HistoryLogger", () => {
  it("writes the epoch logs as JSON and CSV after every epoch", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nabla-history-"));
    const data = nb.data.gaussianBlobs({ n: 64, centers: 2, seed: 1 });
    const model = nb.mlp(2, [4], 2);
    const json = new nb.HistoryLogger(join(dir, "h.json"));
    const csv = new nb.HistoryLogger(join(dir, "h.csv"));
    const seen: number[] = [];
    const watcher = { onEpochEnd: () => seen.push((JSON.parse(readFileSync(join(dir, "h.json"), "utf8")) as unknown[]).length) };
    const history = await nb.fit(model, {
      optimizer: new nb.optim.SGD(model.parameters(), { lr: 0.1 }),
      loss: nb.nn.functional.crossEntropy,
      trainData: data.train,
      valData: data.test,
      epochs: 3,
      metrics: ["accuracy"],
      callbacks: [json, csv, watcher],
    });
    expect(seen).toEqual([1, 2, 3]);
    const rows = JSON.parse(readFileSync(join(dir, "h.json"), "utf8")) as Record<string, number>[];
    expect(rows.map((r) => r.loss)).toEqual(history.epochs.map((e) => e.loss));
    const lines = readFileSync(join(dir, "h.csv"), "utf8").trim().split("\n");
    expect(lines).toHaveLength(4);
    const header = lines[0]!.split(",");
    expect(header).toContain("val_accuracy");
    expect(Number(lines[3]!.split(",")[header.indexOf("loss")])).toBe(history.epochs[2]!.loss);
  });
});
