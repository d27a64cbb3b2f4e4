import type { Tensor } from "../tensor/tensor.js";
import type { StepOptimizer } from "./types.js";

/** An optimizer as a loss scaler sees it: its gradients are in its groups' params. */
export type ScaledOptimizer = StepOptimizer & { readonly paramGroups: readonly { lr: number; readonly params: readonly Tensor[] }[] };

/**
 * What `fit` needs of a dynamic loss scaler: nb.amp.GradScaler has it (the
 * methods of torch.amp.GradScaler in camelCase). Per optimizer step `fit`
 * calls `scale(loss)` before each backward, `unscale(optimizer)` before
 * clipping, then `step(optimizer)` (which skips the update when the
 * gradients hold Inf or NaN) and `update()` (which backs the scale off or
 * grows it).
 */
export interface LossScaler {
  scale(loss: Tensor): Tensor;
  unscale(optimizer: ScaledOptimizer): void;
  step(optimizer: ScaledOptimizer): unknown;
  update(): void;
  getScale(): number;
  stateDict(): unknown;
  loadStateDict(state: unknown): void;
}

/** The optimizer, checked to expose its parameters to a scaler. */
export function scaledOptimizer(optimizer: StepOptimizer): ScaledOptimizer {
  const ok = optimizer.paramGroups.every((g) => Array.isArray((g as { params?: unknown }).params));
  if (!ok) throw new TypeError("fit: gradScaler needs an optimizer whose paramGroups list their params (as every nb.optim optimizer)");
  return optimizer as ScaledOptimizer;
}
