// The HTML report of `nabla lr-find`: loss against learning rate, raw and
// smoothed, with the suggested rate marked.
import { lineChart, type Row } from "./charts.js";
import { htmlPage } from "./html.js";
import type { LrRangeAnalysis } from "./lrRangeTest.js";
import { thin } from "./smoothing.js";
import { formatSig } from "./textTable.js";
import { renderSvg } from "./vega.js";

export interface LrFindResult {
  command: string;
  task: string;
  model: string;
  optimizer: string;
  batchSize: number;
  seed: number;
  minLr: number;
  maxLr: number;
  /** Steps planned; fewer are recorded when the loss diverged first. */
  steps: number;
  beta: number;
  divergeFactor: number;
  /** One entry per update made: the rate it used and the batch loss before it. */
  points: { step: number; lr: number; loss: number; smoothed: number }[];
  suggestedLr: number | null;
  minLrDiv10: number;
  /** Index into points where the loss was judged diverged (null: it never did). */
  divergedAt: number | null;
  createdAt: string;
}

/** Assembles the result from the recorded rates and losses and their analysis. */
export function lrFindPoints(lrs: readonly number[], losses: readonly number[], analysis: LrRangeAnalysis): LrFindResult["points"] {
  return lrs.map((lr, i) => ({ step: i + 1, lr, loss: losses[i]!, smoothed: analysis.smoothed[i]! }));
}

/** Renders the report as one self-contained HTML page. */
export async function lrFindReportHtml(r: LrFindResult): Promise<string> {
  const end = r.divergedAt ?? r.points.length;
  // Show a little of the divergence, but not the blow-up that would flatten the rest.
  const shown = r.points.slice(0, Math.min(r.points.length, end + Math.ceil(end / 20)));
  const rows: Row[] = thin(shown, 1000).flatMap((p) => [
    { curve: "batch loss", lr: p.lr, loss: p.loss },
    { curve: "smoothed", lr: p.lr, loss: p.smoothed },
  ]);
  const before = r.points.slice(0, end).map((p) => p.smoothed).filter(Number.isFinite);
  const yMax = before.length > 0 ? Number((1.25 * Math.max(...before, r.points[0]!.loss)).toPrecision(2)) : undefined;
  const rules = [
    ...(r.suggestedLr !== null ? [{ x: r.suggestedLr, label: `steepest ${formatSig(r.suggestedLr)}`, color: "#d62728" }] : []),
    { x: r.minLrDiv10, label: `min/10 ${formatSig(r.minLrDiv10)}`, color: "#555" },
  ];
  const svg = await renderSvg(
    lineChart({
      title: "Loss against learning rate",
      subtitle: `${r.optimizer}, rate growing exponentially from ${formatSig(r.minLr)} to ${formatSig(r.maxLr)} over ${r.steps} steps`,
      rows,
      x: { field: "lr", title: "learning rate", log: true },
      // Up to a little above the smoothed curve before divergence: the blow-up itself would flatten the rest.
      y: { field: "loss", title: "training loss", ...(yMax !== undefined ? { max: yMax } : {}) },
      series: { field: "curve", title: "", domain: ["smoothed", "batch loss"] },
      dashed: ["batch loss"],
      rules,
      width: 760,
      height: 360,
      legend: "bottom",
    }),
  );
  const stopped =
    r.divergedAt !== null
      ? `The smoothed loss passed ${r.divergeFactor}× its minimum at step ${r.divergedAt + 1} (lr ${formatSig(r.points[r.divergedAt]!.lr)}), where the test stopped.`
      : `The loss did not diverge up to lr ${formatSig(r.points[r.points.length - 1]?.lr ?? r.maxLr)}; a larger --max-lr may show where it does.`;
  return htmlPage({
    title: `Learning-rate range test: ${r.optimizer} on ${r.task}`,
    summary:
      r.suggestedLr !== null
        ? `Suggested learning rate ${formatSig(r.suggestedLr)} (steepest descent of the smoothed loss).`
        : "Too few steps before divergence to suggest a rate: lower --min-lr or raise --steps.",
    facts: [
      ["task", r.task],
      ["model", r.model],
      ["optimizer", r.optimizer],
      ["range", `${formatSig(r.minLr)} → ${formatSig(r.maxLr)} over ${r.steps} steps, batch ${r.batchSize}, seed ${r.seed}`],
      ["created", r.createdAt],
    ],
    sections: [
      {
        title: "Loss against learning rate",
        text: [
          `Training starts at a tiny rate that grows by a constant factor every step. While the rate is too small, the loss hardly moves; then it falls; past some rate it blows up. The suggestion is the rate where the smoothed loss (moving average, beta ${r.beta}) falls fastest against log(lr): large, but still clearly below the rates that diverge. The lowest-loss rate divided by 10 is a more cautious rule of thumb.`,
          stopped,
        ],
        figures: [{ id: "lr-find", svg }],
        table: {
          headers: ["rule", "learning rate"],
          rows: [
            ["steepest descent (suggested)", r.suggestedLr === null ? "—" : formatSig(r.suggestedLr)],
            ["lowest loss ÷ 10", formatSig(r.minLrDiv10)],
          ],
          numeric: [1],
          highlight: [0],
        },
      },
      { title: "Command", pre: r.command },
    ],
  });
}
