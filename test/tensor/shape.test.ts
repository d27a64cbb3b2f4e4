import { describe, expect, it } from "vitest";
import * as nb from "../../src/tensor/index.js";
import { grad, gradcheck } from "../../src/autograd/index.js";

const f64 = (data: nb.NestedArray) => nb.tensor(data, { dtype: "float64" });
const i32 = (data: nb.NestedArray) => nb.tensor(data, { dtype: "int32" });
const randn = (shape: number[], seed: number) => nb.randn(shape, { dtype: "float64", generator: new nb.Generator(seed) });

/**
 * Checks the gradient of `op` by finite differences, and its second-order
 * gradient too: the gradient of sum(op(x)^3 * w) is op's backward applied to
 * a tensor that depends on x, so differentiating it again runs the backward
 * rule's own backward (createGraph).
 */
function checkGradients(op: (x: nb.Tensor) => nb.Tensor, x: nb.Tensor): void {
  gradcheck(op, [x.requiresGrad_()]);
  const w = randn([...op(x.detach()).shape], 99);
  const h = (t: nb.Tensor) => {
    const y = op(t);
    return y.mul(y).mul(y).mul(w).sum();
  };
  const v = randn([...x.shape], 98);
  gradcheck((t) => grad(h, { createGraph: true })(t).mul(v).sum(), [x]);
}

describe("transpose and permute", () => {
  it("transposes the last two axes by default and any two on request", () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expect(nb.transpose(x).toArray()).toEqual([[1, 4], [2, 5], [3, 6]]);
    const y = nb.arange(24, undefined, 1, { dtype: "float64" }).reshape([2, 3, 4]);
    const t = y.transpose(0, 2);
    expect(t.shape).toEqual([4, 3, 2]);
    // t[k][j][i] = y[i][j][k] = 12 i + 4 j + k
    expect(t.toArray()).toEqual(
      Array.from({ length: 4 }, (_, k) => Array.from({ length: 3 }, (_, j) => Array.from({ length: 2 }, (_, i) => 12 * i + 4 * j + k))),
    );
    expect(y.transpose(-1, -3).toArray()).toEqual(t.toArray());
  });

  it("transposes matrices larger than one cache tile exactly, batched and in every dtype", () => {
    for (const dtype of ["float32", "float64", "int32"] as const) {
      const x = nb.randint(-100, 100, [3, 37, 70], { dtype, generator: new nb.Generator(5) });
      const t = x.transpose();
      expect(t.shape).toEqual([3, 70, 37]);
      expect(t.dtype).toBe(dtype);
      let mismatches = 0;
      for (let b = 0; b < 3; b++) {
        for (let i = 0; i < 37; i++) {
          for (let j = 0; j < 70; j++) if (t.data[b * 2590 + j * 37 + i] !== x.data[b * 2590 + i * 70 + j]) mismatches++;
        }
      }
      expect(mismatches).toBe(0);
    }
  });

  it("permutes axes: output axis i is input axis dims[i]", () => {
    const x = nb.arange(24, undefined, 1, { dtype: "int32" }).reshape([2, 3, 4]);
    const p = x.permute([1, 2, 0]);
    expect(p.shape).toEqual([3, 4, 2]);
    for (let i = 0; i < 2; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 4; k++) expect(p.data[j * 8 + k * 2 + i]).toBe(12 * i + 4 * j + k);
    // NCHW -> NHWC merges H and W into one axis and becomes a batched transpose.
    const nchw = nb.arange(2 * 3 * 2 * 5, undefined, 1, { dtype: "int32" }).reshape([2, 3, 2, 5]);
    const nhwc = nb.permute(nchw, [0, -2, -1, 1]);
    expect(nhwc.shape).toEqual([2, 2, 5, 3]);
    expect(nhwc.toArray()).toEqual(
      Array.from({ length: 2 }, (_, n) =>
        Array.from({ length: 2 }, (_, h) => Array.from({ length: 5 }, (_, w) => Array.from({ length: 3 }, (_, c) => n * 30 + c * 10 + h * 5 + w))),
      ),
    );
  });

  it("returns a tensor sharing memory for identity permutations and same-axis transposes", () => {
    const x = f64([[1, 2], [3, 4]]);
    expect(x.permute([0, 1]).data).toBe(x.data);
    expect(x.transpose(1, 1).data).toBe(x.data);
    expect(nb.tensor(5).transpose(0, 0).item()).toBe(5);
  });

  it("has correct first and second derivatives", () => {
    checkGradients((x) => x.transpose(), randn([3, 4], 1));
    checkGradients((x) => x.transpose(0, 2), randn([2, 3, 2], 2));
    checkGradients((x) => x.permute([2, 0, 1]), randn([2, 3, 2], 3));
    checkGradients((x) => x.permute([0, 2, 3, 1]), randn([2, 3, 2, 2], 4));
  });

  it("rejects bad axes and non-permutations with the values in the message", () => {
    const x = f64([[1, 2], [3, 4]]);
    expect(() => x.transpose(0, 2)).toThrow("transpose: axis 2 is out of range for a tensor of 2 dimensions (expected -2..1)");
    expect(() => f64([1, 2]).transpose()).toThrow(/transpose: axis -2 is out of range/);
    expect(() => x.permute([0])).toThrow("permute: dims [0] has 1 entries but the tensor of shape [2,2] has 2 dimensions");
    expect(() => x.permute([1, -1])).toThrow("permute: dims [1,-1] is not a permutation (axis 1 appears twice)");
    expect(() => x.permute([0, 5])).toThrow(/permute: axis 5 is out of range/);
  });
});

describe("flatten, squeeze, unsqueeze", () => {
  it("flatten merges startDim..endDim inclusive and shares memory", () => {
    const x = nb.zeros([2, 3, 4, 5]);
    expect(x.flatten().shape).toEqual([120]);
    expect(x.flatten(1).shape).toEqual([2, 60]);
    expect(x.flatten(1, 2).shape).toEqual([2, 12, 5]);
    expect(x.flatten(-3, -2).shape).toEqual([2, 12, 5]);
    expect(x.flatten(2, 2).shape).toEqual([2, 3, 4, 5]);
    expect(nb.tensor(3).flatten().shape).toEqual([1]);
    expect(x.flatten().data).toBe(x.data);
    expect(() => x.flatten(2, 1)).toThrow("flatten: startDim 2 (axis 2) comes after endDim 1 (axis 1)");
    expect(() => x.flatten(0, 4)).toThrow(/flatten: axis 4 is out of range/);
  });

  it("squeeze drops size-1 axes (all, or the listed ones that have size 1)", () => {
    const x = nb.zeros([1, 3, 1, 2]);
    expect(x.squeeze().shape).toEqual([3, 2]);
    expect(x.squeeze(0).shape).toEqual([3, 1, 2]);
    expect(x.squeeze(-2).shape).toEqual([1, 3, 2]);
    expect(x.squeeze(1).shape).toEqual([1, 3, 1, 2]);
    expect(x.squeeze([0, 2]).shape).toEqual([3, 2]);
    expect(nb.zeros([1]).squeeze().shape).toEqual([]);
    expect(() => x.squeeze(4)).toThrow(/squeeze: axis 4 is out of range/);
    expect(() => x.squeeze([0, -4])).toThrow("squeeze: axis 0 appears more than once in [0,-4]");
  });

  it("unsqueeze inserts a size-1 axis anywhere in -ndim-1..ndim", () => {
    const x = nb.zeros([2, 3]);
    expect(x.unsqueeze(0).shape).toEqual([1, 2, 3]);
    expect(x.unsqueeze(2).shape).toEqual([2, 3, 1]);
    expect(x.unsqueeze(-1).shape).toEqual([2, 3, 1]);
    expect(x.unsqueeze(-3).shape).toEqual([1, 2, 3]);
    expect(nb.tensor(1).unsqueeze(0).shape).toEqual([1]);
    expect(() => x.unsqueeze(3)).toThrow("unsqueeze: axis 3 is out of range for a tensor of 2 dimensions (expected -3..2)");
    expect(() => x.unsqueeze(-4)).toThrow(/unsqueeze: axis -4/);
  });

  it("have correct first and second derivatives", () => {
    checkGradients((x) => x.flatten(1), randn([2, 3, 2], 5));
    checkGradients((x) => x.squeeze(), randn([1, 3, 1], 6));
    checkGradients((x) => x.unsqueeze(1).mul(x.unsqueeze(1)), randn([3, 2], 7));
  });
});

describe("concat, stack, split, chunk", () => {
  it("concat joins along an axis and promotes dtypes", () => {
    const a = f64([[1, 2], [3, 4]]);
    const b = f64([[5], [6]]);
    expect(nb.concat([a, b], 1).toArray()).toEqual([[1, 2, 5], [3, 4, 6]]);
    expect(nb.cat([a, a], -2).toArray()).toEqual([[1, 2], [3, 4], [1, 2], [3, 4]]);
    expect(nb.concat([a]).toArray()).toEqual([[1, 2], [3, 4]]);
    const mixed = nb.concat([i32([1, 2]), nb.tensor([0.5])]);
    expect(mixed.dtype).toBe("float32");
    expect(mixed.toArray()).toEqual([1, 2, 0.5]);
    expect(nb.concat([i32([1]), i32([2, 3])]).dtype).toBe("int32");
    // Large blocks take the bulk-copy path.
    const big = nb.arange(600, undefined, 1, { dtype: "float64" }).reshape([2, 300]);
    const joined = nb.concat([big, big.neg()], 1);
    expect(joined.shape).toEqual([2, 600]);
    expect(joined.data[299]).toBe(299);
    expect(joined.data[300]).toBe(-0);
    expect(joined.data[600]).toBe(300);
    expect(joined.data[1199]).toBe(-599);
  });

  it("concat gives each input its slice of the gradient, also with createGraph", () => {
    const a = randn([2, 3], 10);
    const b = randn([2, 1], 11);
    gradcheck((p, q) => nb.concat([p, q, p], 1), [a.requiresGrad_(), b.requiresGrad_()]);
    checkGradients((x) => nb.concat([x, x.mul(2)], 0), randn([2, 2], 12));
  });

  it("stack joins same-shaped tensors along a new axis", () => {
    const a = f64([1, 2]);
    const b = f64([3, 4]);
    expect(nb.stack([a, b]).toArray()).toEqual([[1, 2], [3, 4]]);
    expect(nb.stack([a, b], 1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(nb.stack([a, b], -1).toArray()).toEqual([[1, 3], [2, 4]]);
    expect(nb.stack([nb.tensor(1), nb.tensor(2)]).toArray()).toEqual([1, 2]);
    gradcheck((p, q) => nb.stack([p, q, p], 1), [randn([2, 3], 13).requiresGrad_(), randn([2, 3], 14).requiresGrad_()]);
  });

  it("split cuts by a piece size (last shorter) or a list of sizes", () => {
    const x = nb.arange(5, undefined, 1, { dtype: "int32" });
    expect(x.split(2).map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4]]);
    expect(x.split(5).map((t) => t.toArray())).toEqual([[0, 1, 2, 3, 4]]);
    expect(x.split(7).map((t) => t.toArray())).toEqual([[0, 1, 2, 3, 4]]);
    expect(nb.split(x, [1, 0, 4]).map((t) => t.toArray())).toEqual([[0], [], [1, 2, 3, 4]]);
    const m = f64([[1, 2, 3], [4, 5, 6]]);
    expect(m.split([2, 1], 1).map((t) => t.toArray())).toEqual([[[1, 2], [4, 5]], [[3], [6]]]);
    expect(nb.zeros([0]).split(2).map((t) => t.shape)).toEqual([[0]]);
  });

  it("split pieces carry gradients back into place", () => {
    checkGradients((x) => {
      const [p, q] = x.split([1, 2], 1);
      return nb.concat([q!.mul(q!), p!], 1);
    }, randn([2, 3], 15));
  });

  it("chunk makes pieces of ceil(n / chunks) like torch.chunk", () => {
    const x = nb.arange(5, undefined, 1, { dtype: "int32" });
    expect(x.chunk(2).map((t) => t.toArray())).toEqual([[0, 1, 2], [3, 4]]);
    expect(x.chunk(3).map((t) => t.toArray())).toEqual([[0, 1], [2, 3], [4]]);
    // ceil(6 / 4) = 2 gives only three pieces, as in torch.
    expect(nb.arange(6).chunk(4).map((t) => t.shape[0])).toEqual([2, 2, 2]);
    expect(nb.zeros([0]).chunk(3).map((t) => t.shape)).toEqual([[0], [0], [0]]);
    expect(f64([[1, 2], [3, 4]]).chunk(2, 1).map((t) => t.toArray())).toEqual([[[1], [3]], [[2], [4]]]);
  });

  it("rejects mismatched shapes, bad axes and bad sizes", () => {
    const a = f64([[1, 2], [3, 4]]);
    expect(() => nb.concat([])).toThrow("concat: expected at least one tensor, got an empty list");
    expect(() => nb.concat([a, f64([[1, 2, 3]])], 0)).toThrow(
      "concat: tensor 1 has shape [1,3] but tensor 0 has [2,2]; every axis except axis 0 must match",
    );
    expect(() => nb.concat([a, f64([1, 2])])).toThrow(/concat: tensor 1 has shape \[2\]/);
    expect(() => nb.concat([nb.tensor(1)])).toThrow(/concat: tensor 0 is 0-d/);
    expect(() => nb.concat([a], 2)).toThrow(/concat: axis 2 is out of range/);
    expect(() => nb.stack([a, f64([[1, 2]])])).toThrow("stack: tensor 1 has shape [1,2] but tensor 0 has [2,2]; all must match");
    expect(() => nb.stack([a], 3)).toThrow("stack: axis 3 is out of range for tensors of 2 dimensions (expected -3..2)");
    expect(() => a.split([1, 2])).toThrow("split: sizes [1,2] add up to 3 but axis 0 has size 2");
    expect(() => a.split(0)).toThrow("split: piece size must be a positive integer, got 0");
    expect(() => a.split(1.5)).toThrow(/split: piece size/);
    expect(() => a.split([-1, 3])).toThrow(/split: sizes must be non-negative integers/);
    expect(() => a.chunk(0)).toThrow("chunk: chunks must be a positive integer, got 0");
    expect(() => a.split(1, 2)).toThrow(/split: axis 2 is out of range/);
  });
});

describe("flip, repeat, tile", () => {
  it("flip reverses the listed axes", () => {
    const x = f64([[1, 2, 3], [4, 5, 6]]);
    expect(x.flip(0).toArray()).toEqual([[4, 5, 6], [1, 2, 3]]);
    expect(x.flip(-1).toArray()).toEqual([[3, 2, 1], [6, 5, 4]]);
    expect(x.flip([0, 1]).toArray()).toEqual([[6, 5, 4], [3, 2, 1]]);
    expect(x.flip([]).toArray()).toEqual(x.toArray());
    expect(() => x.flip([0, 0])).toThrow(/flip: axis 0 appears more than once/);
    expect(() => x.flip(2)).toThrow(/flip: axis 2 is out of range/);
    checkGradients((t) => t.flip([0, 2]), randn([2, 3, 2], 16));
  });

  it("repeat tiles along each axis and adds leading axes", () => {
    const x = f64([1, 2]);
    expect(x.repeat([3]).toArray()).toEqual([1, 2, 1, 2, 1, 2]);
    expect(x.repeat([2, 2]).toArray()).toEqual([[1, 2, 1, 2], [1, 2, 1, 2]]);
    const m = i32([[1, 2], [3, 4]]);
    expect(m.repeat([2, 1]).toArray()).toEqual([[1, 2], [3, 4], [1, 2], [3, 4]]);
    expect(m.repeat([1, 0]).shape).toEqual([2, 0]);
    expect(() => m.repeat([2])).toThrow("repeat: reps [2] has 1 entries, fewer than the 2 dimensions of the tensor");
    expect(() => m.repeat([1, -1])).toThrow("repeat: repetitions must be non-negative integers, got [1,-1]");
  });

  it("repeat sums the gradient over the copies", () => {
    const x = f64([1, 2]).requiresGrad_();
    x.repeat([2, 3]).mul(f64([[1, 2, 3, 4, 5, 6], [10, 20, 30, 40, 50, 60]])).sum().backward();
    expect(x.grad!.toArray()).toEqual([1 + 3 + 5 + 10 + 30 + 50, 2 + 4 + 6 + 20 + 40 + 60]);
    checkGradients((t) => t.repeat([2, 1, 3]), randn([2, 2], 17));
  });

  it("tile pads reps with leading ones", () => {
    const m = i32([[1, 2], [3, 4]]);
    expect(m.tile([2]).toArray()).toEqual([[1, 2, 1, 2], [3, 4, 3, 4]]);
    expect(nb.tile(m, [2, 1, 1]).shape).toEqual([2, 2, 2]);
    checkGradients((t) => t.tile([3]), randn([2, 2], 18));
  });
});
