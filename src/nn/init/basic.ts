import { Tensor } from "../../tensor/tensor.js";
import { checkFinite, checkTarget, fillWith, generatorOf, type InitOptions } from "./fill.js";

/** Fills `t` in place with samples of U(a, b) (torch.nn.init.uniform_). */
export function uniform(t: Tensor, a = 0, b = 1, options?: InitOptions): Tensor {
  checkTarget(t, "uniform");
  checkFinite(a, "a", "uniform");
  checkFinite(b, "b", "uniform");
  if (a > b) throw new RangeError(`uniform: need a <= b, got a=${a}, b=${b}`);
  const g = generatorOf(options);
  return fillWith(t, () => a + (b - a) * g.random());
}

/** Fills `t` in place with samples of N(mean, std^2) (torch.nn.init.normal_). */
export function normal(t: Tensor, mean = 0, std = 1, options?: InitOptions): Tensor {
  checkTarget(t, "normal");
  checkFinite(mean, "mean", "normal");
  checkFinite(std, "std", "normal");
  if (std < 0) throw new RangeError(`normal: std must be non-negative, got ${std}`);
  const g = generatorOf(options);
  return fillWith(t, () => mean + std * g.normal());
}

/** Sets every element of `t` to `value`, in place (torch.nn.init.constant_). */
export function constant(t: Tensor, value: number): Tensor {
  if (!(t instanceof Tensor)) throw new TypeError("constant: expected a Tensor");
  if (typeof value !== "number") throw new TypeError(`constant: value must be a number, got ${typeof value}`);
  t.data.fill(value);
  return t;
}

/** Sets `t` to 0 in place. */
export function zeros(t: Tensor): Tensor {
  return constant(t, 0);
}

/** Sets `t` to 1 in place. */
export function ones(t: Tensor): Tensor {
  return constant(t, 1);
}

/** Sets a 2-D `t` to the identity (ones on the diagonal), in place (torch.nn.init.eye_). */
export function eye(t: Tensor): Tensor {
  if (!(t instanceof Tensor) || t.ndim !== 2) throw new Error(`eye: expected a 2-D tensor, got ${t instanceof Tensor ? `${t.ndim} dimensions` : typeof t}`);
  const [rows, cols] = t.shape as [number, number];
  t.data.fill(0);
  for (let i = 0; i < Math.min(rows, cols); i++) t.data[i * cols + i] = 1;
  return t;
}
