import { describe, type Schedule } from "./schedule.js";
import { checkFinite } from "./validate.js";

/**
 * Runs schedules one after another, matching optax's `join_schedules`: the
 * value is `schedules[0](t)` before `boundaries[0]`, then
 * `schedules[i](t - boundaries[i-1])` from `boundaries[i-1]` on: each later
 * schedule restarts its count at its boundary. Needs one boundary fewer than
 * schedules, in non-decreasing order.
 */
export function join(schedules: readonly Schedule[], boundaries: readonly number[]): Schedule {
  const fn = "join";
  if (!Array.isArray(schedules) || schedules.length === 0) {
    throw new TypeError(`${fn}: schedules must be a non-empty array of functions, got ${describe(schedules)}`);
  }
  schedules.forEach((s, i) => {
    if (typeof s !== "function") throw new TypeError(`${fn}: schedules[${i}] must be a function, got ${describe(s)}`);
  });
  if (!Array.isArray(boundaries) || boundaries.length !== schedules.length - 1) {
    throw new RangeError(
      `${fn}: expected ${schedules.length - 1} boundaries for ${schedules.length} schedules, got ${Array.isArray(boundaries) ? boundaries.length : describe(boundaries)}`,
    );
  }
  boundaries.forEach((b, i) => {
    checkFinite(fn, `boundaries[${i}]`, b);
    if (i > 0 && b < boundaries[i - 1]!) {
      throw new RangeError(`${fn}: boundaries must be non-decreasing, got ${boundaries[i - 1]} then ${b}`);
    }
  });
  const list = [...schedules];
  const bounds = [...boundaries];
  return (step) => {
    // The last boundary passed picks the schedule (later ones win, as in optax).
    let i = 0;
    while (i < bounds.length && step >= bounds[i]!) i++;
    return i === 0 ? list[0]!(step) : list[i]!(step - bounds[i - 1]!);
  };
}
