import type { Schedule } from "./schedule.js";
import { checkFinite } from "./validate.js";

/**
 * The same value at every step: `value(t) = value`. Matches optax's
 * `constant_schedule`. Accepts the value or `{ value }`.
 */
export function constant(value: number | { value: number }): Schedule {
  const v = checkFinite("constant", "value", typeof value === "object" && value !== null ? value.value : value);
  return () => v;
}
