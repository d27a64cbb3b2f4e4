// What `nabla compare` produces: the runs with their curves, the ranking,
// and how the comparison was set up. `--json` prints exactly this.
import type { RecordedRun } from "./experiment.js";
import type { RunSummary } from "./ranking.js";
import { formatBytes, formatSeconds, formatSig } from "./textTable.js";

/** One optimizer's learning-rate sweep (--tune-lr). */
export interface LrSweep {
  optimizer: string;
  /** Each candidate rate with its score: mean training loss over the last quarter of the short run (Infinity if it diverged). */
  candidates: { lr: number; score: number; diverged: boolean }[];
  /** The rate with the lowest score, used for the full run. */
  chosen: number;
  /** Updates per candidate. */
  steps: number;
}

export interface CompareResult {
  /** The command line, for the report. */
  command: string;
  task: string;
  model: string;
  parameters: number;
  trainSamples: number;
  testSamples: number;
  epochs: number;
  batchSize: number;
  seed: number;
  stepsPerEpoch: number;
  totalSteps: number;
  evalEvery: number;
  /** The schedule spec applied to every optimizer's rate, or null for constant rates. */
  schedule: string | null;
  /** Accuracy that "time to target" refers to (fraction). */
  target: number;
  /** Runs in the order the optimizers were given. */
  runs: RecordedRun[];
  /** Summaries in rank order. */
  ranking: RunSummary[];
  /** Present with --tune-lr. */
  sweeps: LrSweep[] | null;
  createdAt: string;
  nodeVersion: string;
}

export const RANKING_HEADERS = [
  "rank",
  "optimizer",
  "lr",
  "train loss",
  "val loss",
  "best acc",
  "to target",
  "state",
  "time",
  "note",
] as const;

/** Columns of the ranking table that hold numbers (right-aligned). */
export const RANKING_NUMERIC = [0, 2, 3, 4, 5, 6, 7, 8];

/** The ranking as table cells, shared by the terminal and the HTML report. */
export function rankingRows(result: CompareResult): string[][] {
  return result.ranking.map((s) => {
    const run = result.runs.find((r) => r.optimizer === s.optimizer);
    return [
      String(s.rank),
      s.optimizer,
      formatSig(s.lr),
      s.finalTrainLoss.toFixed(4),
      s.finalValLoss.toFixed(4),
      `${(s.bestAccuracy * 100).toFixed(2)}%`,
      s.timeToTarget === null ? "never" : `${formatSeconds(s.timeToTarget.seconds)} (step ${s.timeToTarget.step})`,
      formatBytes(s.stateBytes),
      formatSeconds(s.seconds),
      run?.diverged ? `diverged at step ${run.diverged.step}` : "",
    ];
  });
}

/** Plain-language findings read off the ranking (which optimizer was best at what). */
export function findings(result: CompareResult): string[] {
  const ok = result.ranking.filter((s) => !s.diverged);
  const out: string[] = [];
  if (ok.length > 0) {
    const best = ok[0]!;
    out.push(`Lowest final validation loss: ${best.optimizer} (${best.finalValLoss.toFixed(4)} at lr ${formatSig(best.lr)}).`);
    const acc = ok.reduce((a, b) => (b.bestAccuracy > a.bestAccuracy ? b : a));
    out.push(`Highest validation accuracy: ${acc.optimizer} (${(acc.bestAccuracy * 100).toFixed(2)}%).`);
    const reached = ok.filter((s) => s.timeToTarget !== null);
    if (reached.length > 0) {
      const fastest = reached.reduce((a, b) => (b.timeToTarget!.seconds < a.timeToTarget!.seconds ? b : a));
      out.push(
        `First to reach ${(result.target * 100).toFixed(1)}% validation accuracy: ${fastest.optimizer} (${formatSeconds(fastest.timeToTarget!.seconds)}, step ${fastest.timeToTarget!.step}); ${reached.length} of ${result.ranking.length} reached it.`,
      );
    }
    const small = ok.reduce((a, b) => (b.stateBytes < a.stateBytes ? b : a));
    const large = ok.reduce((a, b) => (b.stateBytes > a.stateBytes ? b : a));
    if (large.stateBytes > small.stateBytes) {
      out.push(`Optimizer state ranges from ${formatBytes(small.stateBytes)} (${small.optimizer}) to ${formatBytes(large.stateBytes)} (${large.optimizer}).`);
    }
  }
  const diverged = result.ranking.filter((s) => s.diverged).map((s) => s.optimizer);
  if (diverged.length > 0) out.push(`Diverged (non-finite loss): ${diverged.join(", ")}; try a lower learning rate or --tune-lr.`);
  return out;
}
