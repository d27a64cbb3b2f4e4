// Stochastic weight averaging (and EMA) as a model of its own, after
// torch.optim.swa_utils.AveragedModel.
import { noGrad } from "../../autograd/noGrad.js";
import { Module } from "../../nn/module.js";
import { describe } from "../../schedules/schedule.js";
import { zeros } from "../../tensor/creation.js";
import { shapesEqual, shapeToString } from "../../tensor/shape.js";
import type { Tensor } from "../../tensor/tensor.js";
import { type AvgFn, getSwaAvgFn, type MultiAvgFn } from "./avgFns.js";
import { copyValues } from "./tensors.js";

export interface AveragedModelOptions<M extends Module> {
  /**
   * Builds a fresh module with the model's architecture; the model's state
   * is loaded into it. (torch deep-copies the model; a JavaScript class
   * instance cannot be cloned generically, so the copy is built.)
   */
  factory: () => M;
  /** Per-tensor rule (default: the equal-weight running mean). At most one of avgFn, multiAvgFn. */
  avgFn?: AvgFn;
  /** In-place rule over lists of tensors, e.g. `getEmaMultiAvgFn(0.999)`. */
  multiAvgFn?: MultiAvgFn;
  /** Average the buffers too (default false: they are copied from the model at each update). */
  useBuffers?: boolean;
}

const OPTION_KEYS = ["factory", "avgFn", "multiAvgFn", "useBuffers"];

/**
 * Holds a copy of a model whose weights are a running average of the
 * model's (torch.optim.swa_utils.AveragedModel; SWA: Izmailov et al.,
 * "Averaging Weights Leads to Wider Optima and Better Generalization",
 * 2018). `updateParameters(model)` copies the model's weights on the first
 * call and afterwards applies the averaging rule with `nAveraged` models
 * so far: by default `avg + (w - avg) / (n + 1)`, so that after k updates
 * the average is the arithmetic mean of the k snapshots. Without
 * `useBuffers` the buffers (BatchNorm's running statistics) are copied
 * from the model instead; recompute them for the averaged weights with
 * `updateBn`. Its state dict holds `n_averaged` and the copy under
 * `module.`, as torch's.
 */
export class AveragedModel<M extends Module = Module> extends Module {
  readonly module: M;
  readonly avgFn: AvgFn | null;
  readonly multiAvgFn: MultiAvgFn | null;
  readonly useBuffers: boolean;

  constructor(model: M, options: AveragedModelOptions<M>) {
    super();
    const fn = "AveragedModel";
    if (!(model instanceof Module)) throw new TypeError(`${fn}: expected a Module, got ${describe(model)}`);
    if (options === null || typeof options !== "object") throw new TypeError(`${fn}: expected options with a factory, got ${describe(options)}`);
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.includes(key)) throw new TypeError(`${fn}: unknown option "${key}" (expected one of ${OPTION_KEYS.join(", ")})`);
    }
    if (typeof options.factory !== "function") throw new TypeError(`${fn}: options.factory must be a function that builds a copy of the model`);
    if (options.avgFn !== undefined && typeof options.avgFn !== "function") throw new TypeError(`${fn}: avgFn must be a function`);
    if (options.multiAvgFn !== undefined && typeof options.multiAvgFn !== "function") throw new TypeError(`${fn}: multiAvgFn must be a function`);
    if (options.avgFn !== undefined && options.multiAvgFn !== undefined) throw new Error(`${fn}: give only one of avgFn and multiAvgFn`);
    const useBuffers = options.useBuffers ?? false;
    if (typeof useBuffers !== "boolean") throw new TypeError(`${fn}: useBuffers must be a boolean, got ${describe(useBuffers)}`);
    this.module = cloneWith(model, options.factory);
    this.avgFn = options.avgFn ?? null;
    this.multiAvgFn = options.multiAvgFn ?? null;
    this.useBuffers = useBuffers;
    this.registerBuffer("n_averaged", zeros([], { dtype: "int32" }));
  }

  /** Models averaged so far. */
  get nAveraged(): number {
    return this.getBuffer("n_averaged")!.data[0]!;
  }

  /** Runs the averaged copy (torch's forward). */
  override forward(...args: Parameters<M["forward"]>): ReturnType<M["forward"]> {
    return (this.module.forward as (...a: unknown[]) => ReturnType<M["forward"]>).apply(this.module, args);
  }

  /**
   * Folds the model's current weights into the average (see the class
   * comment). The model must have the copy's tensors, in the same order
   * and shapes; this is checked before anything changes.
   */
  updateParameters(model: Module): void {
    const fn = "AveragedModel.updateParameters";
    if (!(model instanceof Module)) throw new TypeError(`${fn}: expected a Module, got ${describe(model)}`);
    const mine = this.useBuffers ? [...this.module.parameters(), ...this.module.buffers()] : this.module.parameters();
    const theirs = this.useBuffers ? [...model.parameters(), ...model.buffers()] : model.parameters();
    checkPairs(fn, this.useBuffers ? "parameters and buffers" : "parameters", mine, theirs);
    const myBuffers = this.module.buffers();
    const theirBuffers = model.buffers();
    if (!this.useBuffers) checkPairs(fn, "buffers", myBuffers, theirBuffers);
    const counter = this.getBuffer("n_averaged")!;
    const n = counter.data[0]!;
    noGrad(() => {
      if (n === 0) {
        mine.forEach((p, i) => copyValues(p, theirs[i]!));
      } else if (this.avgFn !== null) {
        // Every new value first, so that a bad result changes nothing.
        const next = mine.map((p, i) => {
          const value = this.avgFn!(p.detach(), theirs[i]!.detach(), n);
          if (value === null || typeof value !== "object" || !shapesEqual(value.shape, p.shape)) {
            throw new Error(`${fn}: avgFn must return a tensor of shape ${shapeToString(p.shape)}, got ${value?.shape ? shapeToString(value.shape) : describe(value)}`);
          }
          return value;
        });
        mine.forEach((p, i) => copyValues(p, next[i]!));
      } else {
        this.#averageByDtype(mine, theirs, n);
      }
      if (!this.useBuffers) myBuffers.forEach((b, i) => copyValues(b, theirBuffers[i]!));
    });
    counter.data[0] = n + 1;
  }

  /** Runs the multi-tensor rule once per dtype, as torch groups by device and dtype. */
  #averageByDtype(mine: Tensor[], theirs: Tensor[], n: number): void {
    const groups = new Map<string, { averaged: Tensor[]; current: Tensor[] }>();
    mine.forEach((p, i) => {
      let group = groups.get(p.dtype);
      if (group === undefined) groups.set(p.dtype, (group = { averaged: [], current: [] }));
      group.averaged.push(p.detach());
      group.current.push(theirs[i]!.detach());
    });
    const swa = getSwaAvgFn();
    for (const { averaged, current } of groups.values()) {
      if (this.multiAvgFn !== null) {
        this.multiAvgFn(averaged, current, n);
      } else {
        // The default: torch's per-tensor SWA rule (its path on the CPU).
        averaged.forEach((p, i) => copyValues(p, swa(p, current[i]!, n)));
      }
    }
  }
}

/** A copy of `model` built by `factory`, with the model's state and modes. */
function cloneWith<M extends Module>(model: M, factory: () => M): M {
  const fn = "AveragedModel";
  const copy = factory();
  if (!(copy instanceof Module)) throw new TypeError(`${fn}: factory must return a Module, got ${describe(copy)}`);
  if (copy === model) throw new Error(`${fn}: factory returned the model itself; it must build a new module`);
  const own = new Set([...model.parameters(), ...model.buffers()]);
  if ([...copy.parameters(), ...copy.buffers()].some((t) => own.has(t))) {
    throw new Error(`${fn}: the module built by factory shares tensors with the model; it must build new ones`);
  }
  try {
    copy.loadStateDict(model.stateDict());
  } catch (e) {
    throw new Error(`${fn}: the module built by factory does not match the model: ${(e as Error).message}`);
  }
  // Non-persistent buffers are not in the state dict but are part of a deep copy.
  const buffers = new Map(copy.namedBuffers());
  for (const [name, b] of model.namedBuffers()) {
    const target = buffers.get(name);
    if (target !== undefined && shapesEqual(target.shape, b.shape)) copyValues(target, b);
  }
  const modes = new Map(model.namedModules().map(([name, m]) => [name, m.training]));
  for (const [name, m] of copy.namedModules()) m.training = modes.get(name) ?? model.training;
  return copy;
}

function checkPairs(fn: string, what: string, mine: readonly Tensor[], theirs: readonly Tensor[]): void {
  if (mine.length !== theirs.length) {
    throw new Error(`${fn}: the model has ${theirs.length} ${what}, the averaged copy has ${mine.length}`);
  }
  mine.forEach((p, i) => {
    if (!shapesEqual(p.shape, theirs[i]!.shape)) {
      throw new Error(`${fn}: ${what} ${i} has shape ${shapeToString(theirs[i]!.shape)} in the model, ${shapeToString(p.shape)} in the averaged copy`);
    }
  });
}
