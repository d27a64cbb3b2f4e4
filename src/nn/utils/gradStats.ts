import { Tensor } from "../../tensor/tensor.js";
import { pNorm } from "./clipGradNorm.js";

/** Named parameters: `[name, tensor]` pairs (e.g. `module.namedParameters()`), a Map or a record. */
export type NamedParams = Iterable<readonly [string, Tensor]> | ReadonlyMap<string, Tensor> | Readonly<Record<string, Tensor>>;

/** Copies of the weights by name, from `snapshotWeights` (or any arrays of the right length). */
export type WeightSnapshot = Readonly<Record<string, ArrayLike<number>>> | ReadonlyMap<string, ArrayLike<number>>;

/** Statistics of one parameter. */
export interface ParamGradStats {
  name: string;
  shape: number[];
  size: number;
  /** L2 norm of the gradient; null when the parameter has none. */
  gradNorm: number | null;
  /** Largest gradient magnitude; null when there is no gradient. */
  gradMaxAbs: number | null;
  /** Gradient elements that are NaN or infinite. */
  gradNonfinite: number;
  /** L2 norm of the weights now. */
  weightNorm: number;
  /** L2 norm of the change since the snapshot; null without one. */
  updateNorm: number | null;
  /**
   * updateNorm / (L2 norm of the snapshot): about 1e-3 is healthy for SGD-like
   * training (much smaller: learning stalls, much larger: it is unstable).
   * Null without a snapshot, or when the old weights were all zero but moved.
   */
  updateRatio: number | null;
}

/** What `gradStats` returns: plain data, ready to log or plot. */
export interface GradStats {
  params: ParamGradStats[];
  /** L2 norm of all gradients together (the norm clipGradNorm would clip). */
  totalGradNorm: number;
  totalWeightNorm: number;
  /** Gradient elements that are NaN or infinite, over all parameters. */
  nonfiniteGrads: number;
}

function entriesOf(fn: string, named: NamedParams): [string, Tensor][] {
  if (named === null || typeof named !== "object") throw new TypeError(`${fn}: expected named parameters, got ${String(named)}`);
  const list: [string, Tensor][] =
    typeof (named as Iterable<unknown>)[Symbol.iterator] === "function"
      ? [...(named as Iterable<readonly [string, Tensor]>)].map((e) => [e[0], e[1]])
      : Object.entries(named as Record<string, Tensor>);
  for (const [name, t] of list) {
    if (typeof name !== "string") throw new TypeError(`${fn}: parameter names must be strings, got ${typeof name}`);
    if (!(t instanceof Tensor)) throw new TypeError(`${fn}: parameter "${name}" is not a Tensor`);
  }
  return list;
}

/** Copies of the current weights, by name, to pass later as `previousWeights`. */
export function snapshotWeights(namedParams: NamedParams): Record<string, Float64Array> {
  const out: Record<string, Float64Array> = {};
  for (const [name, t] of entriesOf("snapshotWeights", namedParams)) out[name] = Float64Array.from(t.data);
  return out;
}

/**
 * Per-parameter gradient and weight statistics for spotting vanishing or
 * exploding gradients: gradient L2 norm and largest magnitude, count of
 * non-finite gradient elements, weight norm and, given the weights before
 * the optimizer step (`snapshotWeights`), the update norm
 * `||w - w_prev||` and the update/weight ratio `||w - w_prev|| / ||w_prev||`
 * (the diagnostic of Karpathy's "A Recipe for Training Neural Networks").
 * Reads the tensors only; returns plain data.
 */
export function gradStats(namedParams: NamedParams, options: { previousWeights?: WeightSnapshot } = {}): GradStats {
  const fn = "gradStats";
  const entries = entriesOf(fn, namedParams);
  const prev = options.previousWeights;
  const prevOf = (name: string): ArrayLike<number> | undefined =>
    prev === undefined ? undefined : prev instanceof Map ? prev.get(name) : (prev as Record<string, ArrayLike<number>>)[name];
  // Check the snapshot before computing anything.
  for (const [name, t] of entries) {
    const old = prevOf(name);
    if (old !== undefined && old.length !== t.size) {
      throw new RangeError(`${fn}: previousWeights["${name}"] has ${old.length} values, the parameter has ${t.size}`);
    }
  }
  let gradSq = 0;
  let weightSq = 0;
  let nonfiniteGrads = 0;
  const params = entries.map(([name, t]): ParamGradStats => {
    const g = t.grad;
    let gradNorm: number | null = null;
    let gradMaxAbs: number | null = null;
    let gradNonfinite = 0;
    if (g !== null) {
      for (let i = 0; i < g.data.length; i++) if (!Number.isFinite(g.data[i]!)) gradNonfinite++;
      gradNorm = pNorm(g.data, 2);
      gradMaxAbs = pNorm(g.data, Infinity);
      gradSq += gradNorm * gradNorm;
      nonfiniteGrads += gradNonfinite;
    }
    const weightNorm = pNorm(t.data, 2);
    weightSq += weightNorm * weightNorm;
    let updateNorm: number | null = null;
    let updateRatio: number | null = null;
    const old = prevOf(name);
    if (old !== undefined) {
      let du = 0;
      let w0 = 0;
      for (let i = 0; i < t.data.length; i++) {
        const d = t.data[i]! - old[i]!;
        du += d * d;
        w0 += old[i]! * old[i]!;
      }
      updateNorm = Math.sqrt(du);
      updateRatio = w0 > 0 ? updateNorm / Math.sqrt(w0) : updateNorm === 0 ? 0 : null;
    }
    return { name, shape: [...t.shape], size: t.size, gradNorm, gradMaxAbs, gradNonfinite, weightNorm, updateNorm, updateRatio };
  });
  return { params, totalGradNorm: Math.sqrt(gradSq), totalWeightNorm: Math.sqrt(weightSq), nonfiniteGrads };
}
