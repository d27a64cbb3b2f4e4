import { checkLeaves, requireParams, zerosForEach } from "../base.js";
import type { FloatArray, GradientTransformation, Params, Updates } from "../types.js";
import { checkBoolean, checkInRange } from "../validate.js";
import { matrixShape, newtonSchulz, newtonSchulzConfig, type NewtonSchulzOptions } from "./newtonSchulz.js";

/** Muon's state: one momentum buffer per (2-D) parameter. */
export type ScaleByMuonState = { mu: FloatArray[] };

/**
 * How Muon rescales the orthogonalised update of an A×B matrix
 * (torch.optim.Muon's adjust_lr_fn): "original" (Jordan 2024)
 * `√max(1, A/B)`; "match_rms_adamw" (Liu et al. 2025, "Muon is scalable")
 * `0.2·√max(A, B)`, which gives the update AdamW's RMS so AdamW's learning
 * rate and weight decay carry over. null means "original".
 */
export type MuonAdjustLr = "original" | "match_rms_adamw" | null;

/** Options of scaleByMuon (torch.optim.Muon's names). */
export interface ScaleByMuonOptions extends NewtonSchulzOptions {
  /** Momentum μ of the buffer `B ← μB + (1−μ)g` (default 0.95). */
  momentum?: number;
  /** Orthogonalise `(1−μ)g + μB` instead of `B` (default true). */
  nesterov?: boolean;
  /** Rescaling of the orthogonalised update by the matrix shape (default "original"). */
  adjustLrFn?: MuonAdjustLr;
}

/** Checks an adjustLrFn value. */
export function checkAdjustLr(owner: string, value: unknown): MuonAdjustLr {
  if (value === null || value === "original" || value === "match_rms_adamw") return value;
  throw new RangeError(`${owner}: adjustLrFn must be "original", "match_rms_adamw" or null, got ${JSON.stringify(value)}`);
}

/** The factor adjustLrFn applies to the learning rate of a rows × cols matrix. */
export function muonLrRatio(adjust: MuonAdjustLr, rows: number, cols: number): number {
  if (adjust === "match_rms_adamw") return 0.2 * Math.sqrt(Math.max(rows, cols));
  return Math.sqrt(Math.max(1, rows / cols));
}

/**
 * Muon's direction for 2-D weights (Jordan et al. 2024, "Muon: MomentUm
 * Orthogonalized by Newton–Schulz"; torch.optim.Muon): `B ← μB + (1−μ)g`,
 * `M ← nesterov ? (1−μ)g + μB : B`, `u ← NS₅(M)·r(A, B)` where NS₅ is the
 * quintic Newton–Schulz iteration (newtonSchulz) and r the shape factor of
 * adjustLrFn. Every parameter must be 2-D (route biases and norms to Adam
 * with maskedBy, as the muon alias does). Needs the parameters for shapes.
 */
export function scaleByMuon(options: ScaleByMuonOptions = {}): GradientTransformation<ScaleByMuonState> {
  const owner = "scaleByMuon";
  const mu = checkInRange(owner, "momentum", options.momentum ?? 0.95, 0, 1, true);
  const nesterov = checkBoolean(owner, "nesterov", options.nesterov ?? true);
  const adjust = checkAdjustLr(owner, options.adjustLrFn ?? null);
  const config = newtonSchulzConfig(owner, options);
  let scratch = new Float64Array(0);
  return {
    name: owner,
    init: (params: Params) => {
      params.forEach((p, i) => matrixShape(owner, p.shape, i));
      return { mu: zerosForEach(owner, params) };
    },
    update(updates: Updates, state: ScaleByMuonState, params?: Params): ScaleByMuonState {
      const ps = requireParams(owner, params);
      checkLeaves(owner, updates, state.mu.length, ps);
      const shapes = ps.map((p, i) => matrixShape(owner, p.shape, i));
      updates.forEach((u, leaf) => {
        const b = state.mu[leaf];
        if (scratch.length < u.length) scratch = new Float64Array(u.length);
        for (let i = 0; i < u.length; i++) {
          const g = u[i];
          const bi = b[i] + (1 - mu) * (g - b[i]);
          b[i] = bi;
          scratch[i] = nesterov ? g + mu * (bi - g) : bi;
        }
        const [rows, cols] = shapes[leaf];
        newtonSchulz(scratch, rows, cols, config, u);
        const ratio = muonLrRatio(adjust, rows, cols);
        if (ratio !== 1) for (let i = 0; i < u.length; i++) u[i] *= ratio;
      });
      return state;
    },
  };
}
