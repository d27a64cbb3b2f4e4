// The examples in examples/ run and reach what they claim.
import { execFileSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const run = (file: string) => execFileSync(process.execPath, ["--import", "tsx", join(root, "examples", file)], { cwd: root, encoding: "utf8" });

describe("examples", () => {
  it("fitLine.ts recovers y = 3x + 2 by hand-written gradient descent", () => {
    const m = /fitted y = ([\d.-]+) x \+ ([\d.-]+)/.exec(run("fitLine.ts"));
    expect(Number(m![1])).toBeCloseTo(3, 1);
    expect(Number(m![2])).toBeCloseTo(2, 1);
  });

  it("fullBatchGD.ts learns the true weights with SGD on the whole dataset", () => {
    const out = run("fullBatchGD.ts");
    const learned = /learned weights (.*)/.exec(out)![1]!.split(", ").map(Number);
    const truth = /true weights +(.*)/.exec(out)![1]!.split(", ").map(Number);
    learned.forEach((w, i) => expect(Math.abs(w - truth[i]!)).toBeLessThan(0.05));
  });
});
