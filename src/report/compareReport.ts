// The HTML report of `nabla compare`: ranking, curves against steps and
// against training time, learning rate, gradient norm and the lr sweeps.
import { lineChart, type Row } from "./charts.js";
import { type CompareResult, findings, type LrSweep, RANKING_HEADERS, RANKING_NUMERIC, rankingRows } from "./compareResult.js";
import type { RecordedRun } from "./experiment.js";
import { type Figure, htmlPage, type Section } from "./html.js";
import { betaForLength, smoothEma, thin } from "./smoothing.js";
import { formatBytes, formatSig } from "./textTable.js";
import { renderSvg } from "./vega.js";

/** Points per curve drawn; the JSON keeps every step. */
const MAX_POINTS = 600;

/** Long-format rows of the per-step curves: smoothed loss and gradient norm, learning rate. */
function stepRows(runs: readonly RecordedRun[], totalSteps: number): Row[] {
  const beta = betaForLength(totalSteps);
  const rows: Row[] = [];
  for (const run of runs) {
    const loss = smoothEma(
      run.steps.map((s) => s.loss),
      beta,
    );
    const norm = smoothEma(
      run.steps.map((s) => s.gradNorm),
      beta,
    );
    const points = run.steps.map((s, i) => ({
      optimizer: run.optimizer,
      step: s.step,
      seconds: s.seconds,
      loss: loss[i]!,
      gradNorm: norm[i]!,
      lr: s.lr,
    }));
    rows.push(...thin(points, MAX_POINTS));
  }
  return rows;
}

function evalRows(runs: readonly RecordedRun[]): Row[] {
  return runs.flatMap((run) => run.evals.map((e) => ({ optimizer: run.optimizer, step: e.step, seconds: e.seconds, loss: e.loss, accuracy: e.accuracy * 100 })));
}

/** A warning when the chosen rate is the smallest or largest tried: the best may lie beyond. */
export function sweepEdgeNote(s: LrSweep): string {
  const lrs = s.candidates.map((c) => c.lr);
  if (s.chosen === Math.max(...lrs)) return " (the largest tried: a larger rate may be better still)";
  if (s.chosen === Math.min(...lrs)) return " (the smallest tried: a smaller rate may be better still)";
  return "";
}

/** Renders the report of a comparison as one self-contained HTML page. */
export async function compareReportHtml(result: CompareResult): Promise<string> {
  const names = result.runs.map((r) => r.optimizer);
  const series = { field: "optimizer", title: "optimizer", domain: names };
  const steps = stepRows(result.runs, result.totalSteps);
  const evals = evalRows(result.runs);
  const beta = betaForLength(result.totalSteps);
  const smoothNote = beta > 0 ? `moving average of the batch losses (beta ${beta.toFixed(2)})` : "loss of each batch";
  const chart = async (id: string, spec: Parameters<typeof lineChart>[0], caption?: string): Promise<Figure> => ({
    id,
    svg: await renderSvg(lineChart(spec)),
    ...(caption !== undefined ? { caption } : {}),
  });
  // Zoom the accuracy axis on the last three quarters of the runs, where optimizers differ.
  const late = result.runs.filter((r) => r.diverged === null).flatMap((r) => r.evals.filter((e) => e.step >= result.totalSteps / 4).map((e) => e.accuracy));
  const accMin = late.length > 0 ? Math.max(0, Math.floor(Math.min(...late) * 100 - 2)) : undefined;
  const accuracyAxis = { field: "accuracy", title: "accuracy (%)", ...(accMin !== undefined && accMin > 0 ? { min: accMin } : {}) };
  const accNote = accMin !== undefined && accMin > 0 ? `axis from ${accMin}%: earlier, lower points are cut` : undefined;
  const step = { field: "step", title: "step (updates)" };
  const time = { field: "seconds", title: "training time (s)" };
  const curves: Figure[] = [
    await chart("train-loss-steps", { title: "Training loss", subtitle: smoothNote, rows: steps, x: step, y: { field: "loss", title: "loss", log: true }, series }),
    await chart("train-loss-time", { title: "Training loss against time", subtitle: smoothNote, rows: steps, x: time, y: { field: "loss", title: "loss", log: true }, series }),
    await chart("val-loss-steps", {
      title: "Validation loss",
      subtitle: `test split, every ${result.evalEvery} steps`,
      rows: evals,
      x: step,
      y: { field: "loss", title: "loss", log: true },
      series,
      points: true,
    }),
    await chart("val-loss-time", { title: "Validation loss against time", rows: evals, x: time, y: { field: "loss", title: "loss", log: true }, series, points: true }),
    await chart("accuracy-steps", { title: "Validation accuracy", ...(accNote !== undefined ? { subtitle: accNote } : {}), rows: evals, x: step, y: accuracyAxis, series, points: true }),
    await chart("accuracy-time", {
      title: "Validation accuracy against time",
      ...(accNote !== undefined ? { subtitle: accNote } : {}),
      rows: evals,
      x: time,
      y: accuracyAxis,
      series,
      points: true,
    }),
    await chart("lr-steps", {
      title: "Learning rate",
      subtitle: result.schedule === null ? "constant per optimizer" : `schedule ${result.schedule}`,
      rows: steps,
      x: step,
      y: { field: "lr", title: "learning rate", log: true },
      series,
    }),
    await chart("grad-norm-steps", {
      title: "Gradient norm",
      subtitle: beta > 0 ? `global L2 norm before each update, moving average (beta ${beta.toFixed(2)})` : "global L2 norm before each update",
      rows: steps,
      x: step,
      y: { field: "gradNorm", title: "‖g‖₂", log: true },
      series,
    }),
  ];
  const sections: Section[] = [
    {
      title: "Ranking",
      text: [
        `Ranked by final validation loss (runs that diverged last). Train loss: mean over the last 10% of updates. To target: training time until the validation accuracy first reached ${(result.target * 100).toFixed(1)}%. State: bytes of the optimizer's buffers (the parameters themselves take ${formatBytes(result.parameters * 4)} in float32).`,
        ...findings(result),
      ],
      table: { headers: RANKING_HEADERS, rows: rankingRows(result), numeric: RANKING_NUMERIC, highlight: [0] },
    },
    {
      title: "Curves",
      text: ["Every optimizer starts from the same initial weights and sees the same batches in the same order; only the update rule differs. Times are training time only (no evaluation), measured after a few untimed warm-up steps per optimizer; on a busy machine they carry noise that the step axes do not."],
      figures: curves,
    },
  ];
  if (result.sweeps !== null) {
    const rows: Row[] = result.sweeps.flatMap((s) => s.candidates.map((c) => ({ optimizer: s.optimizer, lr: c.lr, score: c.score })));
    const steps = result.sweeps[0]?.steps ?? 0;
    sections.push({
      title: "Learning-rate sweep",
      text: [
        `Each optimizer was trained for ${steps} updates at each candidate rate, from the same weights; the rate with the lowest mean training loss over the last quarter of those updates was used. Candidates that diverged are not drawn.`,
        ...result.sweeps.map((s) => `${s.optimizer}: ${s.candidates.map((c) => `${formatSig(c.lr)} → ${c.diverged ? "diverged" : c.score.toFixed(4)}`).join(", ")}; chose ${formatSig(s.chosen)}${sweepEdgeNote(s)}.`),
      ],
      figures: [
        await chart("lr-sweep", {
          title: "Learning-rate sweep",
          subtitle: `loss after ${steps} updates at each rate`,
          rows,
          x: { field: "lr", title: "learning rate", log: true },
          y: { field: "score", title: "training loss", log: true },
          series,
          points: true,
        }),
      ],
    });
  }
  sections.push({ title: "Command", pre: result.command });
  return htmlPage({
    title: `Optimizer comparison: ${result.task}`,
    summary: `${names.join(", ")} on ${result.task}, ${result.epochs} epoch${result.epochs === 1 ? "" : "s"} each.`,
    facts: [
      ["task", `${result.task} (${result.trainSamples} train, ${result.testSamples} test samples)`],
      ["model", `${result.model}, ${result.parameters.toLocaleString("en-US")} parameters`],
      ["training", `${result.epochs} epochs × ${result.stepsPerEpoch} steps, batch ${result.batchSize}, seed ${result.seed}`],
      ["learning rates", result.sweeps !== null ? "tuned per optimizer (--tune-lr)" : "defaults per optimizer"],
      ["schedule", result.schedule ?? "constant"],
      ["created", `${result.createdAt}, Node ${result.nodeVersion}`],
    ],
    sections,
  });
}
