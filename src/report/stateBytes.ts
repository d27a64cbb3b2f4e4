// How much memory an optimizer keeps besides the parameters, for the
// "state" column of a comparison.
import { type MeasurableOptimizer, stateByteCount } from "../optim/stateBytes.js";

/**
 * Bytes of optimizer state (the typed arrays in `optimizer.stateDict()`, as
 * `nb.optim.stateByteCount` counts them: momentum buffers, moment
 * estimates, a wrapper's extra copies), or 0 for an optimizer without a
 * state dict. Scalars such as step counts are not counted.
 */
export function optimizerStateBytes(optimizer: object): number {
  const o = optimizer as Partial<MeasurableOptimizer>;
  return typeof o.stateDict === "function" ? stateByteCount(o as MeasurableOptimizer) : 0;
}
