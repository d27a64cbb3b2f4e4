// What the wrapper optimizers (SAM, Lookahead) need of the optimizer they wrap.
import type { Tensor } from "../../tensor/tensor.js";
import type { Closure, GroupOptions, OptimizerStateDict, ParamGroup } from "../optimizer.js";

/** Any nb.optim optimizer (or one shaped like it): its groups, step, zeroGrad and state dict. */
export interface InnerOptimizer {
  readonly paramGroups: ParamGroup<GroupOptions>[];
  step(closure?: Closure): number | undefined;
  zeroGrad(options?: { setToNone?: boolean }): void;
  stateDict(): OptimizerStateDict;
  loadStateDict(sd: OptimizerStateDict): void;
  readonly requiresClosure?: boolean;
  train?(): void;
  eval?(): void;
}

/** Every parameter of the groups, in order. */
export function allParams(groups: readonly { params: readonly Tensor[] }[]): Tensor[] {
  return groups.flatMap((g) => g.params);
}

/** Throws a TypeError unless `opt` looks like an optimizer (paramGroups, step, zeroGrad, stateDict, loadStateDict). */
export function checkInner(owner: string, opt: unknown): InnerOptimizer {
  const o = opt as Partial<InnerOptimizer> | null;
  const ok =
    typeof o === "object" &&
    o !== null &&
    Array.isArray(o.paramGroups) &&
    typeof o.step === "function" &&
    typeof o.zeroGrad === "function" &&
    typeof o.stateDict === "function" &&
    typeof o.loadStateDict === "function";
  if (!ok) throw new TypeError(`${owner}: expected an optimizer to wrap (e.g. new nb.optim.SGD(params)), got ${o === null ? "null" : typeof o}`);
  return o as InnerOptimizer;
}
