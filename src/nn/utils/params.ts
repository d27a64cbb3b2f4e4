// Collecting the tensors a utility works on, with the checks they share.
import { isFloating } from "../../tensor/dtype.js";
import { Tensor } from "../../tensor/tensor.js";

/** A tensor or any iterable of tensors (an array, `module.parameters()`, ...). */
export type ParamsLike = Tensor | Iterable<Tensor>;

/** The tensors of `params` as an array, each checked to be a Tensor. */
export function toParamList(fn: string, params: ParamsLike): Tensor[] {
  if (params instanceof Tensor) return [params];
  if (params === null || typeof params !== "object" || typeof (params as Iterable<Tensor>)[Symbol.iterator] !== "function") {
    throw new TypeError(`${fn}: params must be a Tensor or an iterable of Tensors, got ${params === null ? "null" : typeof params}`);
  }
  const list = [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${fn}: params[${i}] is not a Tensor`);
  });
  return list;
}

/** The non-null gradients of `params`, each checked to be a floating tensor. */
export function gradsOf(fn: string, params: readonly Tensor[]): Tensor[] {
  const grads: Tensor[] = [];
  params.forEach((p, i) => {
    const g = p.grad;
    if (g === null || g === undefined) return;
    if (!(g instanceof Tensor)) throw new TypeError(`${fn}: params[${i}].grad is not a Tensor`);
    if (!isFloating(g.dtype)) throw new TypeError(`${fn}: params[${i}].grad has dtype ${g.dtype}; gradients must be float32 or float64`);
    grads.push(g);
  });
  return grads;
}
