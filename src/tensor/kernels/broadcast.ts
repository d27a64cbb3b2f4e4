import { allocate, type DType, type TypedArray } from "../dtype.js";
import { broadcastShapes, broadcastStrides, type Shape, sizeOf, stridesOf } from "../shape.js";

/**
 * Reference loops shared by elementwise ops and reductions. Each walks the
 * output row-major with an innermost run over the last dimension and per-
 * operand strides (0 on broadcast dimensions), so no index arithmetic is
 * done per element.
 */

/** out[i] = f(a[i'], b[i'']) over the broadcast shape. */
export function mapBinary(
  a: TypedArray,
  aShape: Shape,
  b: TypedArray,
  bShape: Shape,
  outDType: DType,
  f: (x: number, y: number) => number,
  op: string,
): { data: TypedArray; shape: number[] } {
  const shape = broadcastShapes(aShape, bShape, op);
  const out = allocate(outDType, sizeOf(shape));
  if (out.length === 0) return { data: out, shape };
  if (a.length === out.length && b.length === out.length) {
    for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, b[i]!);
    return { data: out, shape };
  }
  if (b.length === 1 && a.length === out.length) {
    const y = b[0]!;
    for (let i = 0; i < out.length; i++) out[i] = f(a[i]!, y);
    return { data: out, shape };
  }
  if (a.length === 1 && b.length === out.length) {
    const x = a[0]!;
    for (let i = 0; i < out.length; i++) out[i] = f(x, b[i]!);
    return { data: out, shape };
  }
  const as = broadcastStrides(aShape, shape);
  const bs = broadcastStrides(bShape, shape);
  forEachRow(shape, as, bs, (ia, ib, io, n, sa, sb) => {
    for (let j = 0; j < n; j++) out[io + j] = f(a[ia + j * sa]!, b[ib + j * sb]!);
  });
  return { data: out, shape };
}

/** out[i] = f(x[i]). */
export function mapUnary(x: TypedArray, outDType: DType, f: (v: number) => number): TypedArray {
  const out = allocate(outDType, x.length);
  for (let i = 0; i < x.length; i++) out[i] = f(x[i]!);
  return out;
}

/**
 * Calls `row(ia, ib, io, n, sa, sb)` for each innermost run of the
 * broadcast `shape`: `ia`/`ib` are the operands' offsets, `io` the output
 * offset, `n` the run length and `sa`/`sb` the operands' strides along it.
 */
export function forEachRow(
  shape: Shape,
  aStrides: readonly number[],
  bStrides: readonly number[],
  row: (ia: number, ib: number, io: number, n: number, sa: number, sb: number) => void,
): void {
  const nd = shape.length;
  if (nd === 0) {
    row(0, 0, 0, 1, 0, 0);
    return;
  }
  const total = sizeOf(shape);
  if (total === 0) return;
  const n = shape[nd - 1]!;
  const sa = aStrides[nd - 1]!;
  const sb = bStrides[nd - 1]!;
  const counters = new Array<number>(nd).fill(0);
  let ia = 0;
  let ib = 0;
  for (let io = 0; io < total; io += n) {
    row(ia, ib, io, n, sa, sb);
    for (let d = nd - 2; d >= 0; d--) {
      counters[d]!++;
      ia += aStrides[d]!;
      ib += bStrides[d]!;
      if (counters[d]! < shape[d]!) break;
      ia -= aStrides[d]! * shape[d]!;
      ib -= bStrides[d]! * shape[d]!;
      counters[d] = 0;
    }
  }
}

/**
 * Strides that map an input index to its reduced output's offset: the
 * output is laid out row-major over the kept axes, reduced axes get 0.
 */
export function reductionStrides(shape: Shape, axes: readonly number[]): { outShape: number[]; strides: number[] } {
  const keep = shape.map((d, i) => (axes.includes(i) ? 1 : d));
  const outStrides = stridesOf(keep);
  const strides = shape.map((_, i) => (axes.includes(i) ? 0 : outStrides[i]!));
  return { outShape: keep, strides };
}

/**
 * Folds `x` over `axes` with `combine(acc, value)` starting from `init`,
 * returning the result laid out with the reduced axes kept as size 1.
 */
export function reduceAxes(
  x: TypedArray,
  shape: Shape,
  axes: readonly number[],
  outDType: DType,
  init: number,
  combine: (acc: number, v: number) => number,
): { data: TypedArray; keptShape: number[] } {
  const { outShape, strides } = reductionStrides(shape, axes);
  // Accumulate in doubles whatever the output type: float32 sums stay accurate.
  const out = new Float64Array(sizeOf(outShape));
  out.fill(init);
  const inStrides = stridesOf(shape);
  forEachRow(shape, inStrides, strides, (ix, io, _o, n, sx, so) => {
    if (so === 0) {
      let acc = out[io]!;
      for (let j = 0; j < n; j++) acc = combine(acc, x[ix + j * sx]!);
      out[io] = acc;
    } else {
      for (let j = 0; j < n; j++) out[io + j * so] = combine(out[io + j * so]!, x[ix + j * sx]!);
    }
  });
  if (outDType === "float64") return { data: out, keptShape: outShape };
  const cast = allocate(outDType, out.length);
  cast.set(out);
  return { data: cast, keptShape: outShape };
}
