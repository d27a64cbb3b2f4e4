/** Argument parsing shared by conv2d and the pooling ops. */

/** A size given once for both spatial dimensions or as [height, width]. */
export type IntPair = number | readonly [number, number];

/**
 * Resolves an int-or-pair argument to [h, w], checking both are integers
 * >= `min`; names the op and the argument in the error.
 */
export function intPair(value: IntPair, name: string, op: string, min: number): [number, number] {
  const pair: readonly number[] = typeof value === "number" ? [value, value] : value;
  if (!Array.isArray(pair) || pair.length !== 2 || !pair.every((v) => Number.isInteger(v) && v >= min)) {
    const shown = Array.isArray(value) ? `[${value.join(",")}]` : String(value);
    throw new RangeError(`${op}: ${name} must be an integer >= ${min} or a pair of them, got ${shown}`);
  }
  return [pair[0]!, pair[1]!];
}
