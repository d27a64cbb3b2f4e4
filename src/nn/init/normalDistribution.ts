/**
 * The standard normal CDF and its inverse in double precision, for
 * truncNormal's inverse-CDF sampling.
 */

const LOG_SQRT_2PI = 0.9189385332046727; // log(sqrt(2 pi))

/**
 * Phi(x) = P(Z <= x). In the centre, Marsaglia's Taylor series
 * (J. Stat. Softw. 11(4), 2004): Phi(x) = 1/2 + phi(x) * sum x^(2n+1) / (1*3*...*(2n+1)),
 * absolute error near 1e-16; in the tails the continued fraction for
 * Mills' ratio, Phi(-t) = phi(t) / (t + 1/(t + 2/(t + 3/(t + ...)))), which
 * keeps relative accuracy where Phi underflows towards 0.
 */
export function normalCdf(x: number): number {
  if (Number.isNaN(x)) return NaN;
  if (x < -5) return millsTail(-x);
  if (x > 5) return 1 - millsTail(x);
  let s = x;
  let t = 0;
  let b = x;
  const q = x * x;
  for (let i = 1; s !== t; ) {
    t = s;
    i += 2;
    b *= q / i;
    s = t + b;
  }
  return 0.5 + s * Math.exp(-0.5 * q - LOG_SQRT_2PI);
}

/** P(Z > t) for t > 5 by the continued fraction, evaluated backwards. */
function millsTail(t: number): number {
  if (t === Infinity) return 0;
  let f = t;
  for (let k = 80; k >= 1; k--) f = t + k / f;
  return Math.exp(-0.5 * t * t - LOG_SQRT_2PI) / f;
}

// Acklam's rational approximations to the normal quantile (relative error < 1.15e-9).
const A = [-3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1, 2.506628277459239];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [-7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/**
 * Phi^-1(p), the standard normal quantile: Acklam's algorithm, then, in the
 * central region, one Halley step against `normalCdf` to full precision.
 * -Infinity at 0, Infinity at 1.
 */
export function normalQuantile(p: number): number {
  if (!(p >= 0 && p <= 1)) return NaN;
  if (p === 0) return -Infinity;
  if (p === 1) return Infinity;
  let x: number;
  if (p < P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p));
    x = (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  } else if (p <= 1 - P_LOW) {
    const q = p - 0.5;
    const r = q * q;
    x =
      ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
      (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1);
  } else {
    const q = Math.sqrt(-2 * Math.log(1 - p));
    x = -(((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) / ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
  }
  if (p >= P_LOW && p <= 1 - P_LOW) {
    // One Halley step where normalCdf is accurate and the density is not small.
    const u = (normalCdf(x) - p) * Math.sqrt(2 * Math.PI) * Math.exp(0.5 * x * x);
    x = x - u / (1 + 0.5 * x * u);
  }
  return x;
}
