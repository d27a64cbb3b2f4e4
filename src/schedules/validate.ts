// Option checks shared by the schedules and the lr schedulers. Each throws
// before anything is built, naming the function, the option and the value.
import { describe } from "./schedule.js";

/** The options object itself: a plain object (not null, not an array). */
export function checkOptions<T extends object>(fn: string, options: T | undefined | null): T {
  if (options === undefined || options === null || typeof options !== "object" || Array.isArray(options)) {
    throw new TypeError(`${fn}: expected an options object, got ${describe(options)}`);
  }
  return options;
}

/** A finite number. */
export function checkFinite(fn: string, name: string, value: unknown): number {
  if (typeof value !== "number") throw new TypeError(`${fn}: ${name} must be a number, got ${describe(value)}`);
  if (!Number.isFinite(value)) throw new RangeError(`${fn}: ${name} must be finite, got ${value}`);
  return value;
}

/** A finite number > 0. */
export function checkPositive(fn: string, name: string, value: unknown): number {
  const v = checkFinite(fn, name, value);
  if (!(v > 0)) throw new RangeError(`${fn}: ${name} must be > 0, got ${v}`);
  return v;
}

/** A finite number >= 0. */
export function checkNonNegative(fn: string, name: string, value: unknown): number {
  const v = checkFinite(fn, name, value);
  if (!(v >= 0)) throw new RangeError(`${fn}: ${name} must be >= 0, got ${v}`);
  return v;
}

/** An integer >= `min`. */
export function checkInteger(fn: string, name: string, value: unknown, min: number): number {
  const v = checkFinite(fn, name, value);
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${fn}: ${name} must be an integer >= ${min}, got ${v}`);
  return v;
}

/** A finite number in [lo, hi] (an end is open when its flag says so). */
export function checkInRange(
  fn: string,
  name: string,
  value: unknown,
  lo: number,
  hi: number,
  open: { lo?: boolean; hi?: boolean } = {},
): number {
  const v = checkFinite(fn, name, value);
  const okLo = open.lo ? v > lo : v >= lo;
  const okHi = open.hi ? v < hi : v <= hi;
  if (!okLo || !okHi) {
    throw new RangeError(`${fn}: ${name} must be in ${open.lo ? "(" : "["}${lo}, ${hi}${open.hi ? ")" : "]"}, got ${v}`);
  }
  return v;
}

/** One of a fixed set of strings. */
export function checkOneOf<T extends string>(fn: string, name: string, value: unknown, allowed: readonly T[]): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
    throw new RangeError(`${fn}: ${name} must be one of ${allowed.map((a) => `"${a}"`).join(", ")}, got ${describe(value)}`);
  }
  return value as T;
}

/** A boolean. */
export function checkBoolean(fn: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new TypeError(`${fn}: ${name} must be a boolean, got ${describe(value)}`);
  return value;
}

/** A function (a schedule, a scale function, an lr lambda). */
export function checkFunction<F>(fn: string, name: string, value: F): F {
  if (typeof value !== "function") throw new TypeError(`${fn}: ${name} must be a function, got ${describe(value)}`);
  return value;
}
