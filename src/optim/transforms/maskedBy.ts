import type { FloatArray, GradientTransformation, ParamView, Params, State, Updates } from "../types.js";

/** maskedBy's state: which leaves the inner transformation sees, and its state for them. */
export type MaskedState = { leaves: number; selected: Int32Array; inner: State };

/** Which leaves to transform: one boolean per parameter, or a predicate on each. */
export type Mask = readonly boolean[] | ((param: ParamView, index: number) => boolean);

/**
 * Runs `inner` on the leaves the mask selects and passes the others through
 * unchanged (optax.masked). The usual use is weight decay on weights only:
 * `maskedBy(addDecayedWeights(0.01), (p) => p.shape.length > 1)` leaves
 * biases and norm scales undecayed. The selection is fixed at init and kept
 * in the state.
 */
export function maskedBy(inner: GradientTransformation, mask: Mask): GradientTransformation<MaskedState> {
  const subUpdates: FloatArray[] = [];
  const subParams: ParamView[] = [];
  return {
    name: "maskedBy",
    init(params: Params): MaskedState {
      if (typeof mask !== "function" && mask.length !== params.length) {
        throw new Error(`maskedBy: the mask has ${mask.length} entries but there are ${params.length} parameters`);
      }
      const picked: number[] = [];
      params.forEach((p, i) => {
        if (typeof mask === "function" ? mask(p, i) : mask[i]) picked.push(i);
      });
      return { leaves: params.length, selected: Int32Array.from(picked), inner: inner.init(picked.map((i) => params[i])) };
    },
    update(updates: Updates, state: MaskedState, params?: Params): MaskedState {
      if (updates.length !== state.leaves) {
        throw new Error(`maskedBy: got ${updates.length} update buffers but the state was initialized for ${state.leaves}`);
      }
      const sel = state.selected;
      subUpdates.length = sel.length;
      subParams.length = params === undefined ? 0 : sel.length;
      for (let k = 0; k < sel.length; k++) {
        subUpdates[k] = updates[sel[k]];
        if (params !== undefined) subParams[k] = params[sel[k]];
      }
      state.inner = inner.update(subUpdates, state.inner, params === undefined ? undefined : subParams);
      return state;
    },
  };
}
