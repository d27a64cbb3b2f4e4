import { isFloating } from "../../tensor/dtype.js";
import { defaultGenerator, type Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";

/** Options shared by the random initializers. */
export interface InitOptions {
  /** Generator to draw from; the global one (seeded by `manualSeed`) by default. */
  generator?: Generator;
}

/** Checks that `t` is a floating tensor an initializer can fill. */
export function checkTarget(t: Tensor, op: string): void {
  if (!(t instanceof Tensor)) throw new TypeError(`${op}: expected a Tensor`);
  if (!isFloating(t.dtype)) throw new TypeError(`${op}: expected a floating tensor, got ${t.dtype}`);
}

/** Fills `t.data` from `draw`, in place. */
export function fillWith(t: Tensor, draw: () => number): Tensor {
  const data = t.data;
  for (let i = 0; i < data.length; i++) data[i] = draw();
  return t;
}

export function generatorOf(options: InitOptions | undefined): Generator {
  return options?.generator ?? defaultGenerator;
}

export function checkFinite(value: number, name: string, op: string): void {
  if (typeof value !== "number" || !Number.isFinite(value)) throw new RangeError(`${op}: ${name} must be a finite number, got ${String(value)}`);
}
