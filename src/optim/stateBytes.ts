// How much memory an optimizer's state takes, measured from its state dict.

/** What stateBytes needs of an optimizer: its state dict and its parameters (every nb.optim optimizer and wrapper). */
export interface MeasurableOptimizer {
  stateDict(): unknown;
  readonly paramGroups: readonly { readonly params: readonly { readonly data: ArrayLike<number> }[] }[];
}

/** Bytes in every typed array found under `value` (numbers, booleans and plain arrays of numbers count 0). */
function typedBytes(value: unknown, seen: Set<object>): number {
  if (ArrayBuffer.isView(value)) return value.byteLength;
  if (typeof value !== "object" || value === null || seen.has(value)) return 0;
  seen.add(value);
  let total = 0;
  for (const v of Array.isArray(value) ? value : Object.values(value)) total += typedBytes(v, seen);
  return total;
}

/**
 * Total bytes of optimizer state: the typed arrays in `opt.stateDict()`
 * (its per-parameter state and anything a wrapper adds, such as
 * Lookahead's slow weights), not counting the parameter groups' options.
 * State is created at a parameter's first step, so measure after a step.
 */
export function stateByteCount(opt: MeasurableOptimizer): number {
  const sd = opt.stateDict();
  if (typeof sd !== "object" || sd === null) return 0;
  const seen = new Set<object>();
  let total = 0;
  for (const [key, value] of Object.entries(sd)) if (key !== "paramGroups") total += typedBytes(value, seen);
  return total;
}

/**
 * Bytes of optimizer state per parameter element: `stateByteCount(opt)`
 * over the number of elements in all of its parameter groups. For float32
 * parameters after a step: SGD 0 (4 with momentum), Adam 8 (12 with
 * amsgrad), Adagrad 4, LowPrecisionAdam "bf16" 4 and "8bit" ≈ 2.
 * Transient buffers (SAM's copy of the weights during a step) are not state
 * and are not counted. 0 for an optimizer without parameters.
 */
export function stateBytes(opt: MeasurableOptimizer): number {
  let elements = 0;
  for (const group of opt.paramGroups) for (const p of group.params) elements += p.data.length;
  return elements === 0 ? 0 : stateByteCount(opt) / elements;
}
