// Helpers shared by the optimizer classes.
import type { FloatArray } from "../types.js";
import { checkBetas, checkBoolean, checkNonNegative } from "../validate.js";

/** The class defaults overridden by the options the user gave (undefined means "not given"). */
export function withDefaults<O extends object>(defaults: O, options: Partial<O> | undefined): O {
  const out = Object.assign({}, defaults) as Record<string, unknown>;
  for (const [key, value] of Object.entries(options ?? {})) if (value !== undefined) out[key] = value;
  return out as O;
}

/** A buffer like the parameter's data, filled with `value`. */
export function bufferLike(p: FloatArray, value = 0): FloatArray {
  const out = p instanceof Float64Array ? new Float64Array(p.length) : new Float32Array(p.length);
  if (value !== 0) out.fill(value);
  return out;
}

/** torch's checks for the Adam family: lr, eps, weightDecay >= 0, betas in [0, 1), maximize boolean when present. */
export function validateAdamFamily(owner: string, o: { lr: unknown; betas: unknown; eps: unknown; weightDecay: unknown; maximize?: unknown }): void {
  checkNonNegative(owner, "lr", o.lr);
  checkNonNegative(owner, "eps", o.eps);
  checkBetas(owner, o.betas);
  checkNonNegative(owner, "weightDecay", o.weightDecay);
  if (o.maximize !== undefined) checkBoolean(owner, "maximize", o.maximize);
}
