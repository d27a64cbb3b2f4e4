// Recomputes BatchNorm running statistics for averaged weights, after
// torch.optim.swa_utils.update_bn.
import { noGrad } from "../../autograd/noGrad.js";
import { BatchNorm1d, BatchNorm2d } from "../../nn/layers/batchNorm.js";
import { Module } from "../../nn/module.js";
import { describe } from "../../schedules/schedule.js";
import { Tensor } from "../../tensor/tensor.js";

type BatchNormLayer = BatchNorm1d | BatchNorm2d;

/** The input of a batch: the batch itself, or the first element of an [input, target, ...] array. */
function inputOf(batch: unknown, index: number): Tensor {
  if (batch instanceof Tensor) return batch;
  if (Array.isArray(batch) && batch[0] instanceof Tensor) return batch[0];
  throw new TypeError(`updateBn: batch ${index} must be a Tensor or an array whose first element is the input Tensor, got ${describe(batch)}`);
}

/**
 * One pass over `loader` in train mode to recompute the running mean and
 * variance of every BatchNorm layer in `model` (torch's update_bn): the
 * statistics are reset and the momentum set to null for the pass, so each
 * layer ends with the average over the batches of the batch means and of
 * the unbiased batch variances. Used after averaging weights (SWA), whose
 * statistics no longer fit the averaged network. Each batch is a Tensor or
 * an array whose first element is the input. Momenta and each module's
 * train/eval mode are restored afterwards. A model without BatchNorm is
 * left alone and the loader is not read.
 */
export function updateBn(loader: Iterable<unknown>, model: Module): void {
  if (!(model instanceof Module)) throw new TypeError(`updateBn: expected a Module, got ${describe(model)}`);
  if (loader === null || typeof loader !== "object" || typeof (loader as Partial<Iterable<unknown>>)[Symbol.iterator] !== "function") {
    throw new TypeError(`updateBn: loader must be iterable (a DataLoader or an array of batches), got ${describe(loader)}`);
  }
  const layers = model.modules().filter((m): m is BatchNormLayer => m instanceof BatchNorm1d || m instanceof BatchNorm2d);
  if (layers.length === 0) return;
  const momenta = layers.map((bn) => bn.momentum);
  const modes = model.modules().map((m) => [m, m.training] as const);
  // momentum is fixed at construction; only this pass changes it, and puts it back.
  const setMomentum = (bn: BatchNormLayer, value: number | null): void => {
    (bn as { momentum: number | null }).momentum = value;
  };
  for (const bn of layers) bn.resetRunningStats();
  model.train();
  layers.forEach((bn) => setMomentum(bn, null));
  try {
    noGrad(() => {
      let index = 0;
      for (const batch of loader) {
        const forward = model.forward as (input: Tensor) => unknown;
        forward.call(model, inputOf(batch, index++));
      }
    });
  } finally {
    layers.forEach((bn, i) => setMomentum(bn, momenta[i] ?? null));
    for (const [m, training] of modes) m.training = training;
  }
}
