// The stateful, PyTorch-style optimizer: parameter groups with per-group
// options, per-parameter state, zeroGrad, and exact state-dict round trips.
import { enableGrad } from "../autograd/noGrad.js";
import { isFloating } from "../tensor/dtype.js";
import { shapeToString } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { cloneState, copyMatching } from "./stateTree.js";
import type { FloatArray, State } from "./types.js";

/** Options every parameter group has; each optimizer's option type adds its own. */
export type GroupOptions = { lr: number; [option: string]: unknown };

/**
 * A parameter group: its tensors and its options (the optimizer's defaults
 * overridden by the group's own). Schedulers write `lr` (and `momentum` or
 * `betas`) here; the optimizer reads them at every step.
 */
export type ParamGroup<O extends GroupOptions = GroupOptions> = O & { params: Tensor[] };

/** A group as given to a constructor or addParamGroup: tensors plus any options to override. */
export type ParamGroupInput<O extends GroupOptions = GroupOptions> = Partial<O> & { params: Iterable<Tensor> };

/** Tensors (one group) or a list of groups. */
export type ParamsInput<O extends GroupOptions = GroupOptions> = Iterable<Tensor> | readonly ParamGroupInput<O>[];

/** What `step(closure)` calls: re-evaluates the model, sets the gradients, returns the loss. */
export type Closure = () => number | Tensor;

/** A group in a state dict: its options and the positions of its parameters. */
export type SavedGroup = { params: number[]; [option: string]: unknown };

/**
 * An optimizer's state as plain data: per-parameter state keyed by the
 * parameter's position (counting through the groups in order), and the
 * groups' options (torch.optim's state_dict layout, camelCase keys).
 */
export interface OptimizerStateDict {
  state: Record<number, State>;
  paramGroups: SavedGroup[];
}

/** A copy of an option value: arrays (betas, etas) are copied, the rest shared. */
function copyOption(value: unknown): unknown {
  return Array.isArray(value) ? value.map(copyOption) : value;
}

/** The options of a group (everything but `params`), copied. */
function optionsOf(group: object): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(group)) if (key !== "params" && value !== undefined) out[key] = copyOption(value);
  return out;
}

function isGroupList<O extends GroupOptions>(items: readonly unknown[]): items is readonly ParamGroupInput<O>[] {
  return items.length > 0 && !(items[0] instanceof Tensor);
}

function listParams(owner: string, params: unknown, where: string): Tensor[] {
  if (params instanceof Set) {
    throw new TypeError(`${owner}: ${where} params must be an ordered list, not a Set (its order can change between runs)`);
  }
  if (params === null || typeof params !== "object" || !(Symbol.iterator in params)) {
    throw new TypeError(`${owner}: ${where} params must be an array of tensors, got ${String(params)}`);
  }
  const list = [...(params as Iterable<unknown>)];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${owner}: ${where} params[${i}] is not a Tensor`);
    if (!isFloating(p.dtype)) throw new TypeError(`${owner}: ${where} params[${i}] has dtype ${p.dtype}; only floating tensors can be optimized`);
    if (!p.isLeaf) throw new Error(`${owner}: ${where} params[${i}] is not a leaf tensor (computed by ${p.gradFn?.name}); optimize the tensors it was computed from`);
  });
  return list as Tensor[];
}

/**
 * Base of the stateful optimizers (torch.optim.Optimizer). It holds the
 * parameter groups and the per-parameter state and implements everything
 * but the update rule: `addParamGroup`, `zeroGrad`, and `stateDict` /
 * `loadStateDict`, which round-trip exactly and validate everything before
 * changing anything. Subclasses give `step`, the option checks and the
 * shape of their state.
 */
export abstract class Optimizer<O extends GroupOptions = GroupOptions, S extends State = State> {
  /** The options each group starts from. */
  readonly defaults: Readonly<O>;
  readonly paramGroups: ParamGroup<O>[] = [];
  /** Per-parameter state, created at a parameter's first update. */
  readonly state = new Map<Tensor, S>();
  /** Completed `step()` calls (read by schedulers to check call order). */
  stepCount = 0;

  protected constructor(
    /** The class name, prefixed to error messages. */
    readonly name: string,
    params: ParamsInput<O>,
    defaults: O,
  ) {
    this.validateOptions(defaults);
    this.defaults = Object.freeze(optionsOf(defaults) as O);
    const items: readonly unknown[] = [...(params as Iterable<unknown>)];
    if (items.length === 0) throw new Error(`${name}: got an empty parameter list`);
    const groups: readonly ParamGroupInput<O>[] = isGroupList<O>(items) ? items : [{ params: items as Tensor[] } as unknown as ParamGroupInput<O>];
    for (const group of groups) this.addParamGroup(group);
  }

  /** Throws (RangeError / TypeError naming the option and value) unless `options` are valid. */
  protected abstract validateOptions(options: O): void;

  /**
   * The state this optimizer would hold for `param` in `group` before any
   * step, against which loaded state is checked (undefined: none expected).
   */
  protected abstract stateTemplate(param: Tensor, group: ParamGroup<O>): S | undefined;

  /**
   * Performs one optimization step over every parameter that has a
   * gradient. With a closure, calls it first (with gradient recording on)
   * and returns its loss.
   */
  abstract step(closure?: Closure): number | undefined;

  /** Calls `closure` with recording on and returns its loss as a number. */
  protected evaluateClosure(closure: Closure): number {
    const loss = enableGrad(closure);
    return loss instanceof Tensor ? loss.item() : loss;
  }

  /**
   * Adds a group of parameters, with options overriding the defaults
   * (torch's add_param_group). Rejects empty groups, non-floating or
   * non-leaf tensors and tensors already in a group; a failing call changes
   * nothing.
   */
  addParamGroup(group: ParamGroupInput<O>): void {
    const where = `param group ${this.paramGroups.length}`;
    if (group === null || typeof group !== "object") throw new TypeError(`${this.name}: ${where} must be an object with params`);
    const params = listParams(this.name, group.params, where);
    if (params.length === 0) throw new Error(`${this.name}: ${where} has no parameters`);
    const seen = new Set<Tensor>();
    for (const g of this.paramGroups) for (const p of g.params) seen.add(p);
    for (const p of params) {
      if (seen.has(p)) throw new Error(`${this.name}: some parameters appear in more than one parameter group`);
      seen.add(p);
    }
    const merged = { ...optionsOf(this.defaults), ...optionsOf(group), params } as ParamGroup<O>;
    this.validateOptions(merged);
    this.paramGroups.push(merged);
  }

  /**
   * Clears the gradients of every parameter: sets them to null (default,
   * as torch ≥ 2.0) or fills them with zeros.
   */
  zeroGrad({ setToNone = true }: { setToNone?: boolean } = {}): void {
    for (const group of this.paramGroups) {
      for (const p of group.params) {
        if (setToNone) p.grad = null;
        else p.grad?.data.fill(0);
      }
    }
  }

  /** Throws unless every present gradient is floating and shaped like its parameter. */
  protected checkGradients(): void {
    for (let gi = 0; gi < this.paramGroups.length; gi++) {
      const params = this.paramGroups[gi].params;
      for (let pi = 0; pi < params.length; pi++) {
        const p = params[pi];
        const grad = p.grad;
        if (grad === null) continue;
        if (grad.data.length !== p.data.length || grad.dtype === "int32") this.badGradient(p, grad, gi, pi);
      }
    }
  }

  private badGradient(p: Tensor, grad: Tensor, gi: number, pi: number): never {
    if (!isFloating(grad.dtype)) throw new TypeError(`${this.name}: the gradient of parameter ${pi} of group ${gi} has dtype ${grad.dtype}`);
    throw new Error(
      `${this.name}: parameter ${pi} of group ${gi} has shape ${shapeToString(p.shape)} but its gradient has shape ${shapeToString(grad.shape)}`,
    );
  }

  /** The state and options as plain data, copied (nothing shared with the optimizer). */
  stateDict(): OptimizerStateDict {
    const position = new Map<Tensor, number>();
    const paramGroups = this.paramGroups.map((group) => ({
      ...optionsOf(group),
      params: group.params.map((p) => {
        position.set(p, position.size);
        return position.size - 1;
      }),
    })) as SavedGroup[];
    const state: Record<number, State> = {};
    for (const [p, s] of this.state) {
      const i = position.get(p);
      if (i !== undefined) state[i] = cloneState(s);
    }
    return { state, paramGroups };
  }

  /**
   * Restores a `stateDict()`: the groups' options and every parameter's
   * state, mapped by position onto this optimizer's parameters (which must
   * be grouped the same way). Everything is checked first (group count and
   * sizes, options, state keys and buffer lengths); on any mismatch it
   * throws and changes nothing. Buffers are copied, so later steps do not
   * alter `sd`; plain number arrays (from JSON) are accepted for buffers.
   */
  loadStateDict(sd: OptimizerStateDict): void {
    const owner = `${this.name}.loadStateDict`;
    if (sd === null || typeof sd !== "object" || !Array.isArray(sd.paramGroups) || sd.state === null || typeof sd.state !== "object") {
      throw new TypeError(`${owner}: expected { state, paramGroups }`);
    }
    if (sd.paramGroups.length !== this.paramGroups.length) {
      throw new Error(`${owner}: the saved state has ${sd.paramGroups.length} parameter groups, this optimizer has ${this.paramGroups.length}`);
    }
    const byPosition = new Map<number, { param: Tensor; group: ParamGroup<O> }>();
    const newGroups = this.paramGroups.map((group, gi) => {
      const saved = sd.paramGroups[gi];
      if (!Array.isArray(saved?.params) || saved.params.length !== group.params.length) {
        throw new Error(`${owner}: group ${gi} has ${group.params.length} parameters, the saved group has ${Array.isArray(saved?.params) ? saved.params.length : "none"}`);
      }
      for (const key of Object.keys(this.defaults)) {
        if (!(key in saved)) throw new Error(`${owner}: saved group ${gi} is missing option "${key}"`);
      }
      const next = { ...optionsOf(saved), params: group.params } as ParamGroup<O>;
      this.validateOptions(next);
      saved.params.forEach((pos, k) => byPosition.set(pos, { param: group.params[k], group: next }));
      return next;
    });
    const newState = new Map<Tensor, S>();
    for (const key of Object.keys(sd.state)) {
      const target = byPosition.get(Number(key));
      if (target === undefined) throw new Error(`${owner}: saved state for parameter ${key}, which no saved group lists`);
      const template = this.stateTemplate(target.param, target.group);
      if (template === undefined) throw new Error(`${owner}: saved state for parameter ${key}, which keeps no state of its own`);
      const where = `${owner}: state[${key}]`;
      newState.set(target.param, this.loadState(template, sd.state[Number(key)], target.param, where));
    }
    // Everything checked: commit. Groups are updated in place, so that
    // references held by schedulers stay valid.
    this.paramGroups.forEach((group, gi) => {
      const record = group as Record<string, unknown>;
      for (const key of Object.keys(record)) if (key !== "params") delete record[key];
      Object.assign(record, optionsOf(newGroups[gi]));
    });
    this.state.clear();
    for (const [p, s] of newState) this.state.set(p, s);
  }

  /** Checks one saved entry against its template and returns a private copy (override for free-form state). */
  protected loadState(template: S, saved: unknown, param: Tensor, where: string): S {
    return copyMatching(template, saved, where, param.data as FloatArray) as S;
  }
}
