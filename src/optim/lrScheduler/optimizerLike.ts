// What a scheduler needs from an optimizer: its param groups, whose `lr`
// (and `momentum` or `betas[0]`) it rewrites. nb.optim's optimizers have
// exactly this shape; a plain object works too.
import { describe } from "../../schedules/schedule.js";
import { checkFinite } from "../../schedules/validate.js";

/** One param group as a scheduler sees it. */
export interface ParamGroupLike {
  lr: number;
  momentum?: number;
  // Read-only here: a scheduler replaces the array rather than writing into it.
  betas?: readonly number[];
  /** The lr the first scheduler found (torch's `initial_lr`); schedulers write it. */
  initialLr?: number;
}

/** Anything with PyTorch-style param groups. */
export interface OptimizerLike {
  paramGroups: ParamGroupLike[];
}

/** Throws unless `optimizer` has a non-empty `paramGroups` array whose every lr is a finite number. */
export function checkOptimizer(fn: string, optimizer: OptimizerLike): void {
  if (typeof optimizer !== "object" || optimizer === null || !Array.isArray(optimizer.paramGroups)) {
    throw new TypeError(`${fn}: expected an optimizer with a paramGroups array, got ${describe(optimizer)}`);
  }
  if (optimizer.paramGroups.length === 0) throw new RangeError(`${fn}: the optimizer has no param groups`);
  optimizer.paramGroups.forEach((g, i) => {
    if (typeof g !== "object" || g === null) throw new TypeError(`${fn}: paramGroups[${i}] is not an object`);
    checkFinite(fn, `paramGroups[${i}].lr`, g.lr);
  });
}

/**
 * One value per group, as torch's `_format_param`: a number is repeated, an
 * array must have one finite entry per group.
 */
export function perGroup(fn: string, name: string, value: number | readonly number[], groups: number): number[] {
  if (Array.isArray(value)) {
    if (value.length !== groups) throw new RangeError(`${fn}: expected ${groups} values for ${name} (one per param group), got ${value.length}`);
    return value.map((v, i) => checkFinite(fn, `${name}[${i}]`, v));
  }
  const v = checkFinite(fn, name, value);
  return new Array<number>(groups).fill(v);
}

/** Which group field holds the momentum a scheduler cycles. */
export type MomentumField = "momentum" | "betas";

/**
 * `betas` (its first entry, as Adam's beta1) when every group has betas,
 * else `momentum` when every group has one: torch's OneCycleLR rule.
 */
export function momentumField(fn: string, optimizer: OptimizerLike): MomentumField {
  const groups = optimizer.paramGroups;
  if (groups.every((g) => Array.isArray(g.betas) && g.betas.length >= 1)) return "betas";
  if (groups.every((g) => typeof g.momentum === "number")) return "momentum";
  throw new Error(
    `${fn}: cycleMomentum needs param groups that all have a momentum or all have betas (e.g. SGD or Adam); pass cycleMomentum: false to cycle only the lr`,
  );
}

/** Writes a cycled momentum into a group; betas get a fresh array. */
export function writeMomentum(group: ParamGroupLike, field: MomentumField, value: number): void {
  if (field === "betas") group.betas = [value, ...group.betas!.slice(1)];
  else group.momentum = value;
}
