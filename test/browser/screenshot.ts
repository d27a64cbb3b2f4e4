// Saves a full-page screenshot of a report, as the docs' images were made:
//   npx tsx test/browser/screenshot.ts report.html docs/compare-report.png
import { writeFileSync } from "node:fs";
import { resolve } from "node:path";
import { checkReport } from "./charts.js";

const [input, output] = process.argv.slice(2);
if (input === undefined || output === undefined) {
  process.stderr.write("usage: tsx test/browser/screenshot.ts REPORT.html OUT.png\n");
  process.exit(2);
}
const { check, png } = await checkReport(resolve(input));
writeFileSync(output, png);
process.stdout.write(`${check.charts.length} charts (${check.charts.map((c) => `${c.id}: ${c.drawnPaths} paths`).join(", ")}) -> ${output}\n`);
