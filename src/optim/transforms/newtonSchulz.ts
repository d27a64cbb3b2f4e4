// Newton–Schulz orthogonalisation of matrices (Muon's core), as a function on
// typed arrays and as a stateless transformation.
import { gemm } from "../../tensor/kernels/gemm.js";
import { checkLeaves, requireParams, type LeafCountState } from "../base.js";
import type { FloatArray, GradientTransformation, Params, Updates } from "../types.js";
import { checkFinite, checkInteger, checkNonNegative } from "../validate.js";

/** Keller Jordan's quintic coefficients (a, b, c), as torch.optim.Muon and Keras. */
export const NS_COEFFICIENTS: readonly [number, number, number] = [3.4445, -4.775, 2.0315];

/** Options of the Newton–Schulz iteration (torch.optim.Muon's names). */
export interface NewtonSchulzOptions {
  /** (a, b, c) of `X ← aX + (bA + cA²)X` (default [3.4445, -4.775, 2.0315]). */
  nsCoefficients?: readonly [number, number, number];
  /** Iterations (default 5). */
  nsSteps?: number;
  /** Lower bound of the Frobenius norm the input is divided by (default 1e-7). */
  eps?: number;
}

/** Checked Newton–Schulz settings. */
export type NewtonSchulzConfig = { readonly coefficients: readonly [number, number, number]; readonly steps: number; readonly eps: number };

/** nsSteps: an integer in [0, 100), as torch.optim.Muon (more is wasted work). */
function checkSteps(owner: string, value: unknown): number {
  const v = checkInteger(owner, "nsSteps", value, 0);
  if (v >= 100) throw new RangeError(`${owner}: nsSteps must be < 100, got ${v}`);
  return v;
}

/** Reads and checks Newton–Schulz options for `owner`. */
export function newtonSchulzConfig(owner: string, o: NewtonSchulzOptions): NewtonSchulzConfig {
  const c = o.nsCoefficients ?? NS_COEFFICIENTS;
  if (!Array.isArray(c) || c.length !== 3) throw new TypeError(`${owner}: nsCoefficients must be three numbers (a, b, c), got ${String(c)}`);
  c.forEach((v, i) => checkFinite(owner, `nsCoefficients[${i}]`, v));
  return {
    coefficients: [c[0], c[1], c[2]],
    steps: checkSteps(owner, o.nsSteps ?? 5),
    eps: checkNonNegative(owner, "eps", o.eps ?? 1e-7),
  };
}

// Scratch matrices reused from call to call (hot paths must not allocate).
let scratchX: Float64Array = new Float64Array(0);
let scratchY: Float64Array = new Float64Array(0);
let scratchA: Float64Array = new Float64Array(0);
let scratchB: Float64Array = new Float64Array(0);

function grow(buffer: Float64Array, length: number): Float64Array {
  return buffer.length >= length ? buffer : new Float64Array(length);
}

/**
 * Writes into `out` the Newton–Schulz approximation of the orthogonal
 * factor of the `rows × cols` row-major matrix `g` (Jordan et al. 2024,
 * "Muon"; torch.optim.Muon's `_zeropower_via_newtonschulz`): transpose so
 * that the matrix is wide, `X ← G/max(‖G‖_F, eps)`, then `steps` times
 * `A ← XXᵀ`, `X ← aX + (bA + cA²)X`, and transpose back. With the default
 * quintic coefficients the singular values land in roughly [0.7, 1.2]
 * rather than exactly 1, which trains as well (Jordan et al.). Computes in
 * float64; `out` may be `g`.
 */
export function newtonSchulz(g: ArrayLike<number>, rows: number, cols: number, config: NewtonSchulzConfig, out: FloatArray): void {
  const size = rows * cols;
  if (size === 0) return;
  const wide = rows <= cols;
  const r = wide ? rows : cols;
  const c = wide ? cols : rows;
  scratchX = grow(scratchX, size);
  scratchY = grow(scratchY, size);
  scratchA = grow(scratchA, r * r);
  scratchB = grow(scratchB, r * r);
  let x = scratchX;
  let y = scratchY;
  const a = scratchA;
  const b = scratchB;
  let sq = 0;
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) {
      const v = g[i * cols + j];
      sq += v * v;
      x[wide ? i * cols + j : j * rows + i] = v;
    }
  }
  const inv = 1 / Math.max(Math.sqrt(sq), config.eps);
  for (let i = 0; i < size; i++) x[i] *= inv;
  const [ca, cb, cc] = config.coefficients;
  for (let k = 0; k < config.steps; k++) {
    gemm(false, true, r, r, c, 1, x, 0, c, x, 0, c, 0, a, 0, r); // A = X Xᵀ
    b.set(a.subarray(0, r * r));
    gemm(false, false, r, r, r, cc, a, 0, r, a, 0, r, cb, b, 0, r); // B = bA + cA²
    y.set(x.subarray(0, size));
    gemm(false, false, r, c, r, 1, b, 0, r, x, 0, c, ca, y, 0, c); // Y = aX + BX
    const t = x;
    x = y;
    y = t;
  }
  for (let i = 0; i < rows; i++) {
    for (let j = 0; j < cols; j++) out[i * cols + j] = x[wide ? i * cols + j : j * rows + i];
  }
}

/** Rows and columns of a 2-D parameter, or an error naming the leaf and its shape. */
export function matrixShape(owner: string, shape: readonly number[], leaf: number): [number, number] {
  if (shape.length !== 2) {
    throw new Error(
      `${owner}: parameter ${leaf} has shape [${shape.join(", ")}]; only 2-D parameters can be orthogonalised (route the others elsewhere with maskedBy)`,
    );
  }
  return [shape[0], shape[1]];
}

/**
 * Replaces each update by its Newton–Schulz orthogonalisation (see
 * `newtonSchulz`; optax.contrib's orthogonalize_via_newton_schulz). Every
 * parameter must be 2-D: wrap it in maskedBy to leave biases and norms to
 * another transformation. Needs the parameters for their shapes.
 */
export function orthogonalizeByNewtonSchulz(options: NewtonSchulzOptions = {}): GradientTransformation<LeafCountState> {
  const config = newtonSchulzConfig("orthogonalizeByNewtonSchulz", options);
  return {
    name: "orthogonalizeByNewtonSchulz",
    init: (params: Params) => ({ leaves: params.length }),
    update(updates: Updates, state: LeafCountState, params?: Params): LeafCountState {
      const ps = requireParams("orthogonalizeByNewtonSchulz", params);
      checkLeaves("orthogonalizeByNewtonSchulz", updates, state.leaves, ps);
      const shapes = ps.map((p, i) => matrixShape("orthogonalizeByNewtonSchulz", p.shape, i));
      updates.forEach((u, i) => newtonSchulz(u, shapes[i][0], shapes[i][1], config, u));
      return state;
    },
  };
}
