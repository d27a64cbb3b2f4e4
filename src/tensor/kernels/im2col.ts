import type { TypedArray } from "../dtype.js";

/**
 * im2col and col2im: the linear maps that turn a 2-D convolution into a
 * matrix product, and its transpose.
 *
 * Layout: the input is [N, C, H, W]; the column matrix is
 * [C*kh*kw, N*OH*OW], row (c*kh + i)*kw + j, column (n*OH + oh)*OW + ow,
 * holding x[n, c, oh*sh - top + i*dh, ow*sw - left + j*dw] (0 where that
 * falls in the padding). Channels are the slowest row index, so the rows of
 * one channel group are contiguous, and the batch is folded into the
 * columns, so one GEMM per group covers the whole batch and the weight
 * gradient needs no reduction over samples.
 */
export interface ConvGeometry {
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  padTop: number;
  padBottom: number;
  padLeft: number;
  padRight: number;
  dilationH: number;
  dilationW: number;
}

/** Output size floor((in + padBefore + padAfter - d*(k-1) - 1)/s) + 1 (may be <= 0: the caller checks). */
export function convOutputSize(size: number, k: number, stride: number, padBefore: number, padAfter: number, dilation: number): number {
  return Math.floor((size + padBefore + padAfter - dilation * (k - 1) - 1) / stride) + 1;
}

/** The spatial output size [OH, OW] of a geometry on an H x W input. */
export function convOutputShape(geom: ConvGeometry, h: number, w: number): [number, number] {
  return [
    convOutputSize(h, geom.kh, geom.strideH, geom.padTop, geom.padBottom, geom.dilationH),
    convOutputSize(w, geom.kw, geom.strideW, geom.padLeft, geom.padRight, geom.dilationW),
  ];
}

/**
 * The range [lo, hi) of output positions o for which o*s - pad + off lies
 * inside [0, size): the positions that read real input, not padding.
 */
function validRange(outSize: number, stride: number, pad: number, off: number, size: number): [number, number] {
  const shift = off - pad;
  const lo = shift >= 0 ? 0 : Math.ceil(-shift / stride);
  const hi = size - shift <= 0 ? 0 : Math.min(outSize, Math.ceil((size - shift) / stride));
  return [Math.min(lo, hi), hi];
}

/** Fills `cols` (zeroed, length C*kh*kw*N*OH*OW) from `x` [N, C, H, W]. */
export function im2colKernel(x: TypedArray, n: number, c: number, h: number, w: number, geom: ConvGeometry, cols: TypedArray): void {
  walk(n, c, h, w, geom, (xRow, colRow, owLo, owHi, iw0, sw) => {
    for (let ow = owLo, iw = iw0 + owLo * sw; ow < owHi; ow++, iw += sw) cols[colRow + ow] = x[xRow + iw]!;
  });
}

/** Adds every entry of `cols` into the input position it was read from (the transpose of im2col). */
export function col2imKernel(cols: TypedArray, n: number, c: number, h: number, w: number, geom: ConvGeometry, x: TypedArray): void {
  walk(n, c, h, w, geom, (xRow, colRow, owLo, owHi, iw0, sw) => {
    for (let ow = owLo, iw = iw0 + owLo * sw; ow < owHi; ow++, iw += sw) x[xRow + iw] = x[xRow + iw]! + cols[colRow + ow]!;
  });
}

/**
 * Visits each (column-matrix row, sample, output row) whose input row is
 * real, with the offsets of the input row and the column-matrix run and
 * the range of output columns that read real input.
 */
function walk(
  n: number, c: number, h: number, w: number, geom: ConvGeometry,
  run: (xRow: number, colRow: number, owLo: number, owHi: number, iw0: number, sw: number) => void,
): void {
  const { kh, kw, strideH: sh, strideW: sw, padTop, padLeft, dilationH: dh, dilationW: dw } = geom;
  const [oh, ow] = convOutputShape(geom, h, w);
  const plane = oh * ow;
  const rowLen = n * plane;
  for (let ch = 0; ch < c; ch++) {
    for (let i = 0; i < kh; i++) {
      const [ohLo, ohHi] = validRange(oh, sh, padTop, i * dh, h);
      for (let j = 0; j < kw; j++) {
        const row = (ch * kh + i) * kw + j;
        const [owLo, owHi] = validRange(ow, sw, padLeft, j * dw, w);
        const iw0 = j * dw - padLeft;
        for (let s = 0; s < n; s++) {
          const xPlane = (s * c + ch) * h * w;
          const colBase = row * rowLen + s * plane;
          for (let y = ohLo; y < ohHi; y++) {
            const ih = y * sh - padTop + i * dh;
            run(xPlane + ih * w, colBase + y * ow, owLo, owHi, iw0, sw);
          }
        }
      }
    }
  }
}
