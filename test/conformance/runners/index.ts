import type { Runner } from "../cases.js";
import { runClipping } from "./clipping.js";
import { runLrScheduler } from "./lrScheduler.js";
import { runNnFunction, runNnInitStats, runNnModule } from "./nn.js";
import { runOptimizer } from "./optimizer.js";

/** Runners by case `kind`; each lives in its own file. */
export const runners: Record<string, Runner> = {
  optimizer: runOptimizer,
  lr_scheduler: runLrScheduler,
  clip_grad_norm: runClipping,
  clip_grad_value: runClipping,
  module: runNnModule,
  functional: runNnFunction,
  loss: runNnFunction,
  init_stats: runNnInitStats,
};
