// The ranking table of a comparison, computed from the recorded curves only,
// so that it can be checked against them.
import type { RecordedRun } from "./experiment.js";

export interface RunSummary {
  rank: number;
  optimizer: string;
  lr: number;
  /** Mean training loss over the last 10% of the updates (at least one). */
  finalTrainLoss: number;
  /** Validation loss at the last evaluation. */
  finalValLoss: number;
  /** Highest validation accuracy over the evaluations. */
  bestAccuracy: number;
  /** First evaluation at or above the target accuracy (null: never reached). */
  timeToTarget: { step: number; seconds: number } | null;
  /** Bytes of optimizer state. */
  stateBytes: number;
  /** Training time in seconds. */
  seconds: number;
  diverged: boolean;
}

/** The default target: 95% of the best accuracy any run reached, floored to 0.1%. */
export function defaultTarget(runs: readonly RecordedRun[]): number {
  let best = 0;
  for (const r of runs) for (const e of r.evals) if (Number.isFinite(e.accuracy)) best = Math.max(best, e.accuracy);
  return Math.floor(best * 0.95 * 1000) / 1000;
}

/** The summary of one run against a target accuracy (rank not set yet: 0). */
export function summarize(run: RecordedRun, target: number): RunSummary {
  const tail = Math.max(1, Math.ceil(run.steps.length / 10));
  const lastLosses = run.steps.slice(-tail).map((s) => s.loss);
  const finalTrainLoss = lastLosses.length > 0 ? lastLosses.reduce((a, b) => a + b, 0) / lastLosses.length : NaN;
  const lastEval = run.evals[run.evals.length - 1];
  const reached = run.evals.find((e) => e.accuracy >= target);
  return {
    rank: 0,
    optimizer: run.optimizer,
    lr: run.lr,
    finalTrainLoss,
    finalValLoss: lastEval?.loss ?? NaN,
    bestAccuracy: run.evals.reduce((m, e) => (e.accuracy > m ? e.accuracy : m), 0),
    timeToTarget: reached !== undefined ? { step: reached.step, seconds: reached.seconds } : null,
    stateBytes: run.stateBytes,
    seconds: run.seconds,
    diverged: run.diverged !== null,
  };
}

/**
 * Ranks runs by final validation loss (lower first); runs that diverged
 * come last, and ties go to the higher best accuracy. Returns new
 * summaries with `rank` from 1, in rank order.
 */
export function rankRuns(runs: readonly RecordedRun[], target: number): RunSummary[] {
  const key = (s: RunSummary) => (s.diverged || !Number.isFinite(s.finalValLoss) ? Infinity : s.finalValLoss);
  return runs
    .map((r) => summarize(r, target))
    .sort((a, b) => key(a) - key(b) || b.bestAccuracy - a.bestAccuracy || (a.optimizer < b.optimizer ? -1 : 1))
    .map((s, i) => ({ ...s, rank: i + 1 }));
}
