// The one-file HTML page every report is: inline CSS, charts as inline SVG,
// no script and no external resource, so it opens offline and prints.

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

/** A rendered chart: its SVG and an id naming it (checked by the browser test). */
export interface Figure {
  id: string;
  svg: string;
  caption?: string;
}

/** A table: header cells and rows of cells (text, escaped here). */
export interface Table {
  headers: readonly string[];
  rows: readonly (readonly string[])[];
  /** Columns (by index) whose cells are right-aligned numbers. */
  numeric?: readonly number[];
  /** Rows (by index) to highlight, e.g. the winner. */
  highlight?: readonly number[];
}

export interface Section {
  title: string;
  /** Paragraphs of plain text (escaped). */
  text?: readonly string[];
  table?: Table;
  figures?: readonly Figure[];
  /** Preformatted text, such as the command line or a terminal table. */
  pre?: string;
}

export interface PageOptions {
  title: string;
  /** One line under the title (plain text). */
  summary?: string;
  sections: readonly Section[];
  /** Key facts about the run, shown as a definition list. */
  facts?: readonly [string, string][];
}

const CSS = `
:root { color-scheme: light; }
body { font-family: "DejaVu Sans", Helvetica, Arial, sans-serif; margin: 24px auto; max-width: 1240px; padding: 0 16px; color: #222; background: #fff; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
p.summary { color: #555; margin: 0 0 12px; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: 2px 16px; font-size: 13px; margin: 12px 0; }
dl.facts dt { color: #666; }
dl.facts dd { margin: 0; font-family: "DejaVu Sans Mono", monospace; }
table { border-collapse: collapse; font-size: 13px; margin: 8px 0; }
th, td { padding: 4px 10px; border-bottom: 1px solid #e5e5e5; text-align: left; }
th { background: #f5f5f5; }
td.num { text-align: right; font-variant-numeric: tabular-nums; font-family: "DejaVu Sans Mono", monospace; }
tr.highlight td { background: #eef6ee; font-weight: bold; }
.figures { display: grid; grid-template-columns: repeat(auto-fit, minmax(540px, 1fr)); gap: 12px; }
figure.chart { margin: 0; border: 1px solid #eee; padding: 6px; overflow-x: auto; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: 12px; color: #555; margin-top: 4px; }
pre { background: #f7f7f7; padding: 8px; overflow-x: auto; font-size: 12px; }
`;

function tableHtml(t: Table): string {
  const numeric = new Set(t.numeric ?? []);
  const highlight = new Set(t.highlight ?? []);
  const head = `<tr>${t.headers.map((h) => `<th>${escapeHtml(h)}</th>`).join("")}</tr>`;
  const body = t.rows
    .map((row, r) => `<tr${highlight.has(r) ? ' class="highlight"' : ""}>${row.map((c, i) => `<td${numeric.has(i) ? ' class="num"' : ""}>${escapeHtml(c)}</td>`).join("")}</tr>`)
    .join("\n");
  return `<table>\n<thead>${head}</thead>\n<tbody>\n${body}\n</tbody>\n</table>`;
}

function figureHtml(f: Figure): string {
  const caption = f.caption !== undefined ? `<figcaption>${escapeHtml(f.caption)}</figcaption>` : "";
  return `<figure class="chart" id="${escapeHtml(f.id)}" data-chart="${escapeHtml(f.id)}">${f.svg}${caption}</figure>`;
}

/** Builds the page: a title, facts, then each section's text, table, figures and preformatted text. */
export function htmlPage(o: PageOptions): string {
  const parts: string[] = [
    "<!DOCTYPE html>",
    '<html lang="en">',
    "<head>",
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(o.title)}</title>`,
    `<style>${CSS}</style>`,
    "</head>",
    "<body>",
    `<h1>${escapeHtml(o.title)}</h1>`,
  ];
  if (o.summary !== undefined) parts.push(`<p class="summary">${escapeHtml(o.summary)}</p>`);
  if (o.facts !== undefined && o.facts.length > 0) {
    parts.push(`<dl class="facts">${o.facts.map(([k, v]) => `<dt>${escapeHtml(k)}</dt><dd>${escapeHtml(v)}</dd>`).join("")}</dl>`);
  }
  for (const s of o.sections) {
    parts.push(`<section>`, `<h2>${escapeHtml(s.title)}</h2>`);
    for (const p of s.text ?? []) parts.push(`<p>${escapeHtml(p)}</p>`);
    if (s.table !== undefined) parts.push(tableHtml(s.table));
    if (s.figures !== undefined && s.figures.length > 0) parts.push(`<div class="figures">`, ...s.figures.map(figureHtml), `</div>`);
    if (s.pre !== undefined) parts.push(`<pre>${escapeHtml(s.pre)}</pre>`);
    parts.push(`</section>`);
  }
  parts.push("</body>", "</html>", "");
  return parts.join("\n");
}
