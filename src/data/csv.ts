import { Tensor } from "../tensor/tensor.js";
import type { Task } from "./splits.js";
import { TensorDataset } from "./tensorDataset.js";

export interface CsvOptions {
  /** The target column: its header name or its index (negative counts from the end); the last column by default. */
  target?: string | number;
  /** The feature columns, by name or index; every column but the target by default. */
  features?: readonly (string | number)[];
  /** Whether the first line names the columns; true by default. */
  header?: boolean;
  /** The cell separator, one character; "," by default. */
  delimiter?: string;
  /**
   * "classification" makes int32 class labels of the target, "regression"
   * float32 values. By default: regression when every target cell is a
   * number and one of them is not an integer, classification otherwise.
   */
  task?: Task;
  /** Class names in label order, to fix the mapping (e.g. for a test file loaded apart from its training file). */
  classNames?: readonly string[];
}

/** A table read from CSV: features float32 [N, F] and targets (int32 [N] or float32 [N, 1]) as one TensorDataset. */
export interface CsvDataset {
  readonly name: string;
  readonly task: Task;
  readonly dataset: TensorDataset;
  readonly featureNames: readonly string[];
  readonly targetName: string;
  readonly inputShape: readonly number[];
  /** Number of classes for classification; 0 for regression. */
  readonly numClasses: number;
  /** numClasses, or 1 for regression. */
  readonly outputSize: number;
  /** For classification: classNames[i] is the target value that became label i. */
  readonly classNames?: readonly string[];
}

interface Row {
  readonly cells: string[];
  readonly line: number;
}

/**
 * Parses CSV text (RFC 4180: quoted cells may hold the delimiter, newlines
 * and doubled quotes; CRLF or LF line ends; blank lines are skipped;
 * unquoted cells are trimmed) into a dataset of numeric features and one
 * target column. Classification labels: with `classNames`, the index of the
 * cell's text in it; else, if every target is a non-negative integer, that
 * integer (numClasses = max + 1); else the distinct values are sorted
 * (numerically when all are numbers, otherwise by text) and label i is the
 * i-th. Every feature cell must be a finite number. `source` names the text
 * in error messages, which give the line and the column.
 */
export function parseCsv(text: string, options: CsvOptions = {}, source = "csv", op = "parseCsv"): CsvDataset {
  const where = `${op}: ${source}`;
  const delimiter = options.delimiter ?? ",";
  if (delimiter.length !== 1 || delimiter === '"' || delimiter === "\n" || delimiter === "\r") {
    throw new Error(`${op}: delimiter must be one character other than a quote or a line break, got ${JSON.stringify(delimiter)}`);
  }
  const hasHeader = options.header ?? true;
  const rows = tokenize(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text, delimiter, where);
  if (hasHeader && rows.length === 0) throw new Error(`${where}: is empty, expected a header line`);
  const headerRow = hasHeader ? rows[0]! : null;
  const data = hasHeader ? rows.slice(1) : rows;
  if (data.length === 0) throw new Error(`${where}: has no data rows`);
  const width = headerRow ? headerRow.cells.length : data[0]!.cells.length;
  const names = headerRow ? headerRow.cells : Array.from({ length: width }, (_, i) => `column ${i}`);
  for (const row of data) {
    if (row.cells.length !== width) {
      throw new Error(
        `${where}: line ${row.line} has ${row.cells.length} cells, expected ${width} like ${headerRow ? "the header" : `line ${data[0]!.line}`}`,
      );
    }
  }
  if (width < 2) throw new Error(`${where}: needs at least two columns (features and a target), got ${width}`);

  const column = (ref: string | number, what: string): number => {
    if (typeof ref === "number") {
      const i = ref < 0 ? width + ref : ref;
      if (!Number.isInteger(ref) || i < 0 || i >= width) throw new RangeError(`${op}: ${what} column ${ref} is out of range for ${width} columns`);
      return i;
    }
    if (!headerRow) throw new Error(`${op}: ${what} column "${ref}" is a name, but header is false; use an index`);
    const i = names.indexOf(ref);
    if (i < 0) throw new Error(`${where}: no ${what} column "${ref}"; the columns are ${names.map((n) => `"${n}"`).join(", ")}`);
    return i;
  };
  const target = column(options.target ?? -1, "target");
  const featureCols = options.features ? options.features.map((f) => column(f, "feature")) : names.map((_, i) => i).filter((i) => i !== target);
  if (featureCols.length === 0) throw new Error(`${op}: no feature columns`);
  if (featureCols.includes(target)) throw new Error(`${op}: column "${names[target]}" is both the target and a feature`);
  const label = (row: Row, col: number): string => `line ${row.line} (data row ${data.indexOf(row) + 1}), column "${names[col]}" (${col})`;

  const n = data.length;
  const f = featureCols.length;
  const x = new Float32Array(n * f);
  data.forEach((row, i) => {
    featureCols.forEach((col, j) => {
      x[i * f + j] = toNumber(row.cells[col]!, () => `${where}: ${label(row, col)}`);
    });
  });

  const targets = data.map((row) => row.cells[target]!);
  const numeric = targets.map((cell) => (cell === "" ? NaN : Number(cell)));
  const allNumeric = numeric.every(Number.isFinite);
  const task: Task = options.task ?? (allNumeric && !numeric.every(Number.isInteger) ? "regression" : "classification");
  if (task !== "classification" && task !== "regression") {
    throw new Error(`${op}: task must be "classification" or "regression", got ${String(task)}`);
  }
  const common = {
    name: source,
    featureNames: featureCols.map((c) => names[c]!),
    targetName: names[target]!,
    inputShape: [f],
  };
  const features = new Tensor(x, [n, f]);
  if (task === "regression") {
    const y = new Float32Array(n);
    data.forEach((row, i) => (y[i] = toNumber(row.cells[target]!, () => `${where}: ${label(row, target)}`)));
    return { ...common, task, dataset: new TensorDataset(features, new Tensor(y, [n, 1])), numClasses: 0, outputSize: 1 };
  }

  let classNames: string[];
  const y = new Int32Array(n);
  if (options.classNames) {
    classNames = [...options.classNames];
    const index = new Map(classNames.map((c, i) => [c, i]));
    data.forEach((row, i) => {
      const k = index.get(targets[i]!);
      if (k === undefined) {
        throw new Error(`${where}: ${label(row, target)}: "${targets[i]}" is not one of the classNames [${classNames.join(", ")}]`);
      }
      y[i] = k;
    });
  } else if (allNumeric && numeric.every((v) => Number.isInteger(v) && v >= 0 && v < 2 ** 31)) {
    let max = 0;
    numeric.forEach((v, i) => {
      y[i] = v;
      max = Math.max(max, v);
    });
    classNames = Array.from({ length: max + 1 }, (_, i) => String(i));
  } else {
    const distinct = [...new Set(targets)];
    if (allNumeric) distinct.sort((a, b) => Number(a) - Number(b));
    else distinct.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const index = new Map(distinct.map((c, i) => [c, i]));
    targets.forEach((t, i) => (y[i] = index.get(t)!));
    classNames = distinct;
  }
  return {
    ...common,
    task,
    dataset: new TensorDataset(features, new Tensor(y, [n])),
    numClasses: classNames.length,
    outputSize: classNames.length,
    classNames,
  };
}

function toNumber(cell: string, where: () => string): number {
  if (cell === "") throw new Error(`${where()}: empty cell, expected a number`);
  const v = Number(cell);
  if (!Number.isFinite(v)) throw new Error(`${where()}: ${JSON.stringify(cell)} is not a finite number`);
  return v;
}

/** Splits CSV text into rows of cells, remembering each row's first line number (1-based). */
function tokenize(text: string, delimiter: string, where: string): Row[] {
  const rows: Row[] = [];
  let cells: string[] = [];
  let cell = "";
  let quoted = false; // the current cell was quoted (so it is not trimmed)
  let quotedRow = false; // some cell of the current row was quoted (so it is not blank)
  let line = 1;
  let rowLine = 1;
  let i = 0;
  const endCell = (): void => {
    cells.push(quoted ? cell : cell.trim());
    cell = "";
    quoted = false;
  };
  const endRow = (): void => {
    endCell();
    // A blank line is one empty unquoted cell: skip it.
    if (!(cells.length === 1 && cells[0] === "" && !quotedRow)) rows.push({ cells, line: rowLine });
    cells = [];
    quotedRow = false;
  };
  while (i < text.length) {
    const ch = text[i]!;
    if (ch === '"' && cell.trim() === "" && !quoted) {
      // A quoted cell: read to the closing quote, "" standing for one quote.
      const openLine = line;
      quoted = true;
      quotedRow = true;
      cell = "";
      i++;
      for (;;) {
        if (i >= text.length) throw new Error(`${where}: line ${openLine}: unterminated quoted cell`);
        const c = text[i]!;
        if (c === '"') {
          if (text[i + 1] === '"') {
            cell += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        if (c === "\n") line++;
        cell += c;
        i++;
      }
      // Only spaces may follow the closing quote before the delimiter or line end.
      while (i < text.length && (text[i] === " " || text[i] === "\t")) i++;
      if (i < text.length && text[i] !== delimiter && text[i] !== "\n" && text[i] !== "\r") {
        throw new Error(`${where}: line ${line}: unexpected ${JSON.stringify(text[i])} after a closing quote`);
      }
      continue;
    }
    if (ch === delimiter) {
      endCell();
      i++;
    } else if (ch === "\n" || ch === "\r") {
      endRow();
      i += ch === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++;
      rowLine = line;
    } else {
      cell += ch;
      i++;
    }
  }
  if (cell !== "" || cells.length > 0 || quoted) endRow();
  return rows;
}
