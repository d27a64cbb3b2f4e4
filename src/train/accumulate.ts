// One optimizer step over a group of batches: gradient accumulation, with
// clipping and loss scaling applied to the accumulated gradient.
import { backward } from "../autograd/backward.js";
import { clipGradNorm } from "../nn/utils/clipGradNorm.js";
import { mul } from "../tensor/ops/arithmetic.js";
import type { Tensor } from "../tensor/tensor.js";
import { type LossScaler, scaledOptimizer } from "./lossScaler.js";
import type { LossFn, StepOptimizer, TrainableModel } from "./types.js";

/** The batches of one optimizer step, as [input, target] pairs. */
export type BatchGroup = readonly (readonly [Tensor, Tensor])[];

/** Everything a step needs besides its batches. */
export interface StepContext {
  model: TrainableModel;
  optimizer: StepOptimizer;
  loss: LossFn;
  scaler?: LossScaler | undefined;
  /** Max global gradient norm, applied to the accumulated (and unscaled) gradient. */
  clipGradNorm?: number | undefined;
  /** The parameters clipping runs over. */
  params: readonly Tensor[];
  /** Called with a batch's non-finite loss (and its index in the group) when no scaler handles it; must throw. */
  onNonFinite(value: number, index: number): never;
}

/** Up to `k` next batches of `it` (fewer at the end of the epoch, none when it is exhausted). */
export function nextGroup(it: Iterator<Tensor[]>, k: number, toPair: (batch: Tensor[]) => [Tensor, Tensor]): [Tensor, Tensor][] {
  const group: [Tensor, Tensor][] = [];
  while (group.length < k) {
    const r = it.next();
    if (r.done === true) break;
    group.push(toPair(r.value));
  }
  return group;
}

/** Each batch's share of the group's samples: 1/k for k equal batches. */
function weightsOf(group: BatchGroup): number[] {
  const sizes = group.map(([x]) => x.shape[0] ?? 1);
  const total = sizes.reduce((a, b) => a + b, 0);
  return sizes.map((n) => n / total);
}

/**
 * Adds the gradient of the group's loss into the parameters' `.grad`:
 * backward of w_i * loss_i for each batch, where w_i = n_i / Σn is the
 * batch's share of the group's samples. For a mean-reduced loss the sum is
 * the gradient of the mean over all the group's samples, i.e. of one batch
 * k times larger; with equal batches w_i = 1/k, the usual loss / k. Only
 * one batch's activations are alive at a time. Returns the group's loss
 * (the same weighted mean).
 */
function accumulate(ctx: StepContext, group: BatchGroup, check: boolean): number {
  const weights = weightsOf(group);
  let total = 0;
  group.forEach(([x, y], i) => {
    const loss = ctx.loss(ctx.model.forward(x), y);
    const value = loss.item();
    if (check && ctx.scaler === undefined && !Number.isFinite(value)) ctx.onNonFinite(value, i);
    const w = weights[i]!;
    total += w * value;
    const weighted = w === 1 ? loss : mul(loss, w);
    backward(ctx.scaler ? ctx.scaler.scale(weighted) : weighted);
  });
  return total;
}

/** Clips the accumulated gradient (unscaled first when a scaler multiplied it). */
function clip(ctx: StepContext): void {
  if (ctx.clipGradNorm === undefined) return;
  if (ctx.scaler) {
    ctx.scaler.unscale(scaledOptimizer(ctx.optimizer));
    // Inf/NaN gradients are the scaler's to find and skip, as in torch's recipe.
    clipGradNorm(ctx.params, ctx.clipGradNorm, 2);
  } else {
    clipGradNorm(ctx.params, ctx.clipGradNorm, 2, { errorIfNonfinite: true });
  }
}

/**
 * One optimizer step over `group`: zeroGrad, accumulate the gradient of
 * every batch, clip, step (through the scaler when there is one, which then
 * updates its scale). A non-finite loss stops before the update (unless the
 * scaler handles it). Returns the group's loss.
 */
export function groupStep(ctx: StepContext, group: BatchGroup): number {
  if (ctx.optimizer.requiresClosure) return closureStep(ctx, group);
  ctx.optimizer.zeroGrad();
  const value = accumulate(ctx, group, true);
  clip(ctx);
  if (ctx.scaler) {
    ctx.scaler.step(scaledOptimizer(ctx.optimizer));
    ctx.scaler.update();
  } else {
    ctx.optimizer.step();
  }
  return value;
}

/** For optimizers that re-evaluate the loss (L-BFGS, SAM): the closure recomputes the group's loss and gradients. */
function closureStep(ctx: StepContext, group: BatchGroup): number {
  let first: number | undefined;
  ctx.optimizer.step(() => {
    ctx.optimizer.zeroGrad();
    const value = accumulate(ctx, group, first === undefined);
    first ??= value;
    clip(ctx);
    return value;
  });
  return first ?? NaN;
}
