/**
 * A learning-rate (or any hyperparameter) schedule: a pure function of the
 * step count, as in optax (`optax.Schedule`). Steps count optimizer updates
 * from 0; the same step always gives the same value.
 */
export type Schedule = (step: number) => number;

/** A fixed value or a schedule, as accepted wherever a learning rate can vary. */
export type ScheduleLike = number | Schedule;

/** Turns a number into a constant schedule and returns a schedule as it is. */
export function asSchedule(value: ScheduleLike): Schedule {
  if (typeof value === "function") return value;
  if (typeof value !== "number" || Number.isNaN(value)) {
    throw new TypeError(`asSchedule: expected a number or a function of the step, got ${describe(value)}`);
  }
  return () => value;
}

/** Short description of a value for error messages. */
export function describe(value: unknown): string {
  if (typeof value === "number") return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (value === null) return "null";
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  return typeof value;
}
