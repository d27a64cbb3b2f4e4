// Timing helpers shared by the benchmarks: contenders are measured in
// rounds, interleaved (each round runs every contender once), and reported
// by their median, so that a burst of load on a shared machine hits all of
// them alike rather than one.

/** Rounds per measurement (BENCH_ROUNDS overrides). */
export const ROUNDS = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 5));
/** Least time one contender runs per round, in ms (BENCH_MIN_MS overrides). */
export const MIN_MS = Math.max(1, Number(process.env.BENCH_MIN_MS ?? 150));

/** Runs `fn` repeatedly for at least `minMs` (and at least once); returns ns per call. */
export function batchNs(fn: () => void, minMs = MIN_MS): number {
  let reps = 0;
  const t0 = performance.now();
  let t = t0;
  do {
    fn();
    reps++;
    t = performance.now();
  } while (t - t0 < minMs);
  return ((t - t0) * 1e6) / reps;
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** A contender's result: a median, or why it has none. */
export type Outcome = { value: number } | { missing: string };

/** A contender set up for one cell: `run` measures one round (ns per call). */
export interface Runner {
  run(): Promise<number> | number;
  dispose?(): void;
}

/**
 * Measures every runner for `rounds` rounds, interleaved, and returns each
 * one's median ns per call (or the reason it is missing).
 */
export async function interleave(runners: readonly (Runner | string)[], rounds = ROUNDS): Promise<Outcome[]> {
  const samples: number[][] = runners.map(() => []);
  const failures: (string | null)[] = runners.map((r) => (typeof r === "string" ? r : null));
  for (let round = 0; round < rounds; round++) {
    for (let i = 0; i < runners.length; i++) {
      const r = runners[i]!;
      if (typeof r === "string" || failures[i] !== null) continue;
      try {
        samples[i]!.push(await r.run());
      } catch (e) {
        failures[i] = `failed: ${(e as Error).message}`;
      }
    }
  }
  for (const r of runners) if (typeof r !== "string") r.dispose?.();
  return runners.map((_, i) => (failures[i] !== null ? { missing: failures[i]! } : { value: median(samples[i]!) }));
}

/** Formats a number with `digits` significant figures (at least the units). */
export function fmt(x: number, digits = 3): string {
  if (!Number.isFinite(x)) return String(x);
  const d = Math.max(0, digits - 1 - Math.floor(Math.log10(Math.abs(x) || 1)));
  return x.toFixed(Math.min(d, 4));
}
