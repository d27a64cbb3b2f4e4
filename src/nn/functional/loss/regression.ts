import { abs, where, lt } from "../../../tensor/index.js";
import { record, Tensor } from "../../../tensor/tensor.js";
import { allocate } from "../../../tensor/dtype.js";
import { checkFloating, checkReduction, checkSameShape, reduce, type Reduction } from "./reduction.js";

/** The reduction option shared by the losses. */
export interface ReductionOptions {
  reduction?: Reduction;
}

const REDUCTIONS: readonly Reduction[] = ["mean", "sum", "none"];

function prepare(input: Tensor, target: Tensor, options: ReductionOptions | undefined, op: string): Reduction {
  checkFloating(input, "input", op);
  checkFloating(target, "target", op);
  checkSameShape(input, target, op);
  const reduction = options?.reduction ?? "mean";
  checkReduction(reduction, REDUCTIONS, op);
  return reduction;
}

/** Mean squared error (x - t)^2, reduced (torch.nn.functional.mse_loss). */
export function mseLoss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const reduction = prepare(input, target, options, "mseLoss");
  const d = input.sub(target);
  return reduce(d.mul(d), reduction);
}

/** Mean absolute error |x - t|, reduced; the gradient is 0 where x == t (torch.nn.functional.l1_loss). */
export function l1Loss(input: Tensor, target: Tensor, options?: ReductionOptions): Tensor {
  const reduction = prepare(input, target, options, "l1Loss");
  return reduce(abs(input.sub(target)), reduction);
}

/** 0.5 d^2 where |d| < delta, else delta (|d| - delta/2): the elementwise Huber loss. */
function huberElementwise(d: Tensor, delta: number): Tensor {
  const absd = abs(d);
  return where(lt(absd, delta), d.mul(d).mul(0.5), absd.sub(0.5 * delta).mul(delta));
}

export interface HuberLossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1). */
  delta?: number;
}

/**
 * Huber loss (Huber, 1964; torch.nn.functional.huber_loss): with d = x - t,
 * 0.5 d^2 if |d| < delta else delta (|d| - 0.5 delta); the linear branch is
 * taken at |d| == delta, where both branches agree in value and slope.
 */
export function huberLoss(input: Tensor, target: Tensor, options: HuberLossOptions = {}): Tensor {
  const reduction = prepare(input, target, options, "huberLoss");
  const delta = options.delta ?? 1;
  if (typeof delta !== "number" || !(delta > 0)) throw new RangeError(`huberLoss: delta must be positive, got ${String(delta)}`);
  return reduce(huberElementwise(input.sub(target), delta), reduction);
}

export interface SmoothL1LossOptions extends ReductionOptions {
  /** Where the loss turns from quadratic to linear (default 1; 0 gives L1). */
  beta?: number;
}

/**
 * Smooth L1 loss (Girshick, 2015; torch.nn.functional.smooth_l1_loss):
 * huberLoss with delta = beta divided by beta, i.e. 0.5 d^2 / beta if
 * |d| < beta else |d| - 0.5 beta. With beta = 0 it is |d|, and where
 * x == t both x and t get gradient -1, as torch 1.13's kernel (which tests
 * d <= -beta first, for the target with the operands swapped).
 */
export function smoothL1Loss(input: Tensor, target: Tensor, options: SmoothL1LossOptions = {}): Tensor {
  const reduction = prepare(input, target, options, "smoothL1Loss");
  const beta = options.beta ?? 1;
  if (typeof beta !== "number" || !(beta >= 0)) throw new RangeError(`smoothL1Loss: beta must be non-negative, got ${String(beta)}`);
  if (beta > 0) return reduce(huberElementwise(input.sub(target), beta).div(beta), reduction);
  return reduce(absWithTorchTies(input, target), reduction);
}

/**
 * |x - t| whose gradient is sign(d) for x and -sign(d) for t, except that
 * at d == 0 both get -1 (smooth_l1 with beta = 0 in torch 1.13). The
 * gradient is piecewise constant, so the backward is a product with fixed signs.
 */
function absWithTorchTies(input: Tensor, target: Tensor): Tensor {
  const n = input.size;
  const values = allocate(input.dtype === "float64" || target.dtype === "float64" ? "float64" : "float32", n);
  const sInput = allocate(values instanceof Float64Array ? "float64" : "float32", n);
  const sTarget = allocate(values instanceof Float64Array ? "float64" : "float32", n);
  for (let i = 0; i < n; i++) {
    const d = input.data[i]! - target.data[i]!;
    values[i] = Math.abs(d);
    sInput[i] = d > 0 ? 1 : -1;
    sTarget[i] = d < 0 ? 1 : -1;
  }
  const out = new Tensor(values, input.shape);
  const si = new Tensor(sInput, input.shape);
  const st = new Tensor(sTarget, input.shape);
  return record(out, "smoothL1Beta0", [input, target], (g) => [g.mul(si), g.mul(st)]);
}
