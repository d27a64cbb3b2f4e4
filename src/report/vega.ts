// Charts are Vega-Lite specs rendered to SVG here in Node (no canvas, no
// browser), so a report embeds finished drawings and opens offline.
import { parse, View } from "vega";
import { compile, type TopLevelSpec } from "vega-lite";

export type { TopLevelSpec } from "vega-lite";

/**
 * Renders a Vega-Lite spec to an SVG string: vega-lite compiles it to a
 * Vega spec, and a headless Vega view (renderer "none") draws the scene
 * graph as SVG. Text widths are estimated, as there is no canvas to measure.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const vegaSpec = compile(spec).spec;
  const view = new View(parse(vegaSpec), { renderer: "none" });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}
