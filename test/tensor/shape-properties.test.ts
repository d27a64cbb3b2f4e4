import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as nb from "../../src/tensor/index.js";

/** Property tests: invariants of the shape and indexing ops on random shapes. */

const shapeArb = fc.array(fc.integer({ min: 1, max: 4 }), { minLength: 1, maxLength: 4 });
const withPerm = shapeArb.chain((shape) =>
  fc.tuple(
    fc.constant(shape),
    fc.shuffledSubarray(
      shape.map((_, i) => i),
      { minLength: shape.length, maxLength: shape.length },
    ),
  ),
);
const withAxis = shapeArb.chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length, max: shape.length - 1 })));

function values(shape: readonly number[], seed = 1): nb.Tensor {
  return nb.randint(-1000, 1000, shape, { dtype: "int32", generator: new nb.Generator(seed) });
}

function same(a: nb.Tensor, b: nb.Tensor): void {
  expect(a.shape).toEqual(b.shape);
  expect(Array.from(a.data)).toEqual(Array.from(b.data));
}

/** The element at a multi-index of a row-major tensor. */
function at(t: nb.Tensor, index: readonly number[]): number {
  let offset = 0;
  for (let d = 0; d < index.length; d++) offset = offset * t.shape[d]! + index[d]!;
  return t.data[offset]!;
}

/** Every multi-index of `shape`, row-major. */
function* positions(shape: readonly number[]): Generator<number[]> {
  const total = shape.reduce((p, q) => p * q, 1);
  for (let flat = 0; flat < total; flat++) {
    const idx = new Array<number>(shape.length);
    let rest = flat;
    for (let d = shape.length - 1; d >= 0; d--) {
      idx[d] = rest % shape[d]!;
      rest = Math.floor(rest / shape[d]!);
    }
    yield idx;
  }
}

describe("shape op properties", () => {
  it("reshape to a random factorisation and back is the identity", () => {
    fc.assert(
      fc.property(shapeArb, fc.integer({ min: 0, max: 3 }), (shape, cut) => {
        const x = values(shape);
        const k = Math.min(cut, shape.length);
        const flat = x.reshape([shape.slice(0, k).reduce((p, q) => p * q, 1), -1]);
        same(flat.reshape(shape), x);
        same(x.flatten().reshape(shape), x);
      }),
    );
  });

  it("permute matches the definition out[i] = x[i permuted], and the inverse permutation undoes it", () => {
    fc.assert(
      fc.property(withPerm, ([shape, perm]) => {
        const x = values(shape);
        const p = x.permute(perm);
        expect(p.shape).toEqual(perm.map((a) => shape[a]));
        for (const idx of positions(p.shape)) {
          const src = new Array<number>(shape.length);
          perm.forEach((a, i) => (src[a] = idx[i]!));
          expect(at(p, idx)).toBe(at(x, src));
        }
        const inverse = new Array<number>(perm.length);
        perm.forEach((a, i) => (inverse[a] = i));
        same(p.permute(inverse), x);
      }),
    );
  });

  it("transpose twice is the identity", () => {
    fc.assert(
      fc.property(withAxis, fc.integer({ min: 0, max: 3 }), ([shape, a], b0) => {
        const b = b0 % shape.length;
        const x = values(shape);
        same(x.transpose(a, b).transpose(a, b), x);
      }),
    );
  });

  it("unsqueeze then squeeze at the same axis is the identity", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length - 1, max: shape.length }))),
        ([shape, axis]) => {
          const x = values(shape);
          const u = x.unsqueeze(axis);
          expect(u.ndim).toBe(shape.length + 1);
          same(u.squeeze(axis), x);
        },
      ),
    );
  });

  it("concat then split at the same lengths is the identity", () => {
    fc.assert(
      fc.property(withAxis, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 1, maxLength: 4 }), ([shape, axis], lengths) => {
        const a = axis < 0 ? axis + shape.length : axis;
        const parts = lengths.map((len, i) => values(shape.map((d, k) => (k === a ? len : d)), i + 1));
        const joined = nb.concat(parts, axis);
        expect(joined.shape[a]).toBe(lengths.reduce((p, q) => p + q, 0));
        joined.split(lengths, axis).forEach((piece, i) => same(piece, parts[i]!));
      }),
    );
  });

  it("stack is the concat of the tensors unsqueezed at the axis", () => {
    fc.assert(
      fc.property(
        shapeArb.chain((shape) => fc.tuple(fc.constant(shape), fc.integer({ min: -shape.length - 1, max: shape.length }), fc.integer({ min: 1, max: 3 }))),
        ([shape, axis, count]) => {
          const parts = Array.from({ length: count }, (_, i) => values(shape, i + 1));
          same(
            nb.stack(parts, axis),
            nb.concat(
              parts.map((p) => p.unsqueeze(axis)),
              axis < 0 ? axis + shape.length + 1 : axis,
            ),
          );
        },
      ),
    );
  });

  it("chunk pieces concatenate back to the input", () => {
    fc.assert(
      fc.property(withAxis, fc.integer({ min: 1, max: 5 }), ([shape, axis], chunks) => {
        const x = values(shape);
        const pieces = x.chunk(chunks, axis);
        expect(pieces.length).toBeLessThanOrEqual(chunks);
        same(nb.concat(pieces, axis), x);
      }),
    );
  });

  it("flip twice is the identity, and slice with step -1 is flip", () => {
    fc.assert(
      fc.property(withAxis, ([shape, axis]) => {
        const x = values(shape);
        same(x.flip(axis).flip(axis), x);
        same(x.slice(axis, null, null, -1), x.flip(axis));
      }),
    );
  });

  it("slice agrees with Python's range(*slice(start, end, step).indices(n))", () => {
    const bound = fc.option(fc.integer({ min: -8, max: 8 }), { nil: null });
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 6 }), bound, bound, fc.integer({ min: -3, max: 3 }).filter((s) => s !== 0), (n, start, end, step) => {
        // The reference is Python's documented algorithm for slice.indices.
        const clampIndex = (v: number, lo: number, hi: number) => (v < 0 ? Math.max(v + n, lo) : Math.min(v, hi));
        const lo = step > 0 ? 0 : -1;
        const hi = step > 0 ? n : n - 1;
        const s = start === null ? (step > 0 ? lo : hi) : clampIndex(start, lo, hi);
        const e = end === null ? (step > 0 ? hi : lo) : clampIndex(end, lo, hi);
        const expected: number[] = [];
        for (let i = s; step > 0 ? i < e : i > e; i += step) expected.push(i);
        const x = nb.arange(n, undefined, 1, { dtype: "int32" });
        expect(Array.from(x.slice(0, start, end, step).data)).toEqual(expected);
      }),
      { numRuns: 300 },
    );
  });

  it("repeat matches out[i] = x[i mod shape]", () => {
    fc.assert(
      fc.property(shapeArb, fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 0, maxLength: 2 }), (shape, extra) => {
        const reps = [...extra, ...shape.map((d) => (d % 3) + 1)];
        const x = values(shape);
        const r = x.repeat(reps);
        const lead = extra.length;
        for (const idx of positions(r.shape)) expect(at(r, idx)).toBe(at(x, idx.slice(lead).map((i, d) => i % shape[d]!)));
      }),
      { numRuns: 50 },
    );
  });
});

describe("indexing op properties", () => {
  const gatherCase = withAxis.chain(([shape, axis]) => {
    const a = axis < 0 ? axis + shape.length : axis;
    return fc.tuple(
      fc.constant(shape),
      fc.constant(a),
      fc.tuple(...shape.map((d, k) => fc.integer({ min: 1, max: k === a ? 5 : d }))),
      fc.integer({ min: 0, max: 1000 }),
    );
  });

  function randomIndex(indexShape: number[], size: number, seed: number): nb.Tensor {
    return nb.randint(0, size, indexShape, { dtype: "int32", generator: new nb.Generator(seed) });
  }

  it("gather matches its definition for random shapes", () => {
    fc.assert(
      fc.property(gatherCase, ([shape, a, indexShape, seed]) => {
        const x = values(shape);
        const index = randomIndex(indexShape, shape[a]!, seed);
        const out = x.gather(a, index);
        expect(out.shape).toEqual(indexShape);
        for (const idx of positions(indexShape)) {
          const src = [...idx];
          src[a] = at(index, idx);
          expect(at(out, idx)).toBe(at(x, src));
        }
      }),
      { numRuns: 60 },
    );
  });

  it("scatterAdd into zeros is the adjoint of gather: <gather(x), y> = <x, scatterAdd(0, y)>", () => {
    fc.assert(
      fc.property(gatherCase, ([shape, a, indexShape, seed]) => {
        const x = values(shape, 3);
        const y = values(indexShape, 4);
        const index = randomIndex(indexShape, shape[a]!, seed);
        const lhs = x.gather(a, index).mul(y).sum().item();
        const rhs = x.mul(nb.scatterAdd(nb.zeros(shape, { dtype: "int32" }), a, index, y)).sum().item();
        expect(lhs).toBe(rhs);
      }),
      { numRuns: 60 },
    );
  });

  it("indexSelect equals gather with the index broadcast along the other axes", () => {
    fc.assert(
      fc.property(withAxis, fc.integer({ min: 0, max: 5 }), fc.integer({ min: 0, max: 100 }), ([shape, axis], count, seed) => {
        const a = axis < 0 ? axis + shape.length : axis;
        const index = randomIndex([count], shape[a]!, seed);
        const x = values(shape);
        const viewShape = shape.map((_, k) => (k === a ? count : 1));
        const outShape = shape.map((d, k) => (k === a ? count : d));
        const broadcastIndex = index.reshape(viewShape).expand(outShape);
        same(x.indexSelect(a, index), x.gather(a, broadcastIndex));
      }),
      { numRuns: 60 },
    );
  });

  it("select is narrow of length 1 with the axis squeezed", () => {
    fc.assert(
      fc.property(withAxis, fc.nat(), ([shape, axis], pick) => {
        const a = axis < 0 ? axis + shape.length : axis;
        const i = pick % shape[a]!;
        const x = values(shape);
        same(x.select(axis, i), x.narrow(axis, i, 1).squeeze(a));
      }),
    );
  });

  it("oneHot puts a single 1 at each label", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 6 }), { minLength: 1, maxLength: 10 }), (labels) => {
        const h = nb.oneHot(nb.tensor(labels, { dtype: "int32" }), 7);
        labels.forEach((label, r) => {
          for (let c = 0; c < 7; c++) expect(h.data[r * 7 + c]).toBe(c === label ? 1 : 0);
        });
      }),
      { numRuns: 30 },
    );
  });
});
