// Vega-Lite specs for the report charts: line charts of long-format rows,
// one colored line per series, with the same color for the same series in
// every chart of a report.
import type { TopLevelSpec } from "vega-lite";

/** One point of a chart: field name -> value. */
export type Row = Record<string, number | string>;

export interface Axis {
  field: string;
  title: string;
  /** Logarithmic scale; rows where this field is <= 0 are left out. */
  log?: boolean;
  /** Start a linear scale at zero (default false: fit the data). */
  zero?: boolean;
  /** Lower end of the axis: values below it are cut off (a zoom on the part that matters). */
  min?: number;
  /** Upper end of the axis: values above it are cut off (e.g. a loss that blew up). */
  max?: number;
}

export interface LineChartOptions {
  title: string;
  /** Shown under the title: what the chart shows and how it was computed. */
  subtitle?: string;
  rows: readonly Row[];
  x: Axis;
  y: Axis;
  /** The field naming each row's series, and the series in legend order. */
  series?: { field: string; title: string; domain: readonly string[] };
  /** Mark each point (for curves of few points, such as evaluations). */
  points?: boolean;
  /** Dashed series (by name), drawn thinner: e.g. a raw curve behind its smoothed one. */
  dashed?: readonly string[];
  /** Vertical rules with a label, e.g. a suggested learning rate. */
  rules?: readonly { x: number; label: string; color?: string }[];
  width?: number;
  height?: number;
  /** Where the series legend goes (default right). */
  legend?: "right" | "bottom";
}

/** Tableau 10, the default categorical palette of Vega: distinct and readable in print. */
export const PALETTE = ["#4c78a8", "#f58518", "#e45756", "#72b7b2", "#54a24b", "#eeca3b", "#b279a2", "#ff9da6", "#9d755d", "#bab0ac"];

const CONFIG = {
  font: "DejaVu Sans, Helvetica, Arial, sans-serif",
  view: { stroke: "#ddd" },
  axis: { labelFontSize: 11, titleFontSize: 12, gridColor: "#eee" },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  title: { fontSize: 14, subtitleFontSize: 11, subtitleColor: "#555", anchor: "start" as const },
};

/** Drops rows whose plotted values are not finite, or not positive on a log axis. */
function plottable(rows: readonly Row[], axes: readonly Axis[]): Row[] {
  return rows.filter((row) =>
    axes.every((a) => {
      const v = row[a.field];
      return typeof v === "number" && Number.isFinite(v) && (!a.log || v > 0);
    }),
  );
}

function scaleOf(axis: Axis): Record<string, unknown> {
  const base: Record<string, unknown> = axis.log ? { type: "log" } : { zero: axis.zero ?? false };
  if (axis.min !== undefined) base.domainMin = axis.min;
  if (axis.max !== undefined) base.domainMax = axis.max;
  return base;
}

/**
 * A line chart of `rows` (long format: one row per point, a series field
 * telling the lines apart) as a Vega-Lite spec. Non-finite values are left
 * out (a diverged run's curve ends where it diverged).
 */
export function lineChart(o: LineChartOptions): TopLevelSpec {
  const values = plottable(o.rows, [o.x, o.y]);
  const color = o.series
    ? {
        color: {
          field: o.series.field,
          type: "nominal" as const,
          title: o.series.title,
          scale: { domain: [...o.series.domain], range: PALETTE.slice(0, Math.max(1, o.series.domain.length)) },
          sort: [...o.series.domain],
          ...(o.legend === "bottom" ? { legend: { orient: "bottom" as const, direction: "horizontal" as const } } : {}),
        },
      }
    : {};
  const dashed = o.dashed ?? [];
  const seriesField = o.series?.field;
  const dash =
    seriesField !== undefined && dashed.length > 0
      ? {
          strokeDash: {
            condition: { test: `indexof(${JSON.stringify(dashed)}, datum[${JSON.stringify(seriesField)}]) >= 0`, value: [4, 3] },
            value: [1, 0],
          },
          strokeWidth: { condition: { test: `indexof(${JSON.stringify(dashed)}, datum[${JSON.stringify(seriesField)}]) >= 0`, value: 1 }, value: 2 },
        }
      : {};
  const line = {
    mark: {
      type: "line" as const,
      point: o.points === true ? { filled: true, size: 28 } : false,
      strokeWidth: 2,
      interpolate: "linear" as const,
      clip: [o.x.min, o.x.max, o.y.min, o.y.max].some((v) => v !== undefined),
    },
    encoding: {
      x: { field: o.x.field, type: "quantitative" as const, title: o.x.title, scale: scaleOf(o.x) },
      y: { field: o.y.field, type: "quantitative" as const, title: o.y.title, scale: scaleOf(o.y) },
      ...(seriesField !== undefined ? { detail: { field: seriesField, type: "nominal" as const } } : {}),
      ...color,
      ...dash,
    },
  };
  const rules = (o.rules ?? []).map((r) => ({
    data: { values: [{ x: r.x, label: r.label }] },
    layer: [
      { mark: { type: "rule" as const, color: r.color ?? "#333", strokeDash: [6, 4] }, encoding: { x: { field: "x", type: "quantitative" as const } } },
      {
        mark: { type: "text" as const, align: "left" as const, baseline: "top" as const, dx: 4, dy: 4, y: 0, color: r.color ?? "#333", fontSize: 11 },
        encoding: { x: { field: "x", type: "quantitative" as const }, text: { field: "label", type: "nominal" as const } },
      },
    ],
  }));
  return {
    $schema: "https://vega.github.io/schema/vega-lite/v6.json",
    title: o.subtitle !== undefined ? { text: o.title, subtitle: o.subtitle } : o.title,
    width: o.width ?? 400,
    height: o.height ?? 240,
    config: CONFIG,
    layer: [{ data: { values }, ...line }, ...rules],
  } as TopLevelSpec;
}
