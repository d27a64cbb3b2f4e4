// Reductions beyond sum and mean (those live in reduce.ts, which the core
// imports). One concept per file; reduce-helpers.ts is private to them.
export * from "./reduce-extrema.js";
export * from "./reduce-prod.js";
export * from "./reduce-moments.js";
export * from "./reduce-logsumexp.js";
export * from "./reduce-norm.js";
export * from "./reduce-cumsum.js";
