import { type AxisMaps, takeAxesData } from "../kernels/shapeAxes.js";
import { shapeToString } from "../shape.js";
import { emptyTensor, record, Tensor } from "../tensor.js";
import { takeAxes } from "./indexing-map.js";

export type PadMode = "constant" | "reflect" | "replicate" | "circular";

export interface PadOptions {
  /** How to fill the border: a constant (default), the mirror image without the edge, the edge repeated, or wrapping around. */
  mode?: PadMode;
  /** The constant for mode "constant"; null means 0. Other modes take no value. */
  value?: number | null;
}

const MODES: readonly PadMode[] = ["constant", "reflect", "replicate", "circular"];

/** Where output position o (0 <= o < n + left + right) reads from, for each mode; -1 is "the constant". */
function sourceIndex(o: number, left: number, n: number, mode: PadMode): number {
  const i = o - left;
  if (i >= 0 && i < n) return i;
  switch (mode) {
    case "constant":
      return -1;
    case "reflect":
      return i < 0 ? -i : 2 * (n - 1) - i;
    case "replicate":
      return i < 0 ? 0 : n - 1;
    case "circular":
      return ((i % n) + n) % n;
  }
}

/** Checks what torch checks for each mode, so that every map entry is a valid position. */
function checkAxis(mode: PadMode, axis: number, n: number, left: number, right: number): void {
  const shown = `(${left}, ${right})`;
  if (n + left + right < 0) {
    throw new RangeError(`pad: axis ${axis} of size ${n} with pads ${shown} would have negative size ${n + left + right}`);
  }
  if (mode === "reflect" && ((left > 0 && left >= n) || (right > 0 && right >= n))) {
    throw new RangeError(`pad: reflect pads ${shown} must each be less than the size ${n} of axis ${axis}`);
  }
  if (mode === "replicate" && n === 0 && (left > 0 || right > 0)) {
    throw new RangeError(`pad: replicate cannot pad axis ${axis} of size 0`);
  }
  if (mode === "circular" && (left > n || right > n)) {
    throw new RangeError(`pad: circular pads ${shown} wrap around more than once on axis ${axis} of size ${n}`);
  }
}

/**
 * Pads (or, with negative pads, crops) the trailing axes, as
 * torch.nn.functional.pad: `pads` lists (left, right) of the last axis,
 * then (left, right) of the one before, and so on. Modes: "constant" fills
 * with `value`; "reflect" mirrors without repeating the edge
 * ([1,2,3] padded (2,1) is [3,2,1,2,3,2]); "replicate" repeats the edge;
 * "circular" wraps around. Unlike torch, every mode pads any number of
 * trailing axes of any input. Backward: constant padding's is the crop by
 * the negated pads; the other modes' is a sum over the copies of each
 * element, a differentiable op whose own backward is this pad again.
 */
export function pad(x: Tensor, pads: readonly number[], options: PadOptions = {}): Tensor {
  const mode = options.mode ?? "constant";
  if (!MODES.includes(mode)) throw new RangeError(`pad: mode must be one of ${MODES.join(", ")}, got ${String(mode)}`);
  const value = options.value ?? 0;
  if (mode !== "constant" && value !== 0) throw new RangeError(`pad: mode "${mode}" takes no value, got ${value}`);
  if (pads.length % 2 !== 0) {
    throw new RangeError(`pad: pad [${pads.join(",")}] must have an even number of entries ((left, right) per axis, last axis first)`);
  }
  if (pads.length > 2 * x.ndim) {
    throw new RangeError(`pad: pad [${pads.join(",")}] pads ${pads.length / 2} axes but the tensor of shape ${shapeToString(x.shape)} has ${x.ndim}`);
  }
  for (const p of pads) if (!Number.isInteger(p)) throw new RangeError(`pad: pads must be integers, got [${pads.join(",")}]`);

  const outShape = [...x.shape];
  const maps: (Int32Array | null)[] = x.shape.map(() => null);
  for (let k = 0; k < pads.length / 2; k++) {
    const axis = x.ndim - 1 - k;
    const left = pads[2 * k]!;
    const right = pads[2 * k + 1]!;
    const n = x.shape[axis]!;
    checkAxis(mode, axis, n, left, right);
    if (left === 0 && right === 0) continue;
    const map = new Int32Array(n + left + right);
    for (let o = 0; o < map.length; o++) map[o] = sourceIndex(o, left, n, mode);
    maps[axis] = map;
    outShape[axis] = map.length;
  }
  if (mode !== "constant") return takeAxes(x, maps, outShape, "pad");
  const out = emptyTensor(outShape, x.dtype);
  takeAxesData(x.data, x.shape, maps as AxisMaps, outShape, out.data, value);
  const crop = pads.map((p) => -p);
  return record(out, "pad", [x], (g) => [pad(g, crop)]);
}

declare module "../tensor.js" {
  interface Tensor {
    pad(pads: readonly number[], options?: PadOptions): Tensor;
  }
}

Tensor.prototype.pad = function (this: Tensor, pads: readonly number[], options?: PadOptions) {
  return pad(this, pads, options);
};
