import { join } from "./join.js";
import { describe, type Schedule } from "./schedule.js";
import { warmupCosineDecay, type WarmupCosineDecayOptions } from "./warmupCosineDecay.js";

/**
 * SGD with warm restarts (Loshchilov & Hutter, 2017), matching optax's
 * `sgdr_schedule`: one `warmupCosineDecay` cycle per entry, each lasting its
 * `decaySteps` (warmup included) and restarting its count where the previous
 * cycle ended. After the last cycle its end value is held.
 */
export function sgdr(cycles: readonly WarmupCosineDecayOptions[]): Schedule {
  if (!Array.isArray(cycles) || cycles.length === 0) {
    throw new TypeError(`sgdr: expected a non-empty array of warmupCosineDecay options, got ${describe(cycles)}`);
  }
  const schedules: Schedule[] = [];
  const boundaries: number[] = [];
  let start = 0;
  cycles.forEach((c, i) => {
    try {
      schedules.push(warmupCosineDecay(c));
    } catch (e) {
      throw new RangeError(`sgdr: cycle ${i}: ${(e as Error).message}`);
    }
    start += c.decaySteps;
    boundaries.push(start);
  });
  return join(schedules, boundaries.slice(0, -1));
}
