import { type AxisMaps, rangeMap, takeAxesData } from "../kernels/shapeAxes.js";
import { normalizeAxes } from "../shape.js";
import { emptyTensor, record, Tensor } from "../tensor.js";
import { takeAxes } from "./indexing-map.js";
import { reshape } from "./reshape.js";

/**
 * Reversing and tiling. Both read the input through per-axis maps: flip
 * maps o to n-1-o (its own inverse, so its backward is flip), repeat maps
 * o to o mod n (its backward sums the gradient over the copies).
 */

/** Reverses the order of elements along each of `axes`, as torch.flip. */
export function flip(x: Tensor, axes: number | readonly number[]): Tensor {
  const list = normalizeAxes(axes, x.ndim, "flip");
  const flipped = new Set(x.ndim === 0 ? [] : list);
  const maps: AxisMaps = x.shape.map((n, i) => (flipped.has(i) && n > 1 ? rangeMap(n - 1, -1, n) : null));
  const out = emptyTensor(x.shape, x.dtype);
  takeAxesData(x.data, x.shape, maps, x.shape, out.data, 0);
  return record(out, "flip", [x], (g) => [flip(g, list)]);
}

function checkReps(reps: readonly number[], op: string): void {
  for (const r of reps) {
    if (!Number.isInteger(r) || r < 0) throw new RangeError(`${op}: repetitions must be non-negative integers, got [${reps.join(",")}]`);
  }
}

/**
 * Tiles x reps[i] times along axis i, as torch.Tensor.repeat: reps needs at
 * least x.ndim entries, and extra leading entries add new leading axes.
 * [1,2].repeat([2, 2]) is [[1,2,1,2],[1,2,1,2]]. The gradient of each input
 * element is the sum over its copies.
 */
export function repeat(x: Tensor, reps: readonly number[]): Tensor {
  checkReps(reps, "repeat");
  if (reps.length < x.ndim) {
    throw new RangeError(`repeat: reps [${reps.join(",")}] has ${reps.length} entries, fewer than the ${x.ndim} dimensions of the tensor`);
  }
  const lead = reps.length - x.ndim;
  const base = reshape(x, [...new Array<number>(lead).fill(1), ...x.shape]);
  const outShape = base.shape.map((n, i) => n * reps[i]!);
  const maps: AxisMaps = base.shape.map((n, i) => {
    if (reps[i] === 1) return null;
    const map = new Int32Array(outShape[i]!);
    for (let o = 0; o < map.length; o++) map[o] = o % n;
    return map;
  });
  return takeAxes(base, maps, outShape, "repeat");
}

/**
 * Like repeat, but reps may be shorter than x.ndim: it is padded with
 * leading 1s, as torch.tile.
 */
export function tile(x: Tensor, reps: readonly number[]): Tensor {
  checkReps(reps, "tile");
  const full = reps.length < x.ndim ? [...new Array<number>(x.ndim - reps.length).fill(1), ...reps] : reps;
  return repeat(x, full);
}

declare module "../tensor.js" {
  interface Tensor {
    flip(axes: number | readonly number[]): Tensor;
    repeat(reps: readonly number[]): Tensor;
    tile(reps: readonly number[]): Tensor;
  }
}

Tensor.prototype.flip = function (this: Tensor, axes: number | readonly number[]) {
  return flip(this, axes);
};
Tensor.prototype.repeat = function (this: Tensor, reps: readonly number[]) {
  return repeat(this, reps);
};
Tensor.prototype.tile = function (this: Tensor, reps: readonly number[]) {
  return tile(this, reps);
};
