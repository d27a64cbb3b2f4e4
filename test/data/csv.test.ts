import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { loadCsv, parseCsv } from "../../src/data/index.js";

const root = mkdtempSync(join(tmpdir(), "nabla-csv-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

const IRIS = `sepal_length,sepal_width,species
5.1,3.5,setosa
7.0,3.2,versicolor
6.3,3.3,virginica
4.9,3.0,setosa
`;

describe("loadCsv", () => {
  it("reads numeric features as float32 and maps string classes, sorted, to int32 labels", () => {
    const path = join(root, "iris.csv");
    writeFileSync(path, IRIS);
    const table = loadCsv(path, { target: "species" });
    const [x, y] = table.dataset.tensors;
    expect(table.task).toBe("classification");
    expect(table.featureNames).toEqual(["sepal_length", "sepal_width"]);
    expect(table.targetName).toBe("species");
    expect(table.classNames).toEqual(["setosa", "versicolor", "virginica"]);
    expect(table.numClasses).toBe(3);
    expect(table.inputShape).toEqual([2]);
    expect(x!.shape).toEqual([4, 2]);
    expect(x!.dtype).toBe("float32");
    expect(Array.from(x!.data)).toEqual(Array.from(Float32Array.from([5.1, 3.5, 7.0, 3.2, 6.3, 3.3, 4.9, 3.0])));
    expect(y!.dtype).toBe("int32");
    expect(Array.from(y!.data)).toEqual([0, 1, 2, 0]);
  });

  it("names the file, line and column of a non-numeric or empty cell and of a ragged row", () => {
    const bad = join(root, "bad.csv");
    writeFileSync(bad, "a,b,y\n1,2,0\n3,x7,1\n");
    expect(() => loadCsv(bad)).toThrow(`loadCsv: ${bad}: line 3 (data row 2), column "b" (1): "x7" is not a finite number`);
    writeFileSync(bad, "a,b,y\n1,,0\n");
    expect(() => loadCsv(bad)).toThrow(`loadCsv: ${bad}: line 2 (data row 1), column "b" (1): empty cell, expected a number`);
    writeFileSync(bad, "a,b,y\n1,2,0\n\n3,4\n");
    expect(() => loadCsv(bad)).toThrow(`loadCsv: ${bad}: line 4 has 2 cells, expected 3 like the header`);
    writeFileSync(bad, "a,b,y\n1,2,0.5\n3,4,oops\n");
    expect(() => loadCsv(bad, { task: "regression" })).toThrow('line 3 (data row 2), column "y" (2): "oops" is not a finite number');
    expect(() => loadCsv(join(root, "missing.csv"))).toThrow(`loadCsv: cannot read ${join(root, "missing.csv")}`);
  });
});

describe("parseCsv", () => {
  it("infers regression from non-integer numeric targets, with [N, 1] float32 targets", () => {
    const t = parseCsv("x1,x2,price\n1,2,3.5\n4,5,6\n");
    expect(t.task).toBe("regression");
    expect(t.numClasses).toBe(0);
    expect(t.outputSize).toBe(1);
    const y = t.dataset.tensors[1]!;
    expect(y.shape).toEqual([2, 1]);
    expect(y.dtype).toBe("float32");
    expect(Array.from(y.data)).toEqual([3.5, 6]);
    // Integer targets can be regression too, when asked.
    expect(parseCsv("x,y\n1,2\n3,40\n", { task: "regression" }).dataset.tensors[1]!.toArray()).toEqual([[2], [40]]);
  });

  it("keeps non-negative integer labels as they are, and maps other numbers in numeric order", () => {
    const t = parseCsv("x,y\n0.5,2\n1.5,0\n2.5,2\n");
    expect(t.task).toBe("classification");
    expect(Array.from(t.dataset.tensors[1]!.data)).toEqual([2, 0, 2]);
    expect(t.numClasses).toBe(3);
    const signs = parseCsv("x,y\n1,1\n2,-1\n3,10\n");
    expect(signs.classNames).toEqual(["-1", "1", "10"]);
    expect(Array.from(signs.dataset.tensors[1]!.data)).toEqual([1, 0, 2]);
  });

  it("takes the target and features by index or name, without a header, with another delimiter", () => {
    const t = parseCsv("7;1;2\n8;3;4\n", { header: false, delimiter: ";", target: 0 });
    expect(t.featureNames).toEqual(["column 1", "column 2"]);
    expect(t.dataset.tensors[0]!.toArray()).toEqual([[1, 2], [3, 4]]);
    expect(Array.from(t.dataset.tensors[1]!.data)).toEqual([7, 8]);
    const picked = parseCsv("id,a,b,y\n100,1,2,0\n101,3,4,1\n", { target: "y", features: ["b", 1] });
    expect(picked.featureNames).toEqual(["b", "a"]);
    expect(picked.dataset.tensors[0]!.toArray()).toEqual([[2, 1], [4, 3]]);
  });

  it("handles quotes, CRLF, a BOM, blank lines and fixed classNames", () => {
    const text = '\uFEFFa,"label, with comma"\r\n1,"say ""hi"""\r\n\r\n2, other \r\n';
    const t = parseCsv(text, { classNames: ["other", 'say "hi"'] });
    expect(t.targetName).toBe("label, with comma");
    expect(Array.from(t.dataset.tensors[1]!.data)).toEqual([1, 0]);
    expect(t.dataset.tensors[0]!.toArray()).toEqual([[1], [2]]);
    expect(() => parseCsv("a,y\n1,cat\n", { classNames: ["dog"] })).toThrow('line 2 (data row 1), column "y" (1): "cat" is not one of the classNames [dog]');
    expect(() => parseCsv('a,y\n1,"open\n')).toThrow("parseCsv: csv: line 2: unterminated quoted cell");
  });

  it("rejects unknown columns, a name without header, and empty input", () => {
    expect(() => parseCsv("a,y\n1,2\n", { target: "z" })).toThrow('parseCsv: csv: no target column "z"; the columns are "a", "y"');
    expect(() => parseCsv("1,2\n", { header: false, target: "y" })).toThrow('target column "y" is a name, but header is false');
    expect(() => parseCsv("a,y\n1,2\n", { target: 2 })).toThrow("target column 2 is out of range for 2 columns");
    expect(() => parseCsv("a,y\n")).toThrow("parseCsv: csv: has no data rows");
    expect(() => parseCsv("a,y\n1,2\n", { features: ["y"] })).toThrow('column "y" is both the target and a feature');
  });
});
