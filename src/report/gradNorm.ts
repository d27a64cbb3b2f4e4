// The global gradient norm of every step, measured between backward and the
// update by wrapping the optimizer that `fit` drives.
import type { Tensor } from "../tensor/tensor.js";
import type { StepOptimizer } from "../train/types.js";

/**
 * The L2 norm of all gradients taken together, `sqrt(sum_p sum_i g_pi^2)`
 * (the norm `clipGradNorm` clips), accumulated in float64. Parameters
 * without a gradient count as zero.
 */
export function globalGradNorm(params: readonly Tensor[]): number {
  let sum = 0;
  for (const p of params) {
    const g = p.grad?.data;
    if (g === undefined) continue;
    for (let i = 0; i < g.length; i++) sum += g[i]! * g[i]!;
  }
  return Math.sqrt(sum);
}

/**
 * A `StepOptimizer` that forwards to `inner` and, at each `step()`,
 * first records the global norm of the gradients the step is about to
 * use. Measuring here rather than after the step does not depend on
 * whether an optimizer leaves the gradients as they were. The time spent
 * measuring is kept in `overheadMs` so that timings can leave it out.
 */
export class GradNormProbe implements StepOptimizer {
  lastNorm = NaN;
  overheadMs = 0;

  constructor(
    readonly inner: StepOptimizer,
    private readonly params: readonly Tensor[],
  ) {}

  get paramGroups(): StepOptimizer["paramGroups"] {
    return this.inner.paramGroups;
  }

  zeroGrad(options?: { setToNone?: boolean }): void {
    this.inner.zeroGrad(options);
  }

  step(): unknown {
    const start = performance.now();
    this.lastNorm = globalGradNorm(this.params);
    this.overheadMs += performance.now() - start;
    return this.inner.step();
  }
}
