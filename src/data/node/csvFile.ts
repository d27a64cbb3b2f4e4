import { readFileSync } from "node:fs";
import { type CsvDataset, type CsvOptions, parseCsv } from "../csv.js";

/**
 * Reads a CSV file into a TensorDataset of float32 features and a target
 * column: int32 class labels or float32 regression values. The rules
 * (header, quoting, how labels are numbered, when the task is inferred as
 * regression) are those of `parseCsv`; errors name the file, line and column.
 */
export function loadCsv(path: string, options: CsvOptions = {}): CsvDataset {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new Error(`loadCsv: cannot read ${path} (${(e as Error).message})`);
  }
  return parseCsv(text, options, path, "loadCsv");
}
