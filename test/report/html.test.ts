import { describe, expect, it } from "vitest";
import { lineChart } from "../../src/report/charts.js";
import { escapeHtml, htmlPage } from "../../src/report/html.js";
import { renderSvg } from "../../src/report/vega.js";

describe("report pages", () => {
  it("escapes text and builds a page with no script and no external resource", () => {
    expect(escapeHtml(`<a href="x">&'</a>`)).toBe("&lt;a href=&quot;x&quot;&gt;&amp;&#39;&lt;/a&gt;");
    const html = htmlPage({
      title: "T <1>",
      facts: [["k", "v&"]],
      sections: [{ title: "S", text: ["p<"], table: { headers: ["h"], rows: [["<td>"]], highlight: [0] }, figures: [{ id: "f1", svg: "<svg></svg>" }], pre: "x > y" }],
    });
    expect(html).toContain("<title>T &lt;1&gt;</title>");
    expect(html).toContain('<figure class="chart" id="f1" data-chart="f1"><svg></svg></figure>');
    expect(html).toContain('<tr class="highlight"><td>&lt;td&gt;</td></tr>');
    expect(html).toContain("<pre>x &gt; y</pre>");
    expect(html).not.toMatch(/<script|<link|src=/);
  });
});

describe("line charts", () => {
  const rows = [
    { s: "one", x: 1, y: 1 },
    { s: "one", x: 2, y: 0.5 },
    { s: "one", x: 3, y: NaN },
    { s: "two", x: 1, y: 2 },
    { s: "two", x: 2, y: 0 },
    { s: "two", x: 3, y: 1 },
  ];

  it("leaves out non-finite values, and values <= 0 on a log axis", () => {
    const spec = lineChart({ title: "t", rows, x: { field: "x", title: "x" }, y: { field: "y", title: "y", log: true }, series: { field: "s", title: "s", domain: ["one", "two"] } }) as unknown as {
      layer: { data: { values: unknown[] } }[];
    };
    expect(spec.layer[0]!.data.values).toEqual([rows[0], rows[1], rows[3], rows[5]]);
  });

  it("renders to an SVG with one line per series, colored by the series' place in the domain", async () => {
    const svg = await renderSvg(lineChart({ title: "Loss", rows, x: { field: "x", title: "step" }, y: { field: "y", title: "loss" }, series: { field: "s", title: "s", domain: ["two", "one"] } }));
    expect(svg.startsWith("<svg")).toBe(true);
    expect(svg).toContain("Loss");
    const lines = [...svg.matchAll(/<path[^>]*aria-roledescription="line mark"[^>]*>/g)].map((m) => m[0]);
    expect(lines).toHaveLength(2);
    // "two" is first in the domain, so it takes the first palette color.
    const two = lines.find((l) => l.includes("s: two"));
    expect(two ?? "").toContain('stroke="#4c78a8"');
  });
});
