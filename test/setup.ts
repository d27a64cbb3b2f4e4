// Property tests explore random inputs on every local run; under CI they use
// a fixed seed (FC_SEED to override), so a submission is judged on the same
// inputs every time. A failure prints its seed and counterexample to replay.
import fc from "fast-check";

if (process.env.CI || process.env.FC_SEED) {
  fc.configureGlobal({ seed: Number(process.env.FC_SEED ?? 20261129) });
}
