// An exponential moving average of a model's weights, kept beside the model
// and swapped in to evaluate (Polyak averaging with exponential weights).
import type { Module, StateDict } from "../../nn/module.js";
import { describe } from "../../schedules/schedule.js";
import { checkBoolean, checkInRange, checkInteger, checkOneOf, checkOptions, checkPositive } from "../../schedules/validate.js";
import { isFloating } from "../../tensor/dtype.js";
import { shapesEqual, shapeToString } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";
import { copyTensor, copyValues, lerpInto, matchTensors, namedTensors } from "./tensors.js";

/** How the decay ramps up over the first updates. */
export type EMAWarmup = "none" | "tf" | "power";

export interface EMAOptions {
  /** The decay once warmed up, in [0, 1] (default 0.999). */
  decay?: number;
  /**
   * "none" (default): every update uses `decay`. "tf": `min(decay, (1 + n)
   * / (10 + n))` (tf.train.ExponentialMovingAverage with num_updates).
   * "power": `1 - (1 + n / warmupGamma) ** -warmupPower`, kept within
   * [minDecay, decay] (timm's ModelEmaV3 warmup); n = updates before this one.
   */
  warmup?: EMAWarmup;
  /** "power" warmup: the step scale (default 1). */
  warmupGamma?: number;
  /** "power" warmup: the exponent (default 2/3; 3/4 suits shorter runs). */
  warmupPower?: number;
  /** "power" warmup: the lowest decay after the first update (default 0). */
  minDecay?: number;
  /**
   * Average floating buffers (BatchNorm's running statistics) too (default
   * true, as timm's ModelEmaV2); false copies them from the model. Integer
   * buffers (batch counters) are always copied.
   */
  useBuffers?: boolean;
}

/** An EMA's state: the averages by tensor name and the number of updates so far. */
export interface EMAState {
  numUpdates: number;
  shadow: StateDict;
}

const OPTION_KEYS = ["decay", "warmup", "warmupGamma", "warmupPower", "minDecay", "useBuffers"];

/**
 * Exponential moving average of a model's parameters and buffers (Polyak &
 * Juditsky 1992 with exponential weights; as timm's ModelEmaV2/V3 and
 * tf.train.ExponentialMovingAverage). The averages start as a copy of the
 * model; each `update(model)` applies, for every floating tensor,
 * `avg = decay_n * avg + (1 - decay_n) * value` (computed as torch.lerp),
 * with `decay_n` from `getDecay(n)`. Evaluate with the averages through
 * `withAveraged(model, fn)`, or `store` / `copyTo` / `restore`.
 */
export class EMA {
  readonly decay: number;
  readonly warmup: EMAWarmup;
  readonly warmupGamma: number;
  readonly warmupPower: number;
  readonly minDecay: number;
  readonly useBuffers: boolean;
  #numUpdates = 0;
  /** The averages by name, in the model's order (parameters, then buffers). */
  #shadow = new Map<string, Tensor>();
  #buffers = new Set<string>();
  #backup: Map<string, Tensor> | null = null;

  constructor(model: Module, options: EMAOptions = {}) {
    const fn = "EMA";
    checkOptions(fn, options);
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.includes(key)) throw new TypeError(`${fn}: unknown option "${key}" (expected one of ${OPTION_KEYS.join(", ")})`);
    }
    this.decay = checkInRange(fn, "decay", options.decay ?? 0.999, 0, 1);
    this.warmup = checkOneOf<EMAWarmup>(fn, "warmup", options.warmup ?? "none", ["none", "tf", "power"]);
    this.warmupGamma = checkPositive(fn, "warmupGamma", options.warmupGamma ?? 1);
    this.warmupPower = checkPositive(fn, "warmupPower", options.warmupPower ?? 2 / 3);
    this.minDecay = checkInRange(fn, "minDecay", options.minDecay ?? 0, 0, this.decay);
    this.useBuffers = checkBoolean(fn, "useBuffers", options.useBuffers ?? true);
    if (model === null || typeof model !== "object" || typeof model.namedParameters !== "function") {
      throw new TypeError(`${fn}: expected a Module, got ${describe(model)}`);
    }
    for (const { name, tensor, buffer } of namedTensors(model)) {
      this.#shadow.set(name, copyTensor(tensor));
      if (buffer) this.#buffers.add(name);
    }
  }

  /** Updates done so far. */
  get numUpdates(): number {
    return this.#numUpdates;
  }

  /** The decay used by update number `n` (0-based; default: the next one). */
  getDecay(n = this.#numUpdates): number {
    checkInteger("EMA.getDecay", "n", n, 0);
    switch (this.warmup) {
      case "none":
        return this.decay;
      case "tf":
        return Math.min(this.decay, (1 + n) / (10 + n));
      case "power": {
        // The first update copies the model, as timm's.
        if (n === 0) return 0;
        const d = 1 - (1 + n / this.warmupGamma) ** -this.warmupPower;
        return Math.max(Math.min(d, this.decay), this.minDecay);
      }
    }
  }

  /** Folds the model's current weights into the averages (checked to match first). */
  update(model: Module): void {
    const live = matchTensors("EMA.update", model, this.#shadow);
    const weight = 1 - this.getDecay();
    for (const { name, tensor } of live) {
      const avg = this.#shadow.get(name)!;
      const average = isFloating(avg.dtype) && (this.useBuffers || !this.#buffers.has(name));
      if (average) lerpInto(avg, tensor, weight);
      else copyValues(avg, tensor);
    }
    this.#numUpdates++;
  }

  /** Writes the averages into the model's parameters and buffers. */
  copyTo(model: Module): void {
    const live = matchTensors("EMA.copyTo", model, this.#shadow);
    for (const { name, tensor } of live) copyValues(tensor, this.#shadow.get(name)!);
  }

  /** Keeps a copy of the model's current weights for `restore`. */
  store(model: Module): void {
    const live = matchTensors("EMA.store", model, this.#shadow);
    this.#backup = new Map(live.map(({ name, tensor }) => [name, copyTensor(tensor)]));
  }

  /** Puts back the weights saved by `store` (once). */
  restore(model: Module): void {
    const backup = this.#backup;
    if (backup === null) throw new Error("EMA.restore: nothing stored; call store(model) first");
    const live = matchTensors("EMA.restore", model, backup);
    for (const { name, tensor } of live) copyValues(tensor, backup.get(name)!);
    this.#backup = null;
  }

  /**
   * Runs `fn` with the averages in the model, then puts the model's own
   * weights back, also when `fn` throws or its promise rejects.
   */
  withAveraged<T>(model: Module, fn: () => T): T {
    const live = matchTensors("EMA.withAveraged", model, this.#shadow);
    // A private copy, so that a store() the caller made is left alone.
    const own = live.map(({ tensor }) => copyTensor(tensor));
    const putBack = (): void => live.forEach(({ tensor }, i) => copyValues(tensor, own[i]!));
    live.forEach(({ name, tensor }) => copyValues(tensor, this.#shadow.get(name)!));
    let result: T;
    try {
      result = fn();
    } catch (e) {
      putBack();
      throw e;
    }
    if (result instanceof Promise) return result.finally(putBack) as T;
    putBack();
    return result;
  }

  /** Copies of the averages by name (the model's naming), e.g. to save as model weights. */
  averagedStateDict(): StateDict {
    const out: StateDict = {};
    for (const [name, t] of this.#shadow) out[name] = copyTensor(t);
    return out;
  }

  /** The number of updates and copies of the averages (hyperparameters come from the constructor). */
  stateDict(): EMAState {
    return { numUpdates: this.#numUpdates, shadow: this.averagedStateDict() };
  }

  /** Restores a `stateDict()`: names and shapes must match exactly; a failing load changes nothing. */
  loadStateDict(state: EMAState): void {
    const fn = "EMA.loadStateDict";
    if (state === null || typeof state !== "object" || Array.isArray(state)) throw new TypeError(`${fn}: expected { numUpdates, shadow }, got ${describe(state)}`);
    const numUpdates = checkInteger(fn, "numUpdates", state.numUpdates, 0);
    const shadow = state.shadow;
    if (shadow === null || typeof shadow !== "object" || Array.isArray(shadow)) throw new TypeError(`${fn}: shadow must be an object of tensors, got ${describe(shadow)}`);
    const problems: string[] = [];
    const missing = [...this.#shadow.keys()].filter((n) => !Object.hasOwn(shadow, n));
    const unexpected = Object.keys(shadow).filter((n) => !this.#shadow.has(n));
    if (missing.length > 0) problems.push(`missing ${missing.join(", ")}`);
    if (unexpected.length > 0) problems.push(`unexpected ${unexpected.join(", ")}`);
    for (const [name, t] of this.#shadow) {
      const saved: unknown = shadow[name];
      if (saved === undefined) continue;
      if (!(saved instanceof Tensor)) problems.push(`"${name}" is not a Tensor`);
      else if (!shapesEqual(saved.shape, t.shape)) problems.push(`"${name}" has shape ${shapeToString(saved.shape)}, expected ${shapeToString(t.shape)}`);
    }
    if (problems.length > 0) throw new Error(`${fn}: ${problems.join("; ")} (nothing was loaded)`);
    for (const [name, t] of this.#shadow) copyValues(t, shadow[name]!);
    this.#numUpdates = numUpdates;
  }
}
