// stateDict / loadStateDict: exact round trips (also through JSON), saved
// dicts unaffected by later steps, and rejected dicts that change nothing.
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { CASES, copyParams, randomGradients, randomParams, setGradients, viaJson } from "./helpers.js";
import { expectExactRoundTrip, type Make } from "./paramwiseChecks.js";

describe("state round trip: 10 steps, save, load into a fresh optimizer, 10 more == 20 uninterrupted", () => {
  for (const { label, make, config } of CASES) {
    for (const json of [false, true]) {
      it(`${label}${json ? " (through JSON)" : ""}`, () => {
        expectExactRoundTrip(make as Make, config, json);
      });
    }
  }
});

/** A 3-step Adam over two groups, for the rejection tests. */
function trainedAdam(): { opt: nb.optim.Adam; params: nb.Tensor[] } {
  const params = randomParams(7, "float64", [[2, 2], [3]]);
  const opt = new nb.optim.Adam([{ params: [params[0]] }, { params: [params[1]], lr: 0.5 }], { lr: 0.1, amsgrad: true });
  const grads = randomGradients(8, 3, "float64", [[2, 2], [3]]);
  for (let k = 0; k < 3; k++) {
    setGradients(params, grads, k);
    opt.step();
  }
  return { opt, params };
}

describe("loadStateDict rejects a mismatched dict and changes nothing", () => {
  type Edit = (sd: nb.optim.OptimizerStateDict) => unknown;
  const stateOf = (sd: nb.optim.OptimizerStateDict, i: number): Record<string, unknown> => sd.state[i] as Record<string, unknown>;
  const cases: { name: string; edit: Edit; message: RegExp }[] = [
    {
      name: "a buffer of the wrong length",
      edit: (sd) => ((stateOf(sd, 0).expAvg as Float64Array) = new Float64Array(3)),
      message: /state\[0\]\.expAvg: expected 4 numbers, got Float64Array of length 3/,
    },
    {
      name: "a renamed key",
      edit: (sd) => {
        const s = stateOf(sd, 1);
        s.exp_avg = s.expAvg;
        delete s.expAvg;
      },
      message: /state\[1\]: expected keys \[step, expAvg, expAvgSq, maxExpAvgSq\]/,
    },
    { name: "a number where a buffer goes", edit: (sd) => (stateOf(sd, 1).expAvgSq = 3), message: /state\[1\]\.expAvgSq: expected 3 numbers/ },
    { name: "a buffer where a number goes", edit: (sd) => (stateOf(sd, 0).step = [3]), message: /state\[0\]\.step: expected a number/ },
    { name: "a missing group", edit: (sd) => sd.paramGroups.pop(), message: /saved state has 1 parameter groups, this optimizer has 2/ },
    { name: "a group of another size", edit: (sd) => sd.paramGroups[1].params.push(7), message: /group 1 has 1 parameters, the saved group has 2/ },
    { name: "a missing option", edit: (sd) => delete sd.paramGroups[0].betas, message: /saved group 0 is missing option "betas"/ },
    { name: "an invalid option", edit: (sd) => (sd.paramGroups[1].lr = -1), message: /Adam: lr must be >= 0, got -1/ },
    { name: "state for an unknown parameter", edit: (sd) => (sd.state[9] = sd.state[0]), message: /saved state for parameter 9/ },
  ];
  for (const { name, edit, message } of cases) {
    it(name, () => {
      const { opt, params } = trainedAdam();
      const before = opt.stateDict();
      const values = params.map((p) => Array.from(p.data));
      const bad = opt.stateDict();
      edit(bad);
      expect(() => opt.loadStateDict(bad)).toThrow(message);
      expect(viaJson(opt.stateDict())).toEqual(viaJson(before));
      expect(opt.paramGroups.map((g) => g.lr)).toEqual([0.1, 0.5]);
      params.forEach((p, i) => expect(Array.from(p.data)).toEqual(values[i]));
    });
  }

  it("accepts its own dict and keeps group objects (schedulers hold them)", () => {
    const { opt } = trainedAdam();
    const group = opt.paramGroups[1];
    const sd = opt.stateDict();
    sd.paramGroups[1].lr = 0.25;
    opt.loadStateDict(sd);
    expect(opt.paramGroups[1]).toBe(group);
    expect(group.lr).toBe(0.25);
  });
});

describe("stateDict layout", () => {
  it("keys state by parameter position and groups by positions, as torch", () => {
    const [w, b, c] = randomParams(9, "float32", [[2], [3], [1]]);
    const opt = new nb.optim.SGD([{ params: [w, b] }, { params: [c], lr: 0.5 }], { lr: 0.1, momentum: 0.9 });
    b.grad = nb.ones([3]);
    c.grad = nb.ones([1]);
    opt.step();
    const sd = opt.stateDict();
    expect(sd.paramGroups.map((g) => g.params)).toEqual([[0, 1], [2]]);
    expect(sd.paramGroups[1]).toEqual({ lr: 0.5, momentum: 0.9, dampening: 0, weightDecay: 0, nesterov: false, maximize: false, params: [2] });
    // w had no gradient: no state; b and c have their momentum buffers (the first gradient).
    expect(Object.keys(sd.state)).toEqual(["1", "2"]);
    expect(Array.from((sd.state[1] as { momentumBuffer: Float32Array }).momentumBuffer)).toEqual([1, 1, 1]);
  });

  it("fromTransform keeps a group's transformation state in its first parameter's slot and round-trips it", () => {
    const grads = randomGradients(10, 8, "float64", [[4], [2]]);
    const tx = () => nb.optim.chain(nb.optim.clipByGlobalNorm(1), nb.optim.adam(0.05));
    const p1 = randomParams(11, "float64", [[4], [2]]);
    const p2 = copyParams(p1);
    const a = nb.optim.fromTransform(p1, tx());
    const b = nb.optim.fromTransform(p2, tx());
    for (let k = 0; k < 4; k++) {
      setGradients(p1, grads, k);
      setGradients(p2, grads, k);
      a.step();
      b.step();
    }
    const sd = b.stateDict();
    expect(Object.keys(sd.state)).toEqual(["0"]);
    const p3 = copyParams(p2);
    const c = nb.optim.fromTransform(p3, tx());
    c.loadStateDict(viaJson(sd) as nb.optim.OptimizerStateDict);
    for (let k = 4; k < 8; k++) {
      setGradients(p1, grads, k);
      setGradients(p3, grads, k);
      a.step();
      c.step();
    }
    p1.forEach((p, i) => expect(Array.from(p3[i].data)).toEqual(Array.from(p.data)));
    const wrong = b.stateDict();
    (wrong.state[0] as unknown[]).pop();
    expect(() => c.loadStateDict(wrong)).toThrow(/expected an array of length 2/);
  });
});
