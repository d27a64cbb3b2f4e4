import { allocate, promoteTypes } from "../dtype.js";
import { concatData } from "../kernels/shapeConcat.js";
import { normalizeAxis, shapeToString, sizeOf } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { narrow } from "./indexing-slice.js";
import { unsqueeze } from "./shape-dims.js";

/**
 * Joining tensors along an axis and cutting one into pieces. concat and
 * split are each other's backward: concat's gradient is the upstream
 * gradient split at the inputs' lengths, and each piece of a split is a
 * narrow whose gradient is summed back into the input's shape.
 */

/**
 * Joins tensors along an existing axis, as torch.cat: every other axis
 * must match; the dtype is the promotion of all inputs.
 */
export function concat(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new RangeError("concat: expected at least one tensor, got an empty list");
  const first = tensors[0]!;
  tensors.forEach((t, i) => {
    if (t.ndim === 0) throw new RangeError(`concat: tensor ${i} is 0-d and cannot be concatenated (unsqueeze it or use stack)`);
  });
  const a = normalizeAxis(axis, first.ndim, "concat");
  let dtype = first.dtype;
  let total = 0;
  tensors.forEach((t, i) => {
    const matches = t.ndim === first.ndim && t.shape.every((d, k) => k === a || d === first.shape[k]);
    if (!matches) {
      throw new RangeError(
        `concat: tensor ${i} has shape ${shapeToString(t.shape)} but tensor 0 has ${shapeToString(first.shape)}; every axis except axis ${a} must match`,
      );
    }
    dtype = promoteTypes(dtype, t.dtype);
    total += t.shape[a]!;
  });
  const shape = first.shape.map((d, k) => (k === a ? total : d));
  const lengths = tensors.map((t) => t.shape[a]!);
  const data = allocate(dtype, sizeOf(shape));
  concatData(
    tensors.map((t) => t.data),
    lengths,
    sizeOf(first.shape.slice(0, a)),
    sizeOf(first.shape.slice(a + 1)),
    data,
  );
  return record(new Tensor(data, shape), "concat", [...tensors], (g) => split(g, lengths, a));
}

/** Alias of concat (torch.cat). */
export const cat = concat;

/**
 * Joins same-shaped tensors along a new axis, as torch.stack: the concat of
 * the tensors each unsqueezed at `axis` (in -ndim-1..ndim).
 */
export function stack(tensors: readonly Tensor[], axis = 0): Tensor {
  if (tensors.length === 0) throw new RangeError("stack: expected at least one tensor, got an empty list");
  const first = tensors[0]!;
  tensors.forEach((t, i) => {
    if (t.ndim !== first.ndim || t.shape.some((d, k) => d !== first.shape[k])) {
      throw new RangeError(`stack: tensor ${i} has shape ${shapeToString(t.shape)} but tensor 0 has ${shapeToString(first.shape)}; all must match`);
    }
  });
  const n = first.ndim + 1;
  if (!Number.isInteger(axis) || axis < -n || axis >= n) {
    throw new RangeError(`stack: axis ${axis} is out of range for tensors of ${first.ndim} dimensions (expected ${-n}..${n - 1})`);
  }
  const a = axis < 0 ? axis + n : axis;
  return concat(
    tensors.map((t) => unsqueeze(t, a)),
    a,
  );
}

/**
 * Cuts x along `axis` into pieces, as torch.split: a number gives pieces of
 * that length (the last may be shorter), a list gives the lengths, which
 * must add up to the axis size.
 */
export function split(x: Tensor, sizeOrSizes: number | readonly number[], axis = 0): Tensor[] {
  const a = normalizeAxis(axis, x.ndim, "split");
  if (x.ndim === 0) throw new RangeError("split: cannot split a 0-d tensor");
  const n = x.shape[a]!;
  let lengths: number[];
  if (typeof sizeOrSizes === "number") {
    const size = sizeOrSizes;
    if (!Number.isInteger(size) || size < 0 || (size === 0 && n > 0)) {
      throw new RangeError(`split: piece size must be a positive integer, got ${size}`);
    }
    const count = Math.max(1, Math.ceil(n / Math.max(size, 1)));
    lengths = Array.from({ length: count }, (_, i) => Math.min(size, n - i * size));
  } else {
    lengths = [...sizeOrSizes];
    for (const s of lengths) {
      if (!Number.isInteger(s) || s < 0) throw new RangeError(`split: sizes must be non-negative integers, got [${lengths.join(",")}]`);
    }
    const total = lengths.reduce((p, q) => p + q, 0);
    if (total !== n) throw new RangeError(`split: sizes [${lengths.join(",")}] add up to ${total} but axis ${a} has size ${n}`);
  }
  let start = 0;
  return lengths.map((len) => {
    const piece = narrow(x, a, start, len);
    start += len;
    return piece;
  });
}

/**
 * Cuts x into `chunks` pieces of ceil(size / chunks) along `axis` (the last
 * shorter, and fewer pieces when they run out), as torch.chunk.
 */
export function chunk(x: Tensor, chunks: number, axis = 0): Tensor[] {
  if (!Number.isInteger(chunks) || chunks < 1) throw new RangeError(`chunk: chunks must be a positive integer, got ${chunks}`);
  const a = normalizeAxis(axis, x.ndim, "chunk");
  if (x.ndim === 0) throw new RangeError("chunk: cannot chunk a 0-d tensor");
  const n = x.shape[a]!;
  // torch gives `chunks` empty pieces for an empty axis.
  if (n === 0) return split(x, new Array<number>(chunks).fill(0), a);
  return split(x, Math.ceil(n / chunks), a);
}

declare module "../tensor.js" {
  interface Tensor {
    split(sizeOrSizes: number | readonly number[], axis?: number): Tensor[];
    chunk(chunks: number, axis?: number): Tensor[];
  }
}

Tensor.prototype.split = function (this: Tensor, sizeOrSizes: number | readonly number[], axis?: number) {
  return split(this, sizeOrSizes, axis);
};
Tensor.prototype.chunk = function (this: Tensor, chunks: number, axis?: number) {
  return chunk(this, chunks, axis);
};
