// Writes the sparse-features task used in docs/choosing-an-optimizer.md:
//   npx tsx docs/make-sparse-csv.ts sparse.csv
// 5,000 rows of 500 binary features with Zipf-like frequencies (feature j is
// on with probability min(0.5, 2/(j+1)), so most features are rare, like
// words in text), and a label that is the sign of a fixed ±1 weight on
// every feature: rare features count as much as common ones.
import { writeFileSync } from "node:fs";

const rows = 5000;
const features = 500;
let seed = 12345;
/** mulberry32: a small seeded generator, so the file is the same every time. */
function random(): number {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = seed;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const weights = Array.from({ length: features }, () => (random() < 0.5 ? -1 : 1));
const lines = [[...Array.from({ length: features }, (_, j) => `f${j}`), "label"].join(",")];
for (let i = 0; i < rows; i++) {
  const x = Array.from({ length: features }, (_, j) => (random() < Math.min(0.5, 2 / (j + 1)) ? 1 : 0));
  const score = x.reduce((s, v, j) => s + v * weights[j]!, 0) + (random() - 0.5);
  lines.push([...x, score > 0 ? "pos" : "neg"].join(","));
}
writeFileSync(process.argv[2] ?? "sparse.csv", lines.join("\n") + "\n");
