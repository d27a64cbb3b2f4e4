// What the browser test checks in a report page, evaluated inside Chromium.
import { pathToFileURL } from "node:url";
import { Browser } from "./chromium.js";

export interface ChartCheck {
  id: string;
  /** Data marks (Vega's role-mark groups: lines, points, rules) drawn as <path> with a non-empty `d`. */
  paths: number;
  /** Of those, how many Chromium laid out with a non-zero box. */
  drawnPaths: number;
  /** Text elements with content (titles, axis labels, legend). */
  texts: number;
  width: number;
  height: number;
}

export interface PageCheck {
  title: string;
  charts: ChartCheck[];
  /** Resources the page requested (a self-contained report requests none). */
  resources: string[];
  scripts: number;
}

/** Runs in the page: measures every figure.chart's SVG as the browser drew it. */
const CHECK = `(() => {
  const charts = [...document.querySelectorAll("figure.chart")].map((fig) => {
    const svg = fig.querySelector("svg");
    const box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    const paths = svg ? [...svg.querySelectorAll("g.role-mark path")].filter((p) => (p.getAttribute("d") || "").trim() !== "") : [];
    const drawn = paths.filter((p) => { const b = p.getBBox(); return b.width > 0 || b.height > 0; });
    const texts = svg ? [...svg.querySelectorAll("text")].filter((t) => t.textContent.trim() !== "").length : 0;
    return { id: fig.id, paths: paths.length, drawnPaths: drawn.length, texts, width: box.width, height: box.height };
  });
  return {
    title: document.title,
    charts,
    resources: performance.getEntriesByType("resource").map((e) => e.name),
    scripts: document.scripts.length,
  };
})()`;

/** Opens `file` in headless Chromium, checks its charts and returns a full-page screenshot. */
export async function checkReport(file: string): Promise<{ check: PageCheck; png: Buffer }> {
  const browser = Browser.launch();
  try {
    const page = await browser.open(pathToFileURL(file).href);
    const check = await page.evaluate<PageCheck>(CHECK);
    const png = await page.screenshot();
    return { check, png };
  } finally {
    await browser.close();
  }
}
