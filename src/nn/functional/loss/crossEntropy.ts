import { logSoftmax } from "../../../tensor/index.js";
import { allocate, isFloating } from "../../../tensor/dtype.js";
import { shapeToString } from "../../../tensor/shape.js";
import { Tensor } from "../../../tensor/tensor.js";
import { checkFloating, checkReduction, type Reduction } from "./reduction.js";

export interface NllLossOptions {
  /** Per-class rescaling weight, shape [C] (not differentiated). */
  weight?: Tensor | null;
  /** Target value whose positions contribute nothing and are not counted by "mean" (default -100). */
  ignoreIndex?: number;
  reduction?: Reduction;
}

export interface CrossEntropyOptions extends NllLossOptions {
  /** Mix e of the uniform distribution into the target (Szegedy et al., 2016), in [0, 1]. */
  labelSmoothing?: number;
}

const REDUCTIONS: readonly Reduction[] = ["mean", "sum", "none"];

/** The class dimension and the (outer, classes, inner) layout of an input of shape (C), (N, C) or (N, C, d1, ...). */
function layout(input: Tensor, op: string): { classDim: number; outer: number; classes: number; inner: number } {
  if (input.ndim === 0) throw new Error(`${op}: input must have a class dimension, got a 0-d tensor`);
  const classDim = input.ndim === 1 ? 0 : 1;
  const classes = input.shape[classDim]!;
  const outer = classDim === 0 ? 1 : input.shape[0]!;
  const inner = input.size / Math.max(outer * classes, 1);
  return { classDim, outer, classes, inner };
}

function checkWeight(weight: Tensor | null, classes: number, op: string): void {
  if (weight === null) return;
  checkFloating(weight, "weight", op);
  if (weight.ndim !== 1 || weight.shape[0] !== classes) {
    throw new Error(`${op}: weight must have shape [${classes}] (one per class), got ${shapeToString(weight.shape)}`);
  }
}

/** The target shape that goes with an input of class-index targets: the input's shape without the class dimension. */
function indexTargetShape(input: Tensor, classDim: number): number[] {
  return input.shape.filter((_, i) => i !== classDim);
}

/**
 * -sum_c logp[i, c] * K[i, c] per position, where K holds
 * (1 - e) w[t_i] [c == t_i] + (e / C) w[c] for rows that are kept, and 0 for
 * ignored rows; reduced with "mean" dividing by sum_i w[t_i] over kept rows.
 */
function indexTargetLoss(
  logp: Tensor,
  target: Tensor,
  options: CrossEntropyOptions,
  op: string,
): Tensor {
  const { classDim, outer, classes, inner } = layout(logp, op);
  const expected = indexTargetShape(logp, classDim);
  if (shapeToString(target.shape) !== shapeToString(expected)) {
    throw new Error(`${op}: class-index target must have shape ${shapeToString(expected)} for input ${shapeToString(logp.shape)}, got ${shapeToString(target.shape)}`);
  }
  const weight = options.weight ?? null;
  checkWeight(weight, classes, op);
  const ignoreIndex = options.ignoreIndex ?? -100;
  if (!Number.isInteger(ignoreIndex)) throw new TypeError(`${op}: ignoreIndex must be an integer, got ${ignoreIndex}`);
  const e = options.labelSmoothing ?? 0;
  const t = target.data as Int32Array;
  for (let i = 0; i < t.length; i++) {
    if (t[i] !== ignoreIndex && (t[i]! < 0 || t[i]! >= classes)) {
      throw new RangeError(`${op}: target ${t[i]} at position ${i} is out of range for ${classes} classes (ignoreIndex ${ignoreIndex})`);
    }
  }
  const w = (c: number): number => (weight === null ? 1 : weight.data[c]!);
  const k = allocate(logp.dtype, logp.size);
  let denominator = 0;
  for (let n = 0; n < outer; n++) {
    for (let r = 0; r < inner; r++) {
      const tc = t[n * inner + r]!;
      if (tc === ignoreIndex) continue;
      denominator += w(tc);
      for (let c = 0; c < classes; c++) {
        const at = (n * classes + c) * inner + r;
        k[at] = (e / classes) * w(c) + (c === tc ? (1 - e) * w(tc) : 0);
      }
    }
  }
  const perPosition = logp.mul(new Tensor(k, logp.shape)).sum(classDim).neg();
  const reduction = options.reduction ?? "mean";
  if (reduction === "none") return perPosition;
  const total = perPosition.sum();
  return reduction === "sum" ? total : total.div(denominator);
}

function checkCommon(input: Tensor, target: Tensor, options: CrossEntropyOptions, op: string): void {
  checkFloating(input, "input", op);
  if (!(target instanceof Tensor)) throw new TypeError(`${op}: target must be a Tensor`);
  checkReduction(options.reduction ?? "mean", REDUCTIONS, op);
  const e = options.labelSmoothing ?? 0;
  if (typeof e !== "number" || !(e >= 0 && e <= 1)) throw new RangeError(`${op}: labelSmoothing must be in [0, 1], got ${String(e)}`);
}

/**
 * Cross-entropy between logits and targets (torch.nn.functional.cross_entropy),
 * via a stable log-softmax over the class dimension (0 for an unbatched (C)
 * input, else 1; input (N, C, d1, ...)).
 *
 * Class-index targets (int32, the input's shape without C; 0-d when
 * unbatched): loss_i = (1 - e) * (-w[t_i] logp[i, t_i]) + (e/C) * (-sum_c w[c] logp[i, c]),
 * 0 for rows whose target is `ignoreIndex`; "mean" divides the sum by
 * sum_i w[t_i] over the kept rows (their count without `weight`).
 *
 * Probability targets (floating, the input's shape): with
 * t' = t (1 - e) + e/C, loss_i = -sum_c w[c] t'[i, c] logp[i, c]; "mean"
 * divides by the number of positions (N * d1 * ...). The target gets a gradient.
 */
export function crossEntropy(input: Tensor, target: Tensor, options: CrossEntropyOptions = {}): Tensor {
  const op = "crossEntropy";
  checkCommon(input, target, options, op);
  const { classDim } = layout(input, op);
  const logp = logSoftmax(input, classDim);
  if (!isFloating(target.dtype)) return indexTargetLoss(logp, target, options, op);
  return probabilityTargetLoss(logp, target, options, op);
}

function probabilityTargetLoss(logp: Tensor, target: Tensor, options: CrossEntropyOptions, op: string): Tensor {
  const { classDim, classes } = layout(logp, op);
  if (shapeToString(target.shape) !== shapeToString(logp.shape)) {
    throw new Error(`${op}: probability target must have the input's shape ${shapeToString(logp.shape)}, got ${shapeToString(target.shape)}`);
  }
  const weight = options.weight ?? null;
  checkWeight(weight, classes, op);
  const e = options.labelSmoothing ?? 0;
  const smoothed = e === 0 ? target : target.mul(1 - e).add(e / classes);
  let terms = logp.mul(smoothed);
  if (weight !== null) {
    const wShape = logp.shape.map((d, i) => (i === classDim ? d : 1)).slice(classDim);
    terms = terms.mul(weight.reshape(wShape));
  }
  const perPosition = terms.sum(classDim).neg();
  const reduction = options.reduction ?? "mean";
  if (reduction === "none") return perPosition;
  return reduction === "sum" ? perPosition.sum() : perPosition.mean();
}

/**
 * Negative log-likelihood of class-index targets given log-probabilities
 * (torch.nn.functional.nll_loss): loss_i = -w[t_i] input[i, t_i], shapes,
 * `ignoreIndex` and "mean" (divide by sum_i w[t_i]) as crossEntropy. The
 * input is used as given (not normalised).
 */
export function nllLoss(input: Tensor, target: Tensor, options: NllLossOptions = {}): Tensor {
  const op = "nllLoss";
  checkCommon(input, target, options, op);
  if (isFloating(target.dtype)) throw new TypeError(`${op}: target must hold int32 class indices, got ${target.dtype}`);
  return indexTargetLoss(input, target, { ...options, labelSmoothing: 0 }, op);
}
