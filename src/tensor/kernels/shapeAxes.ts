import { type TypedArray } from "../dtype.js";
import { type Shape, sizeOf, stridesOf } from "../shape.js";

/**
 * Per-axis index maps: output position (o_0, ..., o_k) reads input position
 * (m_0[o_0], ..., m_k[o_k]). A null map is the identity, and a -1 entry
 * marks a position with no source (filled with a constant). Slicing,
 * narrowing, flipping, tiling, padding and index_select are all such maps,
 * so they share these two loops and one backward rule: the adjoint of
 * "take through the maps" is "sum into the maps".
 */
export type AxisMaps = readonly (Int32Array | null)[];

/**
 * Calls `row(base, io)` for every output row (run along the last axis):
 * `io` is the row's output offset and `base` the input offset of the
 * row's outer coordinates, or -1 when one of them is a fill position.
 * Offsets of the outer axes are kept as prefix sums and updated only from
 * the axis whose counter moved, so each row costs O(1) amortised.
 */
function forEachMappedRow(inShape: Shape, maps: AxisMaps, outShape: Shape, row: (base: number, io: number) => void): void {
  const nd = outShape.length;
  const total = sizeOf(outShape);
  if (total === 0) return;
  const n = outShape[nd - 1]!;
  const strides = stridesOf(inShape);
  const counters = new Array<number>(nd).fill(0);
  const prefix = new Array<number>(nd).fill(0);
  const update = (from: number): void => {
    for (let d = from; d < nd - 1; d++) {
      const map = maps[d];
      const c = counters[d]!;
      const idx = map ? map[c]! : c;
      const before = d === 0 ? 0 : prefix[d - 1]!;
      prefix[d] = before < 0 || idx < 0 ? -1 : before + idx * strides[d]!;
    }
  };
  update(0);
  for (let io = 0; io < total; io += n) {
    row(nd >= 2 ? prefix[nd - 2]! : 0, io);
    let d = nd - 2;
    for (; d >= 0; d--) {
      counters[d]!++;
      if (counters[d]! < outShape[d]!) break;
      counters[d] = 0;
    }
    if (d >= 0) update(d);
  }
}

/** dst[o] = src[maps(o)], or `fill` where a map entry is -1. `dst` has `outShape`. */
export function takeAxesData(src: TypedArray, inShape: Shape, maps: AxisMaps, outShape: Shape, dst: TypedArray, fill: number): void {
  const nd = outShape.length;
  if (nd === 0) {
    dst[0] = src[0]!;
    return;
  }
  const n = outShape[nd - 1]!;
  const last = maps[nd - 1] ?? null;
  forEachMappedRow(inShape, maps, outShape, (base, io) => {
    if (base < 0) {
      dst.fill(fill, io, io + n);
    } else if (last === null) {
      for (let j = 0; j < n; j++) dst[io + j] = src[base + j]!;
    } else {
      for (let j = 0; j < n; j++) {
        const k = last[j]!;
        dst[io + j] = k < 0 ? fill : src[base + k]!;
      }
    }
  });
}

/**
 * dst[maps(o)] += src[o] for every output position o with a source (-1
 * entries are skipped): the adjoint of takeAxesData. `src` has `outShape`,
 * `dst` has `inShape` and is accumulated into, so several output positions
 * reading one input element add up there.
 */
export function putAxesData(src: TypedArray, outShape: Shape, maps: AxisMaps, inShape: Shape, dst: TypedArray): void {
  const nd = outShape.length;
  if (nd === 0) {
    dst[0] = dst[0]! + src[0]!;
    return;
  }
  const n = outShape[nd - 1]!;
  const last = maps[nd - 1] ?? null;
  forEachMappedRow(inShape, maps, outShape, (base, io) => {
    if (base < 0) return;
    if (last === null) {
      for (let j = 0; j < n; j++) dst[base + j] = dst[base + j]! + src[io + j]!;
    } else {
      for (let j = 0; j < n; j++) {
        const k = last[j]!;
        if (k >= 0) dst[base + k] = dst[base + k]! + src[io + j]!;
      }
    }
  });
}

/** The map of a range start, start + step, ... (count entries). */
export function rangeMap(start: number, step: number, count: number): Int32Array {
  const map = new Int32Array(count);
  for (let i = 0; i < count; i++) map[i] = start + i * step;
  return map;
}
