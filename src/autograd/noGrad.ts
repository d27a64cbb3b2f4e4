import { isGradEnabled, setGradEnabled } from "../tensor/gradMode.js";

/**
 * Runs `fn` without recording the autograd graph (torch.no_grad): results
 * do not require grad and hold no reference to their inputs. Synchronous:
 * the previous mode is restored when `fn` returns or throws.
 */
export function noGrad<T>(fn: () => T): T {
  const previous = setGradEnabled(false);
  try {
    return fn();
  } finally {
    setGradEnabled(previous);
  }
}

/** Runs `fn` with recording on, even inside `noGrad` (torch.enable_grad). */
export function enableGrad<T>(fn: () => T): T {
  const previous = setGradEnabled(true);
  try {
    return fn();
  } finally {
    setGradEnabled(previous);
  }
}

export { isGradEnabled, setGradEnabled };
