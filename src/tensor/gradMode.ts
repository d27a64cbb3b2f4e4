/**
 * Whether ops record the autograd graph. Ops read `isGradEnabled()`; the
 * user-facing `noGrad` / `enableGrad` in `autograd/` flip it.
 */
let enabled = true;

export function isGradEnabled(): boolean {
  return enabled;
}

/** Sets grad mode and returns the previous value (restore it in a finally). */
export function setGradEnabled(value: boolean): boolean {
  const previous = enabled;
  enabled = value;
  return previous;
}
