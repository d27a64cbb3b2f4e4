import type { TypedArray } from "../dtype.js";

/**
 * Pooling loops over a stack of planes (every leading dimension of an
 * [..., H, W] tensor is a plane index).
 */

/**
 * Pooling output size, torch's rule: floor((in + 2p - d*(k-1) - 1)/s) + 1,
 * or with ceilMode ceil(...) + 1 minus 1 if that last window would start at
 * or past in + p (it would see only right padding).
 */
export function poolOutputSize(size: number, k: number, stride: number, pad: number, dilation: number, ceilMode: boolean): number {
  const span = size + 2 * pad - dilation * (k - 1) - 1;
  let out = (ceilMode ? Math.ceil(span / stride) : Math.floor(span / stride)) + 1;
  if (ceilMode && (out - 1) * stride >= size + pad) out--;
  return out;
}

export interface MaxPoolGeometry {
  kh: number;
  kw: number;
  strideH: number;
  strideW: number;
  padH: number;
  padW: number;
  dilationH: number;
  dilationW: number;
  outH: number;
  outW: number;
}

/**
 * Max over each window (padding counts as -inf): writes the maximum and
 * its flat index h*W + w within the plane. Windows are scanned in
 * row-major order and a later element wins only if strictly greater (or
 * NaN, which propagates as in torch), so the first maximum wins ties. A
 * window of padding only (possible with ceilMode and a large stride) gets
 * -inf and index -1.
 */
export function maxPoolKernel(
  x: TypedArray, planes: number, h: number, w: number, g: MaxPoolGeometry, values: TypedArray, indices: Int32Array,
): void {
  const { kh, kw, strideH, strideW, padH, padW, dilationH, dilationW, outH, outW } = g;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * h * w;
    for (let i = 0; i < outH; i++) {
      const h0 = i * strideH - padH;
      for (let j = 0; j < outW; j++) {
        const w0 = j * strideW - padW;
        let best = -Infinity;
        let bestIdx = -1;
        for (let t = 0; t < kh; t++) {
          const row = h0 + t * dilationH;
          if (row < 0 || row >= h) continue;
          for (let u = 0; u < kw; u++) {
            const col = w0 + u * dilationW;
            if (col < 0 || col >= w) continue;
            const idx = row * w + col;
            const v = x[base + idx]!;
            if (bestIdx < 0) bestIdx = idx;
            if (v > best || v !== v) {
              best = v;
              bestIdx = idx;
            }
          }
        }
        values[o] = best;
        indices[o] = bestIdx;
        o++;
      }
    }
  }
}

/**
 * Rectangular averaging windows, one per output cell: rows [rowStart[i],
 * rowEnd[i]) and columns [colStart[j], colEnd[j]) of the input, divided by
 * divisor[i*outW + j]. Both avgPool2d and adaptiveAvgPool2d are such maps.
 */
export interface WindowPlan {
  inH: number;
  inW: number;
  outH: number;
  outW: number;
  rowStart: Int32Array;
  rowEnd: Int32Array;
  colStart: Int32Array;
  colEnd: Int32Array;
  divisor: Float64Array;
}

/** out[p, i, j] = (sum of x[p] over window (i, j)) / divisor(i, j), summed in double. */
export function windowAverageKernel(x: TypedArray, planes: number, plan: WindowPlan, out: TypedArray): void {
  const { inH, inW, outH, outW, rowStart, rowEnd, colStart, colEnd, divisor } = plan;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inH * inW;
    for (let i = 0; i < outH; i++) {
      const r0 = rowStart[i]!;
      const r1 = rowEnd[i]!;
      for (let j = 0; j < outW; j++) {
        const c0 = colStart[j]!;
        const c1 = colEnd[j]!;
        let s = 0;
        for (let r = r0; r < r1; r++) {
          const row = base + r * inW;
          for (let c = c0; c < c1; c++) s += x[row + c]!;
        }
        out[o] = s / divisor[i * outW + j]!;
        o++;
      }
    }
  }
}

/** The transpose: gx[p, h, w] += g[p, i, j] / divisor(i, j) over every window (i, j) containing (h, w). */
export function windowAverageTransposeKernel(g: TypedArray, planes: number, plan: WindowPlan, gx: TypedArray): void {
  const { inH, inW, outH, outW, rowStart, rowEnd, colStart, colEnd, divisor } = plan;
  let o = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * inH * inW;
    for (let i = 0; i < outH; i++) {
      const r0 = rowStart[i]!;
      const r1 = rowEnd[i]!;
      for (let j = 0; j < outW; j++) {
        const c0 = colStart[j]!;
        const c1 = colEnd[j]!;
        const v = g[o]! / divisor[i * outW + j]!;
        o++;
        for (let r = r0; r < r1; r++) {
          const row = base + r * inW;
          for (let c = c0; c < c1; c++) gx[row + c] = gx[row + c]! + v;
        }
      }
    }
  }
}

/** out[p, l] = src[p, index[p, l]] (0 where the index is -1). */
export function gatherPlanesKernel(src: TypedArray, planeSize: number, index: Int32Array, perPlane: number, out: TypedArray): void {
  const planes = perPlane === 0 ? 0 : index.length / perPlane;
  let l = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * planeSize;
    for (let e = 0; e < perPlane; e++, l++) {
      const idx = index[l]!;
      if (idx >= 0) out[l] = src[base + idx]!;
    }
  }
}

/** out[p, index[p, l]] += values[p, l] (skipping -1): the transpose of gatherPlanesKernel. */
export function scatterPlanesKernel(values: TypedArray, planeSize: number, index: Int32Array, perPlane: number, out: TypedArray): void {
  const planes = perPlane === 0 ? 0 : index.length / perPlane;
  let l = 0;
  for (let p = 0; p < planes; p++) {
    const base = p * planeSize;
    for (let e = 0; e < perPlane; e++, l++) {
      const idx = index[l]!;
      if (idx >= 0) out[base + idx] = out[base + idx]! + values[l]!;
    }
  }
}
