import { allocate } from "../dtype.js";
import { type WindowPlan, windowAverageKernel, windowAverageTransposeKernel } from "../kernels/pool.js";
import { shapeToString, sizeOf } from "../shape.js";
import { record, Tensor } from "../tensor.js";

export type { WindowPlan } from "../kernels/pool.js";

/**
 * Window averaging (avgPool2d, adaptiveAvgPool2d) as a pair of
 * differentiable ops: the average A over a plan's windows and its
 * transpose A^T. A is linear, so d(A x) = A^T g and d(A^T g) = A g': each
 * op's backward is the other.
 */

function planes(shape: readonly number[], h: number, w: number, op: string): number {
  if (shape.length < 2 || shape[shape.length - 2] !== h || shape[shape.length - 1] !== w) {
    throw new Error(`${op}: expected a tensor [..., ${h}, ${w}], got shape ${shapeToString(shape)}`);
  }
  return sizeOf(shape.slice(0, -2));
}

/** [..., inH, inW] -> [..., outH, outW]: each output cell is its window's sum over its divisor. */
export function windowAverage(x: Tensor, plan: WindowPlan): Tensor {
  const n = planes(x.shape, plan.inH, plan.inW, "windowAverage");
  const out = allocate(x.dtype, n * plan.outH * plan.outW);
  windowAverageKernel(x.data, n, plan, out);
  const shape = [...x.shape.slice(0, -2), plan.outH, plan.outW];
  return record(new Tensor(out, shape), "windowAverage", [x], (g) => [windowAverageTranspose(g, plan)]);
}

/** [..., outH, outW] -> [..., inH, inW]: each cell's value over its divisor, added over its window. */
export function windowAverageTranspose(g: Tensor, plan: WindowPlan): Tensor {
  const n = planes(g.shape, plan.outH, plan.outW, "windowAverageTranspose");
  const out = allocate(g.dtype, n * plan.inH * plan.inW);
  windowAverageTransposeKernel(g.data, n, plan, out);
  const shape = [...g.shape.slice(0, -2), plan.inH, plan.inW];
  return record(new Tensor(out, shape), "windowAverageTranspose", [g], (gg) => [windowAverage(gg, plan)]);
}

/**
 * avgPool2d's windows: window i starts at h0 = i*s - p; it sums input rows
 * [max(h0, 0), min(h0 + k, H)); the divisor is `divisorOverride` if given,
 * else with countIncludePad the window clipped to the padded input,
 * (min(h0 + k, H + p) - h0) per dimension, else the number of input
 * elements. A window of padding only (ceilMode) averages nothing: 0.
 */
export function avgPoolPlan(
  inH: number, inW: number, k: [number, number], s: [number, number], p: [number, number], outH: number, outW: number,
  countIncludePad: boolean, divisorOverride: number | null,
): WindowPlan {
  const rows = windows(inH, outH, (i) => i * s[0] - p[0], k[0], p[0]);
  const cols = windows(inW, outW, (j) => j * s[1] - p[1], k[1], p[1]);
  const divisor = new Float64Array(outH * outW);
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) {
      const inside = (rows.end[i]! - rows.start[i]!) * (cols.end[j]! - cols.start[j]!);
      let d = divisorOverride ?? (countIncludePad ? rows.padded[i]! * cols.padded[j]! : inside);
      if (inside === 0) d = 1;
      divisor[i * outW + j] = d;
    }
  }
  return { inH, inW, outH, outW, rowStart: rows.start, rowEnd: rows.end, colStart: cols.start, colEnd: cols.end, divisor };
}

function windows(size: number, out: number, begin: (i: number) => number, k: number, pad: number) {
  const start = new Int32Array(out);
  const end = new Int32Array(out);
  const padded = new Int32Array(out);
  for (let i = 0; i < out; i++) {
    const b = begin(i);
    const e = Math.min(b + k, size + pad);
    padded[i] = e - b;
    start[i] = Math.max(b, 0);
    end[i] = Math.max(Math.min(e, size), start[i]!);
  }
  return { start, end, padded };
}

/**
 * adaptiveAvgPool2d's windows: output cell i averages input rows
 * [floor(i*H/out), ceil((i+1)*H/out)), likewise columns; the divisor is the
 * window's size.
 */
export function adaptivePlan(inH: number, inW: number, outH: number, outW: number): WindowPlan {
  const span = (size: number, out: number) => {
    const start = new Int32Array(out);
    const end = new Int32Array(out);
    for (let i = 0; i < out; i++) {
      start[i] = Math.floor((i * size) / out);
      end[i] = Math.ceil(((i + 1) * size) / out);
    }
    return { start, end };
  };
  const rows = span(inH, outH);
  const cols = span(inW, outW);
  const divisor = new Float64Array(outH * outW);
  for (let i = 0; i < outH; i++) {
    for (let j = 0; j < outW; j++) divisor[i * outW + j] = (rows.end[i]! - rows.start[i]!) * (cols.end[j]! - cols.start[j]!);
  }
  return { inH, inW, outH, outW, rowStart: rows.start, rowEnd: rows.end, colStart: cols.start, colEnd: cols.end, divisor };
}
