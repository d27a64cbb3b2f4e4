// nb.optim.stateBytes: bytes of optimizer state per parameter element,
// measured from the state dict, for the torch.optim set, the issue-9
// optimizers and the wrappers; values derived from each one's state layout.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { COCOB } from "../../src/optim/optimizers/COCOB.js";
import { DAdaptAdam } from "../../src/optim/optimizers/DAdaptAdam.js";
import { Lookahead } from "../../src/optim/optimizers/Lookahead.js";
import { Prodigy } from "../../src/optim/optimizers/Prodigy.js";
import { SAM } from "../../src/optim/optimizers/SAM.js";
import { AdamWScheduleFree } from "../../src/optim/optimizers/AdamWScheduleFree.js";
import { SGDScheduleFree } from "../../src/optim/optimizers/SGDScheduleFree.js";
import { LowPrecisionAdam } from "../../src/optim/lowPrecision/LowPrecisionAdam.js";
import { stateByteCount, stateBytes, type MeasurableOptimizer } from "../../src/optim/stateBytes.js";

type Stepper = MeasurableOptimizer & { step(closure?: () => number): unknown };

/** Two float32 parameters (8192 + 100 elements) with gradients, one step. */
function stepped(make: (ps: nb.Tensor[]) => Stepper, dtype: "float32" | "float64" = "float32"): Stepper {
  const gen = new nb.Generator(1);
  const ps = [nb.randn([8192], { generator: gen, dtype }), nb.randn([100], { generator: gen, dtype })];
  const opt = make(ps);
  const setGrads = () => ps.forEach((p) => (p.grad = nb.randn(p.shape, { generator: gen, dtype })));
  setGrads();
  opt.step(() => {
    setGrads();
    return 0;
  });
  return opt;
}

const N = 8292;

describe("stateBytes", () => {
  // Bytes per element for float32 parameters: each float buffer the state keeps costs 4.
  const cases: [string, (ps: nb.Tensor[]) => Stepper, number][] = [
    ["SGD", (ps) => new nb.optim.SGD(ps, { lr: 0.1 }), 0],
    ["SGD with momentum (momentumBuffer)", (ps) => new nb.optim.SGD(ps, { lr: 0.1, momentum: 0.9 }), 4],
    ["Adam (expAvg, expAvgSq)", (ps) => new nb.optim.Adam(ps), 8],
    ["Adam amsgrad (+ maxExpAvgSq)", (ps) => new nb.optim.Adam(ps, { amsgrad: true }), 12],
    ["AdamW", (ps) => new nb.optim.AdamW(ps), 8],
    ["Adamax (expAvg, expInf)", (ps) => new nb.optim.Adamax(ps), 8],
    ["NAdam", (ps) => new nb.optim.NAdam(ps), 8],
    ["RAdam", (ps) => new nb.optim.RAdam(ps), 8],
    ["Adagrad (sum)", (ps) => new nb.optim.Adagrad(ps), 4],
    ["Adadelta (squareAvg, accDelta)", (ps) => new nb.optim.Adadelta(ps), 8],
    ["RMSprop (squareAvg)", (ps) => new nb.optim.RMSprop(ps), 4],
    ["RMSprop centered with momentum (+ gradAvg, momentumBuffer)", (ps) => new nb.optim.RMSprop(ps, { centered: true, momentum: 0.9 }), 12],
    ["Rprop (prev, stepSize)", (ps) => new nb.optim.Rprop(ps), 8],
    ["ASGD (ax)", (ps) => new nb.optim.ASGD(ps), 4],
    ["fromTransform(adam) (mu, nu)", (ps) => nb.optim.fromTransform(ps, nb.optim.adam(1e-3)), 8],
    ["SGDScheduleFree (z)", (ps) => new SGDScheduleFree(ps), 4],
    ["AdamWScheduleFree (z, expAvgSq)", (ps) => new AdamWScheduleFree(ps), 8],
    ["Prodigy (s, x0, expAvg, expAvgSq)", (ps) => new Prodigy(ps), 16],
    ["Prodigy without first moment", (ps) => new Prodigy(ps, { betas: [0, 0.999] }), 12],
    ["DAdaptAdam (s, expAvg, expAvgSq)", (ps) => new DAdaptAdam(ps), 12],
    ["COCOB (x0, θ, L, G, reward)", (ps) => new COCOB(ps), 20],
    ["SAM around Adam (the weights' copy is transient)", (ps) => new SAM(new nb.optim.Adam(ps)), 8],
    ["Lookahead around Adam (+ slow weights)", (ps) => new Lookahead(new nb.optim.Adam(ps)), 12],
    ["LowPrecisionAdam bf16", (ps) => new LowPrecisionAdam(ps, { stateDtype: "bf16" }), 4],
  ];
  for (const [label, make, bytes] of cases) {
    it(`${label}: ${bytes} bytes per parameter`, () => {
      expect(stateBytes(stepped(make))).toBe(bytes);
    });
  }

  it("counts sliced and quantised state exactly", () => {
    // Prodigy sliceP 4: s and x0 hold ceil(n/4) elements.
    const sliced = stepped((ps) => new Prodigy(ps, { sliceP: 4 }));
    expect(stateByteCount(sliced)).toBe(8 * N + 2 * 4 * (2048 + 25));
    // 8-bit: one byte per moment element (rounded up to whole words) plus one float32 absmax per 2048;
    // the 100-element parameter is under min8bitSize and keeps float32 moments.
    const eight = stepped((ps) => new LowPrecisionAdam(ps, { stateDtype: "8bit" }));
    expect(stateByteCount(eight)).toBe(2 * 8192 + 2 * 4 * 4 + 8 * 100);
    const allEight = stepped((ps) => new LowPrecisionAdam(ps, { stateDtype: "8bit", min8bitSize: 0 }));
    expect(stateBytes(allEight)).toBe((2 * 8192 + 2 * 4 * 4 + 2 * 100 + 2 * 4) / N);
    expect(stateBytes(allEight)).toBeLessThan(2.01);
  });

  it("doubles for float64 parameters and is 0 before the first step", () => {
    expect(stateBytes(stepped((ps) => new nb.optim.Adam(ps), "float64"))).toBe(16);
    expect(stateBytes(new nb.optim.Adam([nb.zeros([10])]))).toBe(0);
  });
});
