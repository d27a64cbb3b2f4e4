import { zeros } from "../tensor/creation.js";
import { abs } from "../tensor/index.js";
import { Tensor } from "../tensor/tensor.js";
import { Module } from "./module.js";

function tensorsOf(params: Iterable<Tensor> | Module, op: string): Tensor[] {
  const list = params instanceof Module ? params.parameters() : [...params];
  list.forEach((p, i) => {
    if (!(p instanceof Tensor)) throw new TypeError(`${op}: item ${i} is not a Tensor`);
  });
  return list;
}

function total(terms: Tensor[], list: Tensor[]): Tensor {
  if (terms.length === 0) return zeros([], { dtype: list[0]?.dtype ?? "float32" });
  let out = terms[0]!;
  for (let i = 1; i < terms.length; i++) out = out.add(terms[i]!);
  return out;
}

/**
 * The L1 penalty sum_p sum_i |p_i| over `params` (or a module's
 * parameters), a differentiable 0-d tensor to add to a loss:
 * `loss.add(l1Penalty(model).mul(lambda))` (lasso; the gradient is sign(p)).
 */
export function l1Penalty(params: Iterable<Tensor> | Module): Tensor {
  const list = tensorsOf(params, "l1Penalty");
  return total(list.map((p) => abs(p).sum()), list);
}

/**
 * The squared L2 penalty sum_p sum_i p_i^2 over `params` (or a module's
 * parameters), a differentiable 0-d tensor (ridge; the gradient is 2p). SGD's
 * `weightDecay: wd` matches adding `l2Penalty(params).mul(wd / 2)` to the loss.
 */
export function l2Penalty(params: Iterable<Tensor> | Module): Tensor {
  const list = tensorsOf(params, "l2Penalty");
  return total(list.map((p) => p.mul(p).sum()), list);
}
