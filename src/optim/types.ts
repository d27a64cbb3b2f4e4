// The vocabulary of the functional (optax-style) layer: parameters, update
// buffers, plain-data state, schedules and the transformation interface.
import type { TypedArray } from "../tensor/dtype.js";

/** The floating typed arrays that parameters, gradients and update buffers use. */
export type FloatArray = Float32Array | Float64Array;

/** What a transformation needs of a parameter: its values and shape. A `Tensor` is one. */
export type ParamView = { readonly data: TypedArray; readonly shape: readonly number[] };

/** The parameters a transformation runs over, in a fixed order. */
export type Params = readonly ParamView[];

/**
 * One buffer per parameter, same order and lengths. Transformations rewrite
 * the buffers in place: gradients go in, parameter deltas come out.
 */
export type Updates = readonly FloatArray[];

/** A leaf of transformation state. Numbers are doubles (step counts, products of scalars). */
export type StateLeaf = number | boolean | null | FloatArray | Int32Array;

/**
 * Transformation and optimizer state: plain data only (numbers, booleans,
 * typed arrays, arrays and records of them), so that a checkpoint is a walk
 * over it and restores exactly.
 */
export type State = StateLeaf | readonly State[] | { readonly [key: string]: State };

/** A schedule maps the step count (from 0) to a value, e.g. a learning rate. */
export type Schedule = (step: number) => number;

/** A hyperparameter given as a constant or as a schedule of the step count. */
export type Hyper = number | Schedule;

/**
 * A gradient transformation (optax's GradientTransformation): `init` builds
 * the state for some parameters; `update` rewrites `updates` in place, may
 * mutate the buffers and counters inside `state`, and returns the state the
 * caller must use from then on (the same object for every built-in one).
 * `applyUpdates(params, updates)` then adds the result to the parameters.
 */
export interface GradientTransformation<S extends State = State> {
  /** Names the transformation in error messages. */
  readonly name: string;
  init(params: Params): S;
  update(updates: Updates, state: S, params?: Params): S;
  /**
   * Present on elementwise transformations: the same update split in a
   * per-step part and a per-element part, so that `chain` can run several of
   * them in one pass over memory.
   */
  readonly fused?: FusedRule<S>;
}

/**
 * The elementwise form of a transformation. Running `begin` once and then
 * `apply` over every element range of every leaf must equal `update`.
 */
export interface FusedRule<S extends State = State> {
  /**
   * True when `begin` reads `updates` (a reduction, such as a global norm):
   * `chain` then starts a new pass at this link so that `begin` sees the
   * updates as they are when the link's turn comes.
   */
  readonly readsUpdates?: boolean;
  /** The number of leaves the state was built for (undefined: it works for any number). */
  leafCount(state: S): number | undefined;
  /** Per-step work done once: advance counters, compute scalars, reduce. */
  begin(state: S, updates: Updates, params: Params | undefined): void;
  /** Rewrites `u[lo..hi)` of leaf `leaf` in place (`p` is that leaf's parameter values). */
  apply(state: S, leaf: number, u: FloatArray, p: TypedArray | undefined, lo: number, hi: number): void;
}
