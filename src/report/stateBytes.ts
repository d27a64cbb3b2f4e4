// How much memory an optimizer keeps besides the parameters: the bytes of
// the typed arrays in its state (momentum buffers, moment estimates, ...).

/** Sum of `byteLength` over the typed arrays anywhere in `state` (arrays and records are walked). */
export function typedArrayBytes(state: unknown, seen: Set<object> = new Set()): number {
  if (state === null || typeof state !== "object") return 0;
  if (ArrayBuffer.isView(state)) return state.byteLength;
  if (seen.has(state)) return 0;
  seen.add(state);
  let total = 0;
  const children: unknown[] = Array.isArray(state) ? state : Object.values(state as Record<string, unknown>);
  for (const child of children) total += typedArrayBytes(child, seen);
  return total;
}

/**
 * The bytes of optimizer state (`optimizer.stateDict().state`, torch's
 * layout), or 0 for an optimizer without a state dict. Scalars such as step
 * counts are not counted: they are the same few bytes for every optimizer.
 */
export function optimizerStateBytes(optimizer: object): number {
  const withState = optimizer as { stateDict?: () => { state?: unknown } };
  if (typeof withState.stateDict !== "function") return 0;
  return typedArrayBytes(withState.stateDict().state);
}
