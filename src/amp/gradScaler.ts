// Dynamic loss scaling for mixed-precision training, with the semantics of
// torch.amp.GradScaler: scale the loss so that small gradients survive a
// narrow float format, unscale before the update, skip any step whose
// gradients overflowed and adapt the scale from how often that happens.
import { describe } from "../schedules/schedule.js";
import { checkBoolean, checkInteger, checkOptions, checkPositive } from "../schedules/validate.js";
import { Tensor } from "../tensor/tensor.js";

/** What the scaler needs of an optimizer: nb.optim's optimizers have it. */
export interface ScalableOptimizer<R = unknown> {
  readonly paramGroups: readonly { readonly params: readonly Tensor[] }[];
  step(closure?: () => number | Tensor): R;
}

export interface GradScalerOptions {
  /** The first scale (default 2**16). */
  initScale?: number;
  /** Multiplier after `growthInterval` consecutive finite steps, > 1 (default 2). */
  growthFactor?: number;
  /** Multiplier after a step with Inf/NaN gradients, in (0, 1) (default 0.5). */
  backoffFactor?: number;
  /** Consecutive finite steps before the scale grows (default 2000). */
  growthInterval?: number;
  /** false: `scale` returns its input, `step` just steps, the rest do nothing (default true). */
  enabled?: boolean;
}

/** A scaler's state, from `stateDict()` (torch's keys in camelCase; `_growth_tracker` is `growthTracker`). */
export interface GradScalerState {
  scale: number;
  growthFactor: number;
  backoffFactor: number;
  growthInterval: number;
  /** Consecutive finite steps since the scale last changed. */
  growthTracker: number;
}

/** What a disabled scaler saves: nothing (torch returns an empty dict). */
export type DisabledGradScalerState = Record<string, never>;

/** Where an optimizer is in the current iteration (torch's OptState). */
type Stage = "ready" | "unscaled" | "stepped";

interface OptimizerRecord {
  stage: Stage;
  /** Whether the unscale found a non-finite gradient; null when it found no gradient at all. */
  foundInf: boolean | null;
}

const OPTION_KEYS = new Set(["initScale", "growthFactor", "backoffFactor", "growthInterval", "enabled"]);
const STATE_KEYS = ["scale", "growthFactor", "backoffFactor", "growthInterval", "growthTracker"] as const;

function checkGrowthFactor(fn: string, value: unknown): number {
  const v = checkPositive(fn, "growthFactor", value);
  if (!(v > 1)) throw new RangeError(`${fn}: growthFactor must be > 1, got ${v}`);
  return v;
}

/** A positive scale that stays finite and non-zero as a float32. */
function checkScale(fn: string, name: string, value: unknown): number {
  const v = checkPositive(fn, name, value);
  const f = Math.fround(v);
  if (!Number.isFinite(f) || f === 0) throw new RangeError(`${fn}: ${name} must be a positive number within float32 range, got ${v}`);
  return v;
}

function checkBackoffFactor(fn: string, value: unknown): number {
  const v = checkPositive(fn, "backoffFactor", value);
  if (!(v < 1)) throw new RangeError(`${fn}: backoffFactor must be in (0, 1), got ${v}`);
  return v;
}

/**
 * Multiplies every gradient of `optimizer` by `invScale` in place and says
 * whether any element was Inf or NaN (null: no parameter had a gradient).
 * As torch's `_amp_foreach_non_finite_check_and_unscale_`: every gradient
 * is unscaled, even after a non-finite one was found. A product of two
 * float32 values rounded once to float32 equals float32 multiplication.
 */
function unscaleGradients(optimizer: ScalableOptimizer, invScale: number): boolean | null {
  let found: boolean | null = null;
  for (const group of optimizer.paramGroups) {
    for (const p of group.params) {
      const grad = p.grad;
      if (grad === null) continue;
      const data = grad.data;
      found ??= false;
      for (let i = 0; i < data.length; i++) {
        const v = data[i]!;
        if (!Number.isFinite(v)) found = true;
        if (invScale !== 1) data[i] = v * invScale;
      }
    }
  }
  return found;
}

/** Throws unless every gradient is float32 or float64 (before any is touched). */
function checkGradientTypes(optimizer: ScalableOptimizer): void {
  optimizer.paramGroups.forEach((group, gi) => {
    group.params.forEach((p, pi) => {
      const grad = p.grad;
      if (grad === null) return;
      if (!(grad.data instanceof Float32Array || grad.data instanceof Float64Array)) {
        throw new TypeError(
          `GradScaler.unscale: the gradient of parameter ${pi} of group ${gi} has dtype ${grad.dtype}; ` +
            "only float32 and float64 gradients can be unscaled (keep master weights and their gradients in float32)",
        );
      }
    });
  });
}

/**
 * Dynamic loss scaling (torch.amp.GradScaler, after Micikevicius et al.,
 * "Mixed Precision Training", 2018). Each iteration:
 *
 * ```ts
 * scaler.scale(loss).backward();   // gradients are scale * dL/dw
 * scaler.unscale(opt);             // optional: before clipping
 * scaler.step(opt);                // unscales if needed; skipped on Inf/NaN
 * scaler.update();                 // adapts the scale
 * ```
 *
 * `update` rule (torch's `_amp_update_scale_`): if any unscale of the
 * iteration found an Inf/NaN, `scale *= backoffFactor` and the growth
 * tracker is reset to 0; otherwise the tracker counts the finite step and
 * on reaching `growthInterval` the scale is multiplied by `growthFactor`
 * (unless that would overflow float32) and the tracker goes back to 0.
 * The scale is held as a float32, as torch's scale tensor. Like torch the
 * scale is set up by the first `scale()` call: `unscale`, `step` and
 * `update` before it are errors.
 */
export class GradScaler {
  #enabled: boolean;
  #scale: number;
  #growthTracker = 0;
  #growthFactor: number;
  #backoffFactor: number;
  #growthInterval: number;
  /** Set by the first `scale()` (torch creates its scale tensor lazily). */
  #initialized = false;
  #perOptimizer = new Map<object, OptimizerRecord>();

  constructor(options: GradScalerOptions = {}) {
    const fn = "GradScaler";
    checkOptions(fn, options);
    for (const key of Object.keys(options)) {
      if (!OPTION_KEYS.has(key)) throw new TypeError(`${fn}: unknown option "${key}" (expected one of ${[...OPTION_KEYS].join(", ")})`);
    }
    this.#enabled = checkBoolean(fn, "enabled", options.enabled ?? true);
    this.#scale = checkScale(fn, "initScale", options.initScale ?? 2 ** 16);
    this.#growthFactor = checkGrowthFactor(fn, options.growthFactor ?? 2);
    this.#backoffFactor = checkBackoffFactor(fn, options.backoffFactor ?? 0.5);
    this.#growthInterval = checkInteger(fn, "growthInterval", options.growthInterval ?? 2000, 1);
  }

  /**
   * `outputs * scale` (a tensor or each tensor of a list), recorded for
   * backward; the outputs themselves when disabled. The first call fixes
   * the scale as a float32.
   */
  scale(outputs: Tensor): Tensor;
  scale(outputs: readonly Tensor[]): Tensor[];
  scale(outputs: Tensor | readonly Tensor[]): Tensor | Tensor[] {
    const list = outputs instanceof Tensor ? [outputs] : outputs;
    if (!Array.isArray(list) || !list.every((t) => t instanceof Tensor)) {
      throw new TypeError(`GradScaler.scale: outputs must be a Tensor or an array of Tensors, got ${describe(outputs)}`);
    }
    if (!this.#enabled) return outputs instanceof Tensor ? outputs : [...list];
    this.#initialize();
    const scaled = list.map((t) => t.mul(this.#scale));
    return outputs instanceof Tensor ? scaled[0]! : scaled;
  }

  /**
   * Divides the gradients of every parameter of `optimizer` by the scale
   * in place (multiplies by float32(1 / scale), as torch) and records
   * whether any was Inf or NaN. Call it at most once per optimizer per
   * iteration, before `step`, when the true gradients are needed (to clip
   * them, for example). No-op when disabled.
   */
  unscale(optimizer: ScalableOptimizer): void {
    if (!this.#enabled) return;
    this.#checkInitialized("unscale");
    checkOptimizer("unscale", optimizer);
    const record = this.#record(optimizer);
    if (record.stage === "unscaled") throw new Error("GradScaler.unscale: unscale() has already been called on this optimizer since the last update()");
    if (record.stage === "stepped") throw new Error("GradScaler.unscale: unscale() is being called after step(); call update() first");
    checkGradientTypes(optimizer);
    // The reciprocal in float64, then rounded to float32, as torch.
    const invScale = Math.fround(1 / this.#scale);
    const found = unscaleGradients(optimizer, invScale);
    this.#perOptimizer.set(optimizer, { stage: "unscaled", foundInf: found });
  }

  /**
   * Unscales the gradients (unless `unscale` was already called this
   * iteration) and calls `optimizer.step()` if they are all finite; if any
   * is Inf or NaN the step is skipped, leaving the parameters and the
   * optimizer's state untouched. Returns what `optimizer.step()` returned,
   * or undefined when skipped. When disabled it simply calls
   * `optimizer.step(closure)`. When enabled a closure is refused, as in
   * torch: it would recompute gradients the scaler never sees.
   */
  step<R>(optimizer: ScalableOptimizer<R>, closure?: () => number | Tensor): R | undefined {
    if (!this.#enabled) return optimizer.step(closure);
    if (closure !== undefined) {
      throw new Error("GradScaler.step: a closure is not supported while the scaler is enabled (as torch.amp.GradScaler)");
    }
    this.#checkInitialized("step");
    checkOptimizer("step", optimizer);
    const before = this.#record(optimizer);
    if (before.stage === "stepped") throw new Error("GradScaler.step: step() has already been called since the last update()");
    if (before.stage === "ready") {
      if (!hasGradient(optimizer)) throw new Error("GradScaler.step: no inf checks were recorded for this optimizer: none of its parameters has a gradient");
      this.unscale(optimizer);
    }
    const record = this.#record(optimizer);
    if (record.foundInf === null) throw new Error("GradScaler.step: no inf checks were recorded for this optimizer: none of its parameters had a gradient when it was unscaled");
    record.stage = "stepped";
    return record.foundInf ? undefined : optimizer.step();
  }

  /**
   * Ends the iteration: with `newScale`, sets the scale to it (as a
   * float32; the growth tracker is kept, as torch); otherwise backs off or
   * grows it from what this iteration's unscales found (see the class
   * comment). Clears the per-optimizer records. No-op when disabled.
   */
  update(newScale?: number | Tensor): void {
    if (!this.#enabled) return;
    this.#checkInitialized("update");
    if (newScale !== undefined) {
      let value: number;
      if (newScale instanceof Tensor) {
        if (newScale.size !== 1) throw new Error(`GradScaler.update: newScale must be a number or a one-element tensor, got shape [${newScale.shape.join(", ")}]`);
        if (newScale.requiresGrad) throw new Error("GradScaler.update: newScale must not require grad");
        value = newScale.data[0]!;
      } else {
        value = newScale;
      }
      this.#scale = Math.fround(checkScale("GradScaler.update", "newScale", value));
    } else {
      const checks = [...this.#perOptimizer.values()].filter((r) => r.foundInf !== null);
      if (checks.length === 0) throw new Error("GradScaler.update: no inf checks were recorded prior to update(): call step() (or unscale()) first");
      this.#applyUpdate(checks.some((r) => r.foundInf === true));
    }
    this.#perOptimizer.clear();
  }

  /** torch's `_amp_update_scale_`: float32 scale, int growth tracker. */
  #applyUpdate(foundInf: boolean): void {
    if (foundInf) {
      this.#scale = Math.fround(this.#scale * this.#backoffFactor);
      this.#growthTracker = 0;
      return;
    }
    const successful = this.#growthTracker + 1;
    if (successful === this.#growthInterval) {
      const grown = Math.fround(this.#scale * this.#growthFactor);
      // Never grow past the float32 range to Inf.
      if (Number.isFinite(grown)) this.#scale = grown;
      this.#growthTracker = 0;
    } else {
      this.#growthTracker = successful;
    }
  }

  /**
   * Whether this iteration's unscale of `optimizer` found an Inf or NaN
   * (so its step is or will be skipped); null before the unscale, when
   * disabled, or when it had no gradient. Cleared by `update`.
   */
  foundInf(optimizer: ScalableOptimizer): boolean | null {
    return this.#perOptimizer.get(optimizer)?.foundInf ?? null;
  }

  /** The current scale; 1 when disabled. */
  getScale(): number {
    return this.#enabled ? this.#scale : 1;
  }

  /** Consecutive finite steps since the scale last changed (0 when disabled). */
  getGrowthTracker(): number {
    return this.#enabled ? this.#growthTracker : 0;
  }

  isEnabled(): boolean {
    return this.#enabled;
  }

  getGrowthFactor(): number {
    return this.#growthFactor;
  }

  setGrowthFactor(value: number): void {
    this.#growthFactor = checkGrowthFactor("GradScaler.setGrowthFactor", value);
  }

  getBackoffFactor(): number {
    return this.#backoffFactor;
  }

  setBackoffFactor(value: number): void {
    this.#backoffFactor = checkBackoffFactor("GradScaler.setBackoffFactor", value);
  }

  getGrowthInterval(): number {
    return this.#growthInterval;
  }

  setGrowthInterval(value: number): void {
    this.#growthInterval = checkInteger("GradScaler.setGrowthInterval", "growthInterval", value, 1);
  }

  /**
   * The scale, factors, interval and growth tracker as plain numbers (an
   * empty object when disabled). Save it after `update()`.
   */
  stateDict(): GradScalerState | DisabledGradScalerState {
    if (!this.#enabled) return {};
    return {
      scale: this.#scale,
      growthFactor: this.#growthFactor,
      backoffFactor: this.#backoffFactor,
      growthInterval: this.#growthInterval,
      growthTracker: this.#growthTracker,
    };
  }

  /**
   * Restores a `stateDict()`: every key is checked (present, no others,
   * valid values) before anything changes. An empty state (saved by a
   * disabled scaler) is refused; a disabled scaler ignores the call, as
   * torch.
   */
  loadStateDict(state: GradScalerState | DisabledGradScalerState): void {
    if (!this.#enabled) return;
    const fn = "GradScaler.loadStateDict";
    if (state === null || typeof state !== "object" || Array.isArray(state)) {
      throw new TypeError(`${fn}: expected a state object, got ${describe(state)}`);
    }
    const keys = Object.keys(state);
    if (keys.length === 0) {
      throw new Error(`${fn}: the state is empty, possibly because it was saved from a disabled GradScaler`);
    }
    const unknown = keys.filter((k) => !(STATE_KEYS as readonly string[]).includes(k));
    if (unknown.length > 0) throw new Error(`${fn}: unexpected keys ${unknown.join(", ")} (expected ${STATE_KEYS.join(", ")})`);
    const missing = STATE_KEYS.filter((k) => !(k in state));
    if (missing.length > 0) throw new Error(`${fn}: missing keys ${missing.join(", ")}`);
    const s = state as GradScalerState;
    const scale = checkScale(fn, "scale", s.scale);
    const growthFactor = checkGrowthFactor(fn, s.growthFactor);
    const backoffFactor = checkBackoffFactor(fn, s.backoffFactor);
    const growthInterval = checkInteger(fn, "growthInterval", s.growthInterval, 1);
    const growthTracker = checkInteger(fn, "growthTracker", s.growthTracker, 0);
    this.#scale = this.#initialized ? Math.fround(scale) : scale;
    this.#growthFactor = growthFactor;
    this.#backoffFactor = backoffFactor;
    this.#growthInterval = growthInterval;
    this.#growthTracker = growthTracker;
  }

  #initialize(): void {
    if (this.#initialized) return;
    this.#scale = Math.fround(this.#scale);
    this.#initialized = true;
  }

  #checkInitialized(fn: string): void {
    if (!this.#initialized) {
      throw new Error(`GradScaler.${fn}: the scale is not set up yet; call scaler.scale(loss) earlier in the iteration (and backward the scaled loss)`);
    }
  }

  #record(optimizer: ScalableOptimizer): OptimizerRecord {
    return this.#perOptimizer.get(optimizer) ?? { stage: "ready", foundInf: null };
  }
}

function checkOptimizer(fn: string, optimizer: ScalableOptimizer): void {
  if (optimizer === null || typeof optimizer !== "object" || !Array.isArray(optimizer.paramGroups) || typeof optimizer.step !== "function") {
    throw new TypeError(`GradScaler.${fn}: expected an optimizer with paramGroups and step(), got ${describe(optimizer)}`);
  }
}

function hasGradient(optimizer: ScalableOptimizer): boolean {
  return optimizer.paramGroups.some((g) => g.params.some((p) => p.grad !== null));
}
