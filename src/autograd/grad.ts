import { zerosLike, ones } from "../tensor/creation.js";
import { isFloating } from "../tensor/dtype.js";
import { setGradEnabled } from "../tensor/gradMode.js";
import { shapeToString } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";
import { propagate } from "./backward.js";

export interface GradOptions {
  /** Which arguments to differentiate: one index (the result is one tensor) or several (an array). Default 0. */
  argnums?: number | readonly number[];
  /** Record the gradient computation so the result can be differentiated again. */
  createGraph?: boolean;
}

type Fn = (...inputs: Tensor[]) => Tensor;

function prepare(f: Fn, args: Tensor[], argnums: readonly number[], op: string): { value: Tensor; inputs: Tensor[] } {
  for (const i of argnums) {
    if (!Number.isInteger(i) || i < 0 || i >= args.length) {
      throw new RangeError(`${op}: argnums entry ${i} is out of range for ${args.length} arguments`);
    }
    if (!isFloating(args[i]!.dtype)) throw new TypeError(`${op}: argument ${i} must be floating to differentiate, got ${args[i]!.dtype}`);
  }
  // Arguments that already require grad are used as they are, so that an
  // outer grad can differentiate through this one (nested grad, HVPs).
  const inputs = args.map((a, i) => (argnums.includes(i) && !a.requiresGrad ? a.detach().requiresGrad_() : a));
  const previous = setGradEnabled(true);
  let value: Tensor;
  try {
    value = f(...inputs);
  } finally {
    setGradEnabled(previous);
  }
  if (!(value instanceof Tensor) || value.size !== 1) {
    throw new Error(`${op}: f must return a one-element tensor, got ${value instanceof Tensor ? `shape ${shapeToString(value.shape)}` : typeof value}`);
  }
  return { value, inputs };
}

function gradients(value: Tensor, inputs: Tensor[], argnums: readonly number[], createGraph: boolean): Tensor[] {
  if (!value.requiresGrad) return argnums.map((i) => zerosLike(inputs[i]!));
  const grads = propagate([value], [ones(value.shape, { dtype: value.dtype })], { createGraph });
  return argnums.map((i) => grads.get(inputs[i]!) ?? zerosLike(inputs[i]!));
}

/**
 * Functional gradient (as jax.grad): `grad(f)(x, y)` is df/dx at (x, y)
 * for a scalar-valued f, without touching any `.grad`. With `argnums: [0,
 * 1]` it returns [df/dx, df/dy]; with `createGraph` the result is itself
 * differentiable, so `grad(x => grad(f, {createGraph: true})(x).mul(v).sum())(x)`
 * is the Hessian-vector product H v.
 */
export function grad(f: Fn, options?: GradOptions & { argnums?: number }): (...args: Tensor[]) => Tensor;
export function grad(f: Fn, options: GradOptions & { argnums: readonly number[] }): (...args: Tensor[]) => Tensor[];
export function grad(f: Fn, options: GradOptions = {}): (...args: Tensor[]) => Tensor | Tensor[] {
  const argnums = options.argnums ?? 0;
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  return (...args: Tensor[]) => {
    const { value, inputs } = prepare(f, args, list, "grad");
    const gs = gradients(value, inputs, list, options.createGraph === true);
    return typeof argnums === "number" ? gs[0]! : gs;
  };
}

/** Like `grad`, but also returns f's value: `[value, gradient]`. */
export function valueAndGrad(f: Fn, options?: GradOptions & { argnums?: number }): (...args: Tensor[]) => [Tensor, Tensor];
export function valueAndGrad(f: Fn, options: GradOptions & { argnums: readonly number[] }): (...args: Tensor[]) => [Tensor, Tensor[]];
export function valueAndGrad(f: Fn, options: GradOptions = {}): (...args: Tensor[]) => [Tensor, Tensor | Tensor[]] {
  const argnums = options.argnums ?? 0;
  const list = typeof argnums === "number" ? [argnums] : [...argnums];
  return (...args: Tensor[]) => {
    const { value, inputs } = prepare(f, args, list, "valueAndGrad");
    const gs = gradients(value, inputs, list, options.createGraph === true);
    const shown = options.createGraph ? value : value.detach();
    return [shown, typeof argnums === "number" ? gs[0]! : gs];
  };
}
