import { type TypedArray } from "../dtype.js";
import { type Shape, sizeOf, stridesOf } from "../shape.js";

/**
 * Reference kernels for reordering axes. Every tensor is contiguous, so a
 * permutation is a copy; these pick the cheapest copy for the pattern.
 */

/** Tile edge of the blocked transpose: 32 x 32 float64 tiles (8 KiB) fit in L1 on both sides. */
const BLOCK = 32;

/**
 * Transposes `batch` row-major `rows x cols` matrices stored back to back in
 * `src` into `dst` (each becomes `cols x rows`). Works tile by tile so that
 * both the rows read and the columns written stay in cache: a naive loop
 * strides through `dst` by `rows` elements per write and misses on every one
 * once a matrix is larger than the cache.
 */
export function transposeMatrices(src: TypedArray, dst: TypedArray, batch: number, rows: number, cols: number): void {
  const plane = rows * cols;
  for (let b = 0; b < batch; b++) {
    const base = b * plane;
    for (let i0 = 0; i0 < rows; i0 += BLOCK) {
      const i1 = Math.min(i0 + BLOCK, rows);
      for (let j0 = 0; j0 < cols; j0 += BLOCK) {
        const j1 = Math.min(j0 + BLOCK, cols);
        for (let i = i0; i < i1; i++) {
          let s = base + i * cols + j0;
          let d = base + j0 * rows + i;
          for (let j = j0; j < j1; j++, s++, d += rows) dst[d] = src[s]!;
        }
      }
    }
  }
}

/**
 * Drops size-1 axes and merges input axes that stay next to each other (in
 * order) under `perm`: [N,C,H,W] with perm [0,2,3,1] becomes [N,C,HW] with
 * perm [0,2,1], a batch of matrix transposes.
 */
function simplify(shape: Shape, perm: readonly number[]): { shape: number[]; perm: number[] } {
  const kept = perm.filter((a) => shape[a] !== 1);
  // Runs of consecutive input axes, in output order.
  const groups: number[][] = [];
  for (const a of kept) {
    const last = groups[groups.length - 1];
    if (last !== undefined && last[last.length - 1] === a - 1) last.push(a);
    else groups.push([a]);
  }
  const byInput = [...groups].sort((g, h) => g[0]! - h[0]!);
  return {
    shape: byInput.map((g) => sizeOf(g.map((a) => shape[a]!))),
    perm: groups.map((g) => byInput.indexOf(g)),
  };
}

/**
 * dst = src with its axes reordered: output axis i is input axis perm[i].
 * Identity-like permutations copy, batched matrix transposes use the blocked
 * kernel, the rest walk the output row-major reading the input by strides.
 */
export function permuteData(src: TypedArray, shape: Shape, perm: readonly number[], dst: TypedArray): void {
  const { shape: s, perm: p } = simplify(shape, perm);
  const nd = s.length;
  if (src.length === 0) return;
  if (p.every((a, i) => a === i)) {
    dst.set(src);
    return;
  }
  const batchTranspose = nd >= 2 && p[nd - 1] === nd - 2 && p[nd - 2] === nd - 1 && p.slice(0, nd - 2).every((a, i) => a === i);
  if (batchTranspose) {
    transposeMatrices(src, dst, sizeOf(s.slice(0, nd - 2)), s[nd - 2]!, s[nd - 1]!);
    return;
  }
  const inStrides = stridesOf(s);
  const outShape = p.map((a) => s[a]!);
  const strides = p.map((a) => inStrides[a]!);
  const n = outShape[nd - 1]!;
  const sn = strides[nd - 1]!;
  const counters = new Array<number>(nd).fill(0);
  let is = 0;
  for (let io = 0; io < dst.length; io += n) {
    for (let j = 0, k = is; j < n; j++, k += sn) dst[io + j] = src[k]!;
    for (let d = nd - 2; d >= 0; d--) {
      counters[d]!++;
      is += strides[d]!;
      if (counters[d]! < outShape[d]!) break;
      is -= strides[d]! * outShape[d]!;
      counters[d] = 0;
    }
  }
}
