// A stateful optimizer from any gradient transformation.
import type { Tensor } from "../tensor/tensor.js";
import { zerosLike } from "./base.js";
import { Optimizer, type Closure, type ParamGroup, type ParamsInput } from "./optimizer.js";
import type { FloatArray, GradientTransformation, State } from "./types.js";
import { checkNumber } from "./validate.js";

/** fromTransform's group options: `lr` multiplies the transformation's output (default 1). */
export type TransformOptions = { lr: number };

/**
 * A stateful optimizer running a gradient transformation: at each step,
 * for each group, the gradients are copied into update buffers, the
 * transformation rewrites them, and `p ← p + lr·u` is applied, where `lr` is
 * the group's (1 unless given; an lrScheduler can drive it when the
 * transformation's own learning rate is 1). Unlike the paramwise optimizers,
 * the transformation sees a whole group at once, so global operations such
 * as clipByGlobalNorm work; its state is kept in the slot of the group's
 * first parameter (as torch keeps L-BFGS's). A group none of whose
 * parameters has a gradient is skipped; within a group a missing gradient
 * counts as zero (optax has no missing gradients).
 */
export class TransformOptimizer extends Optimizer<TransformOptions, State> {
  private readonly buffers = new Map<ParamGroup<TransformOptions>, FloatArray[]>();

  constructor(
    params: ParamsInput<TransformOptions>,
    readonly transformation: GradientTransformation,
    options: Partial<TransformOptions> = {},
  ) {
    super(`fromTransform(${transformation.name})`, params, { lr: options.lr ?? 1 });
  }

  protected validateOptions(o: TransformOptions): void {
    checkNumber(this.name, "lr", o.lr);
  }

  protected stateTemplate(param: Tensor, group: ParamGroup<TransformOptions>): State | undefined {
    return group.params[0] === param ? this.transformation.init(group.params) : undefined;
  }

  /** Update buffers for a group, allocated once and reused. */
  private buffersFor(group: ParamGroup<TransformOptions>): FloatArray[] {
    let b = this.buffers.get(group);
    if (b === undefined || b.length !== group.params.length) {
      b = group.params.map((p) => zerosLike(p.data));
      this.buffers.set(group, b);
    }
    return b;
  }

  step(closure?: Closure): number | undefined {
    const loss = closure === undefined ? undefined : this.evaluateClosure(closure);
    this.checkGradients();
    for (const group of this.paramGroups) {
      if (group.params.every((p) => p.grad === null)) continue;
      const updates = this.buffersFor(group);
      group.params.forEach((p, i) => {
        if (p.grad === null) updates[i].fill(0);
        else updates[i].set(p.grad.data);
      });
      const first = group.params[0];
      const state = this.state.get(first) ?? this.transformation.init(group.params);
      this.state.set(first, this.transformation.update(updates, state, group.params));
      const lr = group.lr;
      group.params.forEach((param, k) => {
        const p = param.data as FloatArray;
        const u = updates[k];
        for (let i = 0; i < p.length; i++) p[i] += lr * u[i];
      });
    }
    this.stepCount += 1;
    return loss;
  }
}

/**
 * Builds a stateful optimizer (step, zeroGrad, paramGroups, stateDict) from
 * any gradient transformation, e.g.
 * `fromTransform(model.parameters(), chain(clipByGlobalNorm(1), adamw(1e-3)))`.
 * `options.lr` (default 1) multiplies the updates: leave the
 * transformation's learning rate at 1 to drive it with an lrScheduler.
 */
export function fromTransform(
  params: ParamsInput<TransformOptions>,
  transformation: GradientTransformation,
  options: Partial<TransformOptions> = {},
): TransformOptimizer {
  return new TransformOptimizer(params, transformation, options);
}
