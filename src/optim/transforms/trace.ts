import type { GradientTransformation } from "../types.js";
import { scaleByMomentum, type TraceState } from "./scaleByMomentum.js";

/** Options of trace (optax's names). */
export interface TraceOptions {
  /** Decay of the trace (the momentum factor), default 0.9. */
  decay?: number;
  /** Use Nesterov momentum (default false). */
  nesterov?: boolean;
}

/**
 * optax.trace: `t ← g + decay·t` (t starts at 0), update `t`, or
 * `g + decay·t` with Nesterov. The same as `scaleByMomentum` without
 * dampening, under optax's name.
 */
export function trace(options: TraceOptions = {}): GradientTransformation<TraceState> {
  return scaleByMomentum({ momentum: options.decay ?? 0.9, nesterov: options.nesterov ?? false }, "trace");
}
