// Building blocks shared by every transformation: reading hyperparameters,
// allocating state like a parameter, checking leaf counts, the elementwise
// constructor, identity and applyUpdates.
import type { TypedArray } from "../tensor/dtype.js";
import type { FloatArray, FusedRule, GradientTransformation, Hyper, Params, State, Updates } from "./types.js";

/** The value of a hyperparameter at step `count`: the number itself, or the schedule at `count`. */
export function hyperAt(h: Hyper, count: number): number {
  return typeof h === "number" ? h : h(count);
}

/** The parameter's values, refusing integer tensors (only floating parameters are optimized). */
export function floatData(owner: string, param: { readonly data: TypedArray }, index: number): FloatArray {
  const d = param.data;
  if (d instanceof Float32Array || d instanceof Float64Array) return d;
  throw new TypeError(`${owner}: parameter ${index} is not floating (int32); only float32 and float64 parameters can be optimized`);
}

/** A zero buffer of the same length and float type as `data` (int32 data gets float32). */
export function zerosLike(data: TypedArray): FloatArray {
  return data instanceof Float64Array ? new Float64Array(data.length) : new Float32Array(data.length);
}

/** One zero buffer per parameter, typed like it. */
export function zerosForEach(owner: string, params: Params): FloatArray[] {
  return params.map((p, i) => zerosLike(floatData(owner, p, i)));
}

/**
 * Throws unless `updates` has `count` leaves (any number when undefined)
 * and, when given, `params` has as many with the same lengths. Runs before
 * any work, so a failing update changes nothing.
 */
export function checkLeaves(owner: string, updates: Updates, count: number | undefined, params?: Params): void {
  if (count !== undefined && updates.length !== count) {
    throw new Error(`${owner}: got ${updates.length} update buffers but the state was initialized for ${count}; call init() with the same parameters`);
  }
  if (params === undefined) return;
  if (params.length !== updates.length) throw new Error(`${owner}: got ${params.length} parameters for ${updates.length} update buffers`);
  for (let i = 0; i < updates.length; i++) {
    if (params[i].data.length !== updates[i].length) {
      throw new Error(`${owner}: update ${i} has ${updates[i].length} elements but parameter ${i} has ${params[i].data.length}`);
    }
  }
}

/** Throws when a transformation that reads the parameters was called without them. */
export function requireParams(owner: string, params: Params | undefined): Params {
  if (params === undefined) throw new Error(`${owner}: this transformation needs the parameters; pass them to update(updates, state, params)`);
  return params;
}

/**
 * An elementwise transformation from its per-step and per-element parts:
 * `update` runs `begin` once and `apply` over each whole leaf, and `chain`
 * can interleave `apply` with its neighbours' in one pass over memory.
 */
export function elementwise<S extends State>(
  name: string,
  init: (params: Params) => S,
  rule: FusedRule<S>,
): GradientTransformation<S> {
  return {
    name,
    init,
    fused: rule,
    update(updates: Updates, state: S, params?: Params): S {
      checkLeaves(name, updates, rule.leafCount(state), params);
      rule.begin(state, updates, params);
      for (let i = 0; i < updates.length; i++) rule.apply(state, i, updates[i], params?.[i].data, 0, updates[i].length);
      return state;
    },
  };
}

/** State of a transformation that only keeps the number of leaves (to check calls against). */
export type LeafCountState = { readonly leaves: number };

/** A stateless elementwise transformation. */
export function stateless(
  name: string,
  rule: Omit<FusedRule<LeafCountState>, "leafCount">,
): GradientTransformation<LeafCountState> {
  return elementwise(name, (params) => ({ leaves: params.length }), { ...rule, leafCount: (s) => s.leaves });
}

/** Leaves the updates unchanged (optax.identity). */
export function identity(): GradientTransformation<LeafCountState> {
  return stateless("identity", { begin() {}, apply() {} });
}

/**
 * Adds each update to its parameter in place: `p += u` (optax.apply_updates).
 * The sign convention is the transformations' job: `scaleByLearningRate`
 * already negated the step. Checks every length before changing anything.
 */
export function applyUpdates(params: Params, updates: Updates): void {
  checkLeaves("applyUpdates", updates, params.length, params);
  for (let k = 0; k < params.length; k++) {
    const p = floatData("applyUpdates", params[k], k);
    const u = updates[k];
    for (let i = 0; i < p.length; i++) p[i] += u[i];
  }
}
