// Shared checkers for hyperparameters. Each throws a TypeError for a value of
// the wrong type and a RangeError for one out of range, prefixed with the
// owner and carrying the value: "Adam: betas[0] must be in [0, 1), got 1.2".

function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}

/** A number (NaN is caught by the range checks that follow). */
export function checkNumber(owner: string, name: string, value: unknown): number {
  if (typeof value !== "number") throw new TypeError(`${owner}: ${name} must be a number, got ${show(value)}`);
  return value;
}

/** value >= 0 (NaN fails). */
export function checkNonNegative(owner: string, name: string, value: unknown): number {
  const v = checkNumber(owner, name, value);
  if (!(v >= 0)) throw new RangeError(`${owner}: ${name} must be >= 0, got ${show(v)}`);
  return v;
}

/** value > 0 (NaN fails). */
export function checkPositive(owner: string, name: string, value: unknown): number {
  const v = checkNumber(owner, name, value);
  if (!(v > 0)) throw new RangeError(`${owner}: ${name} must be > 0, got ${show(v)}`);
  return v;
}

/** A finite number. */
export function checkFinite(owner: string, name: string, value: unknown): number {
  const v = checkNumber(owner, name, value);
  if (!Number.isFinite(v)) throw new RangeError(`${owner}: ${name} must be finite, got ${show(v)}`);
  return v;
}

/** lo <= value < hi, or lo <= value <= hi with `closed`. */
export function checkInRange(owner: string, name: string, value: unknown, lo: number, hi: number, closed = false): number {
  const v = checkNumber(owner, name, value);
  if (!(v >= lo && (closed ? v <= hi : v < hi))) {
    throw new RangeError(`${owner}: ${name} must be in [${lo}, ${hi}${closed ? "]" : ")"}, got ${show(v)}`);
  }
  return v;
}

/** An integer >= min. */
export function checkInteger(owner: string, name: string, value: unknown, min: number): number {
  const v = checkNumber(owner, name, value);
  if (!Number.isInteger(v) || v < min) throw new RangeError(`${owner}: ${name} must be an integer >= ${min}, got ${show(v)}`);
  return v;
}

/** A boolean (no truthy stand-ins). */
export function checkBoolean(owner: string, name: string, value: unknown): boolean {
  if (typeof value !== "boolean") throw new TypeError(`${owner}: ${name} must be a boolean, got ${show(value)}`);
  return value;
}

/** A pair of numbers such as `betas` or `etas`. */
export function checkPair(owner: string, name: string, value: unknown): readonly [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || typeof value[0] !== "number" || typeof value[1] !== "number") {
    throw new TypeError(`${owner}: ${name} must be a pair of numbers, got ${show(value)}`);
  }
  return [value[0], value[1]];
}

/** Adam-family betas: each in [0, 1). */
export function checkBetas(owner: string, value: unknown): readonly [number, number] {
  const [b1, b2] = checkPair(owner, "betas", value);
  checkInRange(owner, "betas[0]", b1, 0, 1);
  checkInRange(owner, "betas[1]", b2, 0, 1);
  return [b1, b2];
}

/** A number or a schedule function (step -> value). */
export function checkHyper(owner: string, name: string, value: unknown): void {
  if (typeof value === "function") return;
  checkNumber(owner, name, value);
}
