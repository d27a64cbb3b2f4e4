// Shared by the weight-averaging tools: a model's tensors by name, checked
// against a saved set, and the in-place arithmetic on their typed arrays.
import type { Module } from "../../nn/module.js";
import { convertArray } from "../../tensor/creation.js";
import { isFloating } from "../../tensor/dtype.js";
import { shapesEqual, shapeToString } from "../../tensor/shape.js";
import { Tensor } from "../../tensor/tensor.js";

/** A live tensor of a model: its dotted name and whether it is a buffer. */
export interface NamedTensor {
  name: string;
  tensor: Tensor;
  buffer: boolean;
}

/** Every parameter, then every buffer, by dotted name (the model's live tensors, not copies). */
export function namedTensors(model: Module): NamedTensor[] {
  return [
    ...model.namedParameters().map(([name, tensor]) => ({ name, tensor, buffer: false })),
    ...model.namedBuffers().map(([name, tensor]) => ({ name, tensor, buffer: true })),
  ];
}

/**
 * Throws unless `model`'s tensors have exactly the names of `expected` and
 * the same shapes; returns them in `expected`'s order.
 */
export function matchTensors(owner: string, model: Module, expected: ReadonlyMap<string, Tensor>): NamedTensor[] {
  const live = new Map(namedTensors(model).map((t) => [t.name, t]));
  const missing = [...expected.keys()].filter((n) => !live.has(n));
  const unexpected = [...live.keys()].filter((n) => !expected.has(n));
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`missing ${missing.join(", ")}`);
  if (unexpected.length > 0) problems.push(`unexpected ${unexpected.join(", ")}`);
  for (const [name, t] of expected) {
    const other = live.get(name)?.tensor;
    if (other !== undefined && !shapesEqual(other.shape, t.shape)) {
      problems.push(`"${name}" has shape ${shapeToString(other.shape)}, expected ${shapeToString(t.shape)}`);
    }
  }
  if (problems.length > 0) throw new Error(`${owner}: the model does not match the averaged tensors: ${problems.join("; ")}`);
  return [...expected.keys()].map((n) => live.get(n)!);
}

/** Copies `source`'s values into `target` in place (int32 targets truncate toward zero). */
export function copyValues(target: Tensor, source: Tensor): void {
  target.data.set(source.dtype === target.dtype ? source.data : convertArray(source.data, target.dtype));
}

/** A detached copy. */
export function copyTensor(t: Tensor): Tensor {
  return new Tensor(t.data.slice(), t.shape);
}

/**
 * `target += weight * (end - target)` in place, with torch.lerp's two
 * forms (from the nearer end) so that weight 1 gives `end` exactly. Non-
 * floating targets truncate toward zero.
 */
export function lerpInto(target: Tensor, end: Tensor, weight: number): void {
  const t = target.data;
  const e = end.data;
  const round = !isFloating(target.dtype);
  for (let i = 0; i < t.length; i++) {
    const a = t[i]!;
    const b = e[i]!;
    const v = weight < 0.5 ? a + weight * (b - a) : b - (b - a) * (1 - weight);
    t[i] = round ? Math.trunc(v) : v;
  }
}
