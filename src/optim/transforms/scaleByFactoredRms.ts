import { checkLeaves, floatData, requireParams } from "../base.js";
import type { FloatArray, GradientTransformation, Params, Updates } from "../types.js";
import { checkNonNegative, checkNumber } from "../validate.js";

/**
 * scaleByFactoredRms's state: steps taken and, per parameter, either the
 * row and column factors of the second moment (parameters of 2 or more
 * dimensions, factored over the last two) or the full second moment
 * (vectors and scalars). Unused buffers have length 0.
 */
export type ScaleByFactoredRmsState = { count: number; rowVar: FloatArray[]; colVar: FloatArray[]; variance: FloatArray[] };

/** Options of scaleByFactoredRms (torch.optim.Adafactor's names). */
export interface ScaleByFactoredRmsOptions {
  /** τ in `β̂₂ₜ = 1 − t^τ` (default −0.8; must be <= 0). */
  beta2Decay?: number;
  /** ε₁, the floor of the row mean and of the second moment's root (default: the machine epsilon of the parameter's dtype). */
  eps1?: number | null;
}

/** How a parameter of `shape` is factored: `batch` independent `rows × cols` matrices, or null (not factored). */
export type FactoredDims = { batch: number; rows: number; cols: number } | null;

/** Factoring over the last two dimensions, as torch.optim.Adafactor; null below 2 dimensions. */
export function factoredDims(shape: readonly number[]): FactoredDims {
  const nd = shape.length;
  if (nd < 2) return null;
  let batch = 1;
  for (let i = 0; i < nd - 2; i++) batch *= shape[i];
  return { batch, rows: shape[nd - 2], cols: shape[nd - 1] };
}

/** torch's default ε₁: the machine epsilon of the parameter's dtype (2⁻²³ for float32, 2⁻⁵² for float64). */
export function machineEps(data: FloatArray): number {
  return data instanceof Float64Array ? 2 ** -52 : 2 ** -23;
}

function like(data: FloatArray, length: number): FloatArray {
  return data instanceof Float64Array ? new Float64Array(length) : new Float32Array(length);
}

/** The buffers a parameter of `shape` needs: row and column factors, or a full second moment. */
export function factoredBuffers(data: FloatArray, shape: readonly number[]): { rowVar: FloatArray; colVar: FloatArray; variance: FloatArray } {
  const f = factoredDims(shape);
  if (f === null) return { rowVar: like(data, 0), colVar: like(data, 0), variance: like(data, data.length) };
  return { rowVar: like(data, f.batch * f.rows), colVar: like(data, f.batch * f.cols), variance: like(data, 0) };
}

let colSum = new Float64Array(0);

/**
 * Updates the second-moment statistics of one parameter with gradient `g`
 * (weight `w = t^τ` of the new value, torch's `lerp`) and writes
 * `g/√max(V̂, ε₁²)` into `u` (which may be `g`). Factored:
 * `R ← R + w(mean_j g² − R)`, `C ← C + w(mean_i g² − C)`,
 * `V̂ᵢⱼ = RᵢCⱼ / max(mean_i Rᵢ, ε₁)`; otherwise `V̂ ← V̂ + w(g² − V̂)`.
 * Shared by the transformation and the fused Adafactor kernel.
 */
export function factoredRmsStep(
  g: ArrayLike<number>,
  u: FloatArray,
  dims: FactoredDims,
  rowVar: FloatArray,
  colVar: FloatArray,
  variance: FloatArray,
  w: number,
  eps1: number,
): void {
  const floor = eps1 * eps1;
  if (dims === null) {
    for (let i = 0; i < variance.length; i++) {
      const gi = g[i];
      variance[i] += w * (gi * gi - variance[i]);
      u[i] = gi / Math.sqrt(Math.max(variance[i], floor));
    }
    return;
  }
  const { batch, rows, cols } = dims;
  if (colSum.length < cols) colSum = new Float64Array(cols);
  for (let b = 0; b < batch; b++) {
    const base = b * rows * cols;
    const r0 = b * rows;
    const c0 = b * cols;
    colSum.fill(0, 0, cols);
    for (let i = 0; i < rows; i++) {
      let s = 0;
      const off = base + i * cols;
      for (let j = 0; j < cols; j++) {
        const gij = g[off + j];
        const sq = gij * gij;
        s += sq;
        colSum[j] += sq;
      }
      rowVar[r0 + i] += w * (s / cols - rowVar[r0 + i]);
    }
    let rowMean = 0;
    for (let i = 0; i < rows; i++) rowMean += rowVar[r0 + i];
    const rbar = Math.max(rowMean / rows, eps1);
    for (let j = 0; j < cols; j++) colVar[c0 + j] += w * (colSum[j] / rows - colVar[c0 + j]);
    for (let i = 0; i < rows; i++) {
      const ri = rowVar[r0 + i];
      const off = base + i * cols;
      for (let j = 0; j < cols; j++) u[off + j] = g[off + j] / Math.sqrt(Math.max((ri * colVar[c0 + j]) / rbar, floor));
    }
  }
}

/**
 * Adafactor's factored second-moment scaling (Shazeer & Stern 2018, as
 * torch.optim.Adafactor): with `t` the step and `β̂₂ₜ = 1 − t^τ`, a matrix
 * gradient G keeps only row and column means of G² (`R ← β̂₂ₜR + (1−β̂₂ₜ)·mean_j G²`,
 * `C ← β̂₂ₜC + (1−β̂₂ₜ)·mean_i G²`) and estimates `V̂ = RCᵀ/max(mean(R), ε₁)`;
 * vectors keep the full `V̂ ← β̂₂ₜV̂ + (1−β̂₂ₜ)G²`. Then `u ← G/√max(V̂, ε₁²)`.
 * Parameters of more than 2 dimensions are factored over the last two.
 * ε₁ enters as in torch (on the row mean and the root), not as the paper's
 * `G² + ε₁`. Needs the parameters for their shapes.
 */
export function scaleByFactoredRms(options: ScaleByFactoredRmsOptions = {}): GradientTransformation<ScaleByFactoredRmsState> {
  const owner = "scaleByFactoredRms";
  const tau = checkNumber(owner, "beta2Decay", options.beta2Decay ?? -0.8);
  if (!(tau <= 0)) throw new RangeError(`${owner}: beta2Decay must be <= 0, got ${tau}`);
  const eps1 = options.eps1 ?? null;
  if (eps1 !== null) checkNonNegative(owner, "eps1", eps1);
  return {
    name: owner,
    init(params: Params): ScaleByFactoredRmsState {
      const bufs = params.map((p, i) => factoredBuffers(floatData(owner, p, i), p.shape));
      return { count: 0, rowVar: bufs.map((b) => b.rowVar), colVar: bufs.map((b) => b.colVar), variance: bufs.map((b) => b.variance) };
    },
    update(updates: Updates, state: ScaleByFactoredRmsState, params?: Params): ScaleByFactoredRmsState {
      const ps = requireParams(owner, params);
      checkLeaves(owner, updates, state.variance.length, ps);
      const dims = ps.map((p, i) => {
        const f = factoredDims(p.shape);
        const want = f === null ? [0, 0, p.data.length] : [f.batch * f.rows, f.batch * f.cols, 0];
        if (state.rowVar[i].length !== want[0] || state.colVar[i].length !== want[1] || state.variance[i].length !== want[2]) {
          throw new Error(`${owner}: parameter ${i} has shape [${p.shape.join(", ")}], which does not match the state built by init()`);
        }
        return f;
      });
      state.count += 1;
      const w = state.count ** tau;
      updates.forEach((u, i) => {
        if (u.length === 0) return;
        const e = eps1 ?? machineEps(floatData(owner, ps[i], i));
        factoredRmsStep(u, u, dims[i], state.rowVar[i], state.colVar[i], state.variance[i], w, e);
      });
      return state;
    },
  };
}
