// The strong Wolfe line search of torch.optim.LBFGS (torch/optim/lbfgs.py,
// itself a port of minFunc's WolfeLineSearch via torch7's lswolfe.lua):
// bracketing by extrapolation, then zooming with safeguarded cubic
// interpolation. The control flow follows torch's step for step, because
// L-BFGS results depend on every branch taken.
import { dot, maxAbs } from "./lbfgs-flat.js";
import type { FloatArray } from "../types.js";

// Python's two-argument max / min, which torch's code uses on plain numbers:
// the first argument wins unless the second is strictly greater (smaller).
// Math.max / Math.min would differ when a NaN is involved.
function pyMax(a: number, b: number): number {
  return b > a ? b : a;
}
function pyMin(a: number, b: number): number {
  return b < a ? b : a;
}

/**
 * The minimiser of the cubic through (x1, f1) and (x2, f2) with slopes g1
 * and g2, clamped to `bounds` (default: the interval between x1 and x2).
 * With d1 = g1 + g2 − 3(f1 − f2)/(x1 − x2) and d2 = √(d1² − g1·g2), taking x2
 * as the larger point: x2 − (x2 − x1)·(g2 + d2 − d1)/(g2 − g1 + 2·d2). When
 * the cubic has no minimum (d1² < g1·g2) it returns the bounds' midpoint.
 */
export function cubicInterpolate(
  x1: number,
  f1: number,
  g1: number,
  x2: number,
  f2: number,
  g2: number,
  bounds?: readonly [number, number],
): number {
  const [lo, hi] = bounds ?? (x1 <= x2 ? [x1, x2] : [x2, x1]);
  const d1 = g1 + g2 - (3 * (f1 - f2)) / (x1 - x2);
  const d2Square = d1 * d1 - g1 * g2;
  if (d2Square >= 0) {
    const d2 = Math.sqrt(d2Square);
    const minPos = x1 <= x2 ? x2 - (x2 - x1) * ((g2 + d2 - d1) / (g2 - g1 + 2 * d2)) : x1 - (x1 - x2) * ((g1 + d2 - d1) / (g1 - g2 + 2 * d2));
    return pyMin(pyMax(minPos, lo), hi);
  }
  return (lo + hi) / 2;
}

/** The loss and flat gradient at a trial step. */
export interface LinePoint {
  loss: number;
  grad: FloatArray;
}

/** Where the line search stopped: the step `t`, its loss and gradient, and how many evaluations it made. */
export interface LineSearchResult extends LinePoint {
  t: number;
  evals: number;
}

export interface StrongWolfeOptions {
  /** Sufficient-decrease (Armijo) constant. */
  c1?: number;
  /** Curvature constant. */
  c2?: number;
  /** The search stops when the bracket, times max|d|, is narrower than this. */
  toleranceChange?: number;
  /** Evaluations after the first. */
  maxLs?: number;
}

/**
 * Searches along `d` from the current point (loss `f`, gradient `g`,
 * directional derivative `gtd = g·d < 0`) for a step t satisfying the
 * strong Wolfe conditions f(t) ≤ f + c1·t·gtd and |g(t)·d| ≤ −c2·gtd,
 * starting from `t`. `evaluate(t)` must return the loss and gradient at
 * x + t·d. Returns the best bracketed point, which may be t = 0 with `g`
 * itself when nothing better was found. Defaults are torch's: c1 1e-4,
 * c2 0.9, toleranceChange 1e-9, maxLs 25.
 */
export function strongWolfe(
  evaluate: (t: number) => LinePoint,
  d: FloatArray,
  t: number,
  f: number,
  g: FloatArray,
  gtd: number,
  { c1 = 1e-4, c2 = 0.9, toleranceChange = 1e-9, maxLs = 25 }: StrongWolfeOptions = {},
): LineSearchResult {
  const dNorm = maxAbs(d);
  let { loss: fNew, grad: gNew } = evaluate(t);
  let evals = 1;
  let gtdNew = dot(gNew, d);

  // Bracketing: extrapolate until the interval [tPrev, t] must contain a
  // point satisfying the conditions, or t itself satisfies them.
  let tPrev = 0;
  let fPrev = f;
  let gPrev = g;
  let gtdPrev = gtd;
  let done = false;
  let lsIter = 0;
  let bracket: number[] = [];
  let bracketF: number[] = [];
  let bracketG: FloatArray[] = [];
  let bracketGtd: number[] = [];
  while (lsIter < maxLs) {
    if (fNew > f + c1 * t * gtd || (lsIter > 1 && fNew >= fPrev)) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    if (Math.abs(gtdNew) <= -c2 * gtd) {
      bracket = [t];
      bracketF = [fNew];
      bracketG = [gNew];
      done = true;
      break;
    }
    if (gtdNew >= 0) {
      bracket = [tPrev, t];
      bracketF = [fPrev, fNew];
      bracketG = [gPrev, gNew];
      bracketGtd = [gtdPrev, gtdNew];
      break;
    }
    // Still descending: extrapolate, at least 1% past t and at most 10·t.
    const minStep = t + 0.01 * (t - tPrev);
    const maxStep = t * 10;
    const previous = t;
    t = cubicInterpolate(tPrev, fPrev, gtdPrev, t, fNew, gtdNew, [minStep, maxStep]);
    tPrev = previous;
    fPrev = fNew;
    gPrev = gNew;
    gtdPrev = gtdNew;
    ({ loss: fNew, grad: gNew } = evaluate(t));
    evals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;
  }
  if (lsIter === maxLs) {
    // Out of evaluations while still extrapolating; the zoom below will not
    // run, and the better of the start and the last trial is returned.
    bracket = [0, t];
    bracketF = [f, fNew];
    bracketG = [g, gNew];
  }

  // Zoom: shrink the bracket around a point satisfying the conditions.
  let insufficientProgress = false;
  let [low, high] = bracketF[0]! <= bracketF[bracketF.length - 1]! ? [0, 1] : [1, 0];
  while (!done && lsIter < maxLs) {
    if (Math.abs(bracket[1]! - bracket[0]!) * dNorm < toleranceChange) break;
    t = cubicInterpolate(bracket[0]!, bracketF[0]!, bracketGtd[0]!, bracket[1]!, bracketF[1]!, bracketGtd[1]!);

    // A trial very close to an end of the bracket makes little progress;
    // the second time in a row (or when it is at or past an end), move it
    // to 10% of the bracket's width inside the nearer end.
    const bMax = pyMax(bracket[0]!, bracket[1]!);
    const bMin = pyMin(bracket[0]!, bracket[1]!);
    const eps = 0.1 * (bMax - bMin);
    if (pyMin(bMax - t, t - bMin) < eps) {
      if (insufficientProgress || t >= bMax || t <= bMin) {
        t = Math.abs(t - bMax) < Math.abs(t - bMin) ? bMax - eps : bMin + eps;
        insufficientProgress = false;
      } else {
        insufficientProgress = true;
      }
    } else {
      insufficientProgress = false;
    }

    ({ loss: fNew, grad: gNew } = evaluate(t));
    evals += 1;
    gtdNew = dot(gNew, d);
    lsIter += 1;

    if (fNew > f + c1 * t * gtd || fNew >= bracketF[low]!) {
      // No sufficient decrease, or not below the low end: t becomes the high end.
      bracket[high] = t;
      bracketF[high] = fNew;
      bracketG[high] = gNew;
      bracketGtd[high] = gtdNew;
      [low, high] = bracketF[0]! <= bracketF[1]! ? [0, 1] : [1, 0];
    } else {
      if (Math.abs(gtdNew) <= -c2 * gtd) {
        done = true;
      } else if (gtdNew * (bracket[high]! - bracket[low]!) >= 0) {
        // The slope points away from the high end: the old low becomes the high end.
        bracket[high] = bracket[low]!;
        bracketF[high] = bracketF[low]!;
        bracketG[high] = bracketG[low]!;
        bracketGtd[high] = bracketGtd[low]!;
      }
      bracket[low] = t;
      bracketF[low] = fNew;
      bracketG[low] = gNew;
      bracketGtd[low] = gtdNew;
    }
  }

  return { t: bracket[low]!, loss: bracketF[low]!, grad: bracketG[low]!, evals };
}
