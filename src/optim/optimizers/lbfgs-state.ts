// The global state of L-BFGS and its checked loading. torch keeps it in the
// first parameter's slot; its lists (the curvature history) grow and shrink,
// so it cannot be checked against a fixed-shape template like the
// per-parameter state of the other optimizers.
import type { FloatArray } from "../types.js";

/**
 * L-BFGS state (torch's names in camelCase). Everything but the counters
 * is null until the first iteration has run (a step whose first gradient is
 * already small enough returns before iterating).
 */
export type LBFGSState = {
  /** Closure evaluations over all steps. */
  funcEvals: number;
  /** Iterations over all steps. */
  nIter: number;
  /** The last step length tried (the current direction's initial guess when iterating stopped on gtd). */
  t: number | null;
  /** Scale of the initial inverse Hessian, y·s / y·y of the newest pair (1 until one is kept). */
  hDiag: number | null;
  /** The loss at the start of the last iteration. */
  prevLoss: number | null;
  /** The last search direction, flat. */
  d: FloatArray | null;
  /** The gradient at the start of the last iteration, flat. */
  prevFlatGrad: FloatArray | null;
  /** Gradient differences y of the kept curvature pairs, oldest first. */
  oldDirs: FloatArray[] | null;
  /** Steps s = t·d of the kept curvature pairs, oldest first. */
  oldStps: FloatArray[] | null;
  /** 1 / (y·s) of each kept pair. */
  ro: number[] | null;
  /** Scratch of the two-loop recursion (torch keeps it in the state too); null until the second iteration. */
  al: (number | null)[] | null;
};

/** The state before any step. */
export function initialLbfgsState(): LBFGSState {
  return {
    funcEvals: 0,
    nIter: 0,
    t: null,
    hDiag: null,
    prevLoss: null,
    d: null,
    prevFlatGrad: null,
    oldDirs: null,
    oldStps: null,
    ro: null,
    al: null,
  };
}

const KEYS = Object.keys(initialLbfgsState());

function describe(x: unknown): string {
  if (x === null) return "null";
  if (ArrayBuffer.isView(x)) return `${x.constructor.name} of length ${(x as unknown as ArrayLike<number>).length}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return typeof x;
}

function isNumbers(x: unknown): x is ArrayLike<number> {
  if (x instanceof Float32Array || x instanceof Float64Array) return true;
  return Array.isArray(x) && x.every((v) => typeof v === "number");
}

/**
 * Checks a saved L-BFGS state and returns a private copy whose vectors are
 * typed arrays like `like` (the parameters' dtype) of `numel` elements.
 * Throws, naming `where` and the field, unless it has exactly the keys of
 * `LBFGSState`, non-negative integer counters, and either no iteration yet
 * (nIter 0, everything else null) or a complete history (numbers, vectors of
 * numel elements, as many steps and ro values as directions).
 */
export function loadLbfgsState(saved: unknown, numel: number, like: FloatArray, where: string): LBFGSState {
  if (typeof saved !== "object" || saved === null || Array.isArray(saved)) throw new Error(`${where}: expected a record, got ${describe(saved)}`);
  const rec = saved as Record<string, unknown>;
  const got = Object.keys(rec);
  if (KEYS.some((k) => !(k in rec)) || got.some((k) => !KEYS.includes(k))) {
    throw new Error(`${where}: expected keys [${KEYS.join(", ")}], got [${got.join(", ")}]`);
  }
  const counter = (key: string): number => {
    const v = rec[key];
    if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new Error(`${where}.${key}: expected an integer >= 0, got ${String(v)}`);
    return v;
  };
  const vector = (value: unknown, path: string): FloatArray => {
    if (!isNumbers(value) || value.length !== numel) throw new Error(`${where}.${path}: expected ${numel} numbers, got ${describe(value)}`);
    const out = like instanceof Float64Array ? new Float64Array(numel) : new Float32Array(numel);
    out.set(value);
    return out;
  };
  const scalar = (key: string): number => {
    const v = rec[key];
    if (typeof v !== "number") throw new Error(`${where}.${key}: expected a number, got ${describe(v)}`);
    return v;
  };
  const list = (key: string): unknown[] => {
    const v = rec[key];
    if (!Array.isArray(v)) throw new Error(`${where}.${key}: expected an array, got ${describe(v)}`);
    return v;
  };

  const funcEvals = counter("funcEvals");
  const nIter = counter("nIter");
  const history = ["t", "hDiag", "prevLoss", "d", "prevFlatGrad", "oldDirs", "oldStps", "ro"];
  if (nIter === 0) {
    for (const key of [...history, "al"]) {
      if (rec[key] !== null) throw new Error(`${where}.${key}: expected null while nIter is 0, got ${describe(rec[key])}`);
    }
    return { ...initialLbfgsState(), funcEvals };
  }
  const oldDirs = list("oldDirs").map((v, i) => vector(v, `oldDirs[${i}]`));
  const oldStps = list("oldStps").map((v, i) => vector(v, `oldStps[${i}]`));
  const ro = list("ro");
  if (oldStps.length !== oldDirs.length || ro.length !== oldDirs.length) {
    throw new Error(`${where}: oldDirs, oldStps and ro must have the same length, got ${oldDirs.length}, ${oldStps.length} and ${ro.length}`);
  }
  ro.forEach((v, i) => {
    if (typeof v !== "number") throw new Error(`${where}.ro[${i}]: expected a number, got ${describe(v)}`);
  });
  let al: (number | null)[] | null = null;
  if (rec.al !== null) {
    al = list("al").map((v, i) => {
      if (v !== null && typeof v !== "number") throw new Error(`${where}.al[${i}]: expected a number or null, got ${describe(v)}`);
      return v;
    });
  }
  return {
    funcEvals,
    nIter,
    t: scalar("t"),
    hDiag: scalar("hDiag"),
    prevLoss: scalar("prevLoss"),
    d: vector(rec.d, "d"),
    prevFlatGrad: vector(rec.prevFlatGrad, "prevFlatGrad"),
    oldDirs,
    oldStps,
    ro: ro as number[],
    al,
  };
}
