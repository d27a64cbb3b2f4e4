// nb.amp: mixed-precision training helpers (dynamic loss scaling).
export {
  GradScaler,
  type GradScalerOptions,
  type GradScalerState,
  type DisabledGradScalerState,
  type ScalableOptimizer,
} from "./gradScaler.js";
