// chain: composes transformations, and runs neighbouring elementwise ones in
// one pass over memory.
import type { TypedArray } from "../tensor/dtype.js";
import { checkLeaves } from "./base.js";
import type { FusedRule, GradientTransformation, Params, State, Updates } from "./types.js";

/**
 * Elements per tile of a fused pass: the buffers of one tile (updates,
 * parameters and a few state arrays) stay in L1/L2 cache while every link
 * of the run visits it, so the run costs one trip to main memory.
 */
const TILE = 1024;

/** A stretch of links run together: several fused ones, or a single other one. */
type Run = { readonly start: number; readonly end: number; readonly fused: boolean };

function planRuns(links: readonly GradientTransformation[]): Run[] {
  const runs: Run[] = [];
  let i = 0;
  while (i < links.length) {
    if (links[i].fused === undefined) {
      runs.push({ start: i, end: i + 1, fused: false });
      i++;
      continue;
    }
    let j = i + 1;
    // A link whose begin() reduces over the updates must see them as they are
    // after the links before it, so it opens a new run.
    while (j < links.length && links[j].fused !== undefined && links[j].fused?.readsUpdates !== true) j++;
    runs.push({ start: i, end: j, fused: true });
    i = j;
  }
  return runs;
}

/**
 * Composes transformations left to right (optax.chain): the updates pass
 * through each link in turn, and the state is the array of the links'
 * states. Neighbouring elementwise links (`fused` ones: scaling, moments,
 * weight decay, clipping by value, ...) run as one pass over memory, tile by
 * tile; a link that reduces over the updates (clipByGlobalNorm) adds one
 * reduction pass; other links (wrappers) run on their own.
 *
 * @example chain(clipByGlobalNorm(1), scaleByAdam(), scaleByLearningRate(1e-3))
 */
export function chain(...links: GradientTransformation[]): GradientTransformation<State[]> {
  const runs = planRuns(links);
  const rules: (FusedRule | undefined)[] = links.map((l) => l.fused);
  return {
    name: "chain",
    init(params: Params): State[] {
      return links.map((l) => l.init(params));
    },
    update(updates: Updates, state: State[], params?: Params): State[] {
      if (!Array.isArray(state) || state.length !== links.length) {
        const got = Array.isArray(state) ? state.length : typeof state;
        throw new Error(`chain: expected ${links.length} states, got ${got}; call init() first`);
      }
      checkLeaves("chain", updates, undefined, params);
      for (let k = 0; k < links.length; k++) {
        const rule = rules[k];
        if (rule !== undefined) checkLeaves(links[k].name, updates, rule.leafCount(state[k]), undefined);
      }
      for (const run of runs) {
        if (!run.fused) {
          state[run.start] = links[run.start].update(updates, state[run.start], params);
          continue;
        }
        for (let k = run.start; k < run.end; k++) rules[k]!.begin(state[k], updates, params);
        for (let leaf = 0; leaf < updates.length; leaf++) {
          const u = updates[leaf];
          const p: TypedArray | undefined = params?.[leaf].data;
          for (let lo = 0; lo < u.length; lo += TILE) {
            const hi = Math.min(lo + TILE, u.length);
            for (let k = run.start; k < run.end; k++) rules[k]!.apply(state[k], leaf, u, p, lo, hi);
          }
        }
      }
      return state;
    },
  };
}
