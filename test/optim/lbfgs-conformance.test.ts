// The torch references for L-BFGS (../shared/conformance/optimizers.json,
// torch_class "LBFGS"), run through the LBFGS conformance runner in both
// dtypes. The whole-suite conformance test runs them too once the optimizer
// runner dispatches to it; this keeps L-BFGS checked on its own.
import { describe, expect, it } from "vitest";
import { conformanceDir, loadCases } from "../conformance/cases.js";
import { runLbfgsCase } from "../conformance/runners/lbfgs.js";

const cases = loadCases(conformanceDir()).filter(({ case: c }) => c.torch_class === "LBFGS");

describe("LBFGS conformance with torch 1.13.1", () => {
  it("has the LBFGS cases", () => {
    expect(cases.length).toBeGreaterThanOrEqual(5);
  });
  for (const { case: c } of cases) {
    for (const dtype of ["float64", "float32"] as const) {
      it(`${c.id} [${dtype}]`, () => {
        const r = runLbfgsCase(c, dtype);
        expect(r.worst, `relative error ${r.worst} at ${r.where}`).toBeLessThanOrEqual(r.tolerance);
      });
    }
  }
});
