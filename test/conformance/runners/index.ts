import type { Runner } from "../cases.js";

/** Runners by case `kind`; each lives in its own file. */
export const runners: Record<string, Runner> = {};
