// The plot of `nabla schedule`: learning rate against step for one or more specs.
import { lineChart, type Row } from "./charts.js";
import { htmlPage } from "./html.js";
import { formatSig } from "./textTable.js";
import { renderSvg } from "./vega.js";

export interface ScheduleCurve {
  spec: string;
  /** (step, value) pairs, steps increasing. */
  points: { step: number; lr: number }[];
}

export interface SchedulePlot {
  peakLr: number;
  steps: number;
  curves: ScheduleCurve[];
  log?: boolean;
}

/** The schedule chart as SVG. */
export async function scheduleSvg(p: SchedulePlot): Promise<string> {
  const rows: Row[] = p.curves.flatMap((c) => c.points.map((pt) => ({ spec: c.spec, step: pt.step, lr: pt.lr })));
  return renderSvg(
    lineChart({
      title: p.curves.length === 1 ? `Schedule ${p.curves[0]!.spec}` : "Schedules",
      subtitle: `peak learning rate ${formatSig(p.peakLr)}, ${p.steps} steps`,
      rows,
      x: { field: "step", title: "step" },
      y: { field: "lr", title: "learning rate", log: p.log === true, zero: p.log !== true },
      series: { field: "spec", title: "spec", domain: p.curves.map((c) => c.spec) },
      width: 760,
      height: 320,
    }),
  );
}

/** The schedule chart in a self-contained HTML page. */
export async function scheduleReportHtml(p: SchedulePlot, command: string): Promise<string> {
  const svg = await scheduleSvg(p);
  return htmlPage({
    title: `Learning-rate schedule: ${p.curves.map((c) => c.spec).join(", ")}`,
    sections: [
      { title: "Schedule", figures: [{ id: "schedule", svg }] },
      { title: "Command", pre: command },
    ],
  });
}
