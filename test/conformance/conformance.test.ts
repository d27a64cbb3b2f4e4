// Runs every case in $NABLA_CONFORMANCE_DIR (default ../shared/conformance)
// and its nn/ subfolder through nabla's public API, in float64 and float32,
// and prints "N passed, M failed". A case whose kind, class or option nabla
// cannot run fails; nothing is skipped.
import { afterAll, describe, it } from "vitest";
import { conformanceDir, loadAllCases, type Runner } from "./cases.js";
import { runners } from "./runners/index.js";

const dir = conformanceDir();
const cases = loadAllCases(dir);
let passed = 0;
let failed = 0;

describe(`conformance (${dir})`, () => {
  for (const { file, case: c } of cases) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`${file} ${c.id} [${dtype}]`, () => {
        try {
          const runner: Runner | undefined = runners[c.kind];
          if (runner === undefined) throw new Error(`no runner for kind "${c.kind}"`);
          const r = runner(c, dtype);
          if (!(r.worst <= r.tolerance)) {
            throw new Error(`relative error ${r.worst} > ${r.tolerance} at ${r.where}`);
          }
          passed++;
        } catch (e) {
          failed++;
          throw e;
        }
      });
    }
  }
  afterAll(() => {
    console.log(`conformance: ${passed} passed, ${failed} failed`);
  });
});
