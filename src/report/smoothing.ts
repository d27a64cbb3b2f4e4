// Curve helpers shared by the reports: smoothing noisy per-step losses and
// thinning long curves to a size a chart can draw.

/**
 * Exponential moving average with bias correction (as Adam's moments and
 * fastai's lr finder): `m_t = beta * m_{t-1} + (1 - beta) * x_t`,
 * `s_t = m_t / (1 - beta^t)`, so early values are not pulled towards 0.
 * Non-finite inputs give non-finite outputs from there on, which is what a
 * diverged run should show.
 */
export function smoothEma(values: readonly number[], beta: number): number[] {
  if (!(beta >= 0 && beta < 1)) throw new RangeError(`smoothEma: beta must be in [0, 1), got ${beta}`);
  const out = new Array<number>(values.length);
  let m = 0;
  let correction = 1;
  for (let t = 0; t < values.length; t++) {
    m = beta * m + (1 - beta) * values[t]!;
    correction *= beta;
    out[t] = m / (1 - correction);
  }
  return out;
}

/**
 * A smoothing factor for a curve of `n` points: an average over roughly
 * n/50 points (at least 1, beta at most 0.98), so curves of any length look
 * alike.
 */
export function betaForLength(n: number): number {
  const window = Math.max(1, n / 50);
  return Math.min(0.98, 1 - 1 / window);
}

/**
 * Every k-th element so that at most `max` remain, always keeping the last
 * one (a curve's end is what a reader compares).
 */
export function thin<T>(items: readonly T[], max: number): T[] {
  if (!(Number.isInteger(max) && max >= 2)) throw new RangeError(`thin: max must be an integer >= 2, got ${max}`);
  if (items.length <= max) return items.slice();
  const stride = Math.ceil((items.length - 1) / (max - 1));
  const out: T[] = [];
  for (let i = 0; i < items.length - 1; i += stride) out.push(items[i]!);
  out.push(items[items.length - 1]!);
  return out;
}
