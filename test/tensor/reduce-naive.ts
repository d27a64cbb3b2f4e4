// Slow, obviously-right references and assertions shared by the reduction tests.
import { expect } from "vitest";
import * as nb from "../../src/index.js";

/**
 * Groups the elements of a row-major array by their slot when `axes` are
 * reduced (elements of one slot in row-major order) and folds each group.
 * Returns the values in row-major order of the kept shape.
 */
export function naiveReduce(values: ArrayLike<number>, shape: readonly number[], axes: readonly number[], fold: (slot: number[]) => number): number[] {
  const norm = axes.map((a) => (a < 0 ? a + shape.length : a));
  const kept = shape.map((d, i) => (norm.includes(i) ? 1 : d));
  const keptStrides = nb.stridesOf(kept);
  const groups: number[][] = Array.from({ length: nb.sizeOf(kept) }, () => []);
  const strides = nb.stridesOf(shape);
  for (let i = 0; i < values.length; i++) {
    let key = 0;
    for (let d = 0; d < shape.length; d++) {
      const idx = Math.floor(i / strides[d]!) % shape[d]!;
      if (!norm.includes(d)) key += idx * keptStrides[d]!;
    }
    groups[key]!.push(values[i]!);
  }
  return groups.map(fold);
}

/** Every subset of 0..ndim-1, the empty one included. */
export function axisSubsets(ndim: number): number[][] {
  const out: number[][] = [];
  for (let mask = 0; mask < 1 << ndim; mask++) out.push([...Array(ndim).keys()].filter((d) => mask & (1 << d)));
  return out;
}

/** The shape after reducing `axes` (non-negative), as torch reports it. */
export function expectedShape(shape: readonly number[], axes: readonly number[], keepdim: boolean): number[] {
  return keepdim ? shape.map((d, i) => (axes.includes(i) ? 1 : d)) : shape.filter((_, i) => !axes.includes(i));
}

/** Elementwise closeness with the first differing index in the message. */
export function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-12): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i]!;
    const e = expected[i]!;
    if (Number.isNaN(e) && Number.isNaN(a)) continue;
    if (a === e) continue;
    const ok = Math.abs(a - e) <= tol * Math.max(1, Math.abs(e));
    if (!ok) expect.fail(`index ${i}: got ${a}, expected ${e} (tol ${tol})`);
  }
}

/** Random float64 values from a seeded generator, spread out so that ties are unlikely. */
export function randomTensor(shape: number[], seed: number, requiresGrad = true): nb.Tensor {
  const t = nb.randn(shape, { dtype: "float64", generator: new nb.Generator(seed) });
  return requiresGrad ? t.requiresGrad_() : t;
}

/**
 * Checks second derivatives: the gradient of sum(grad f(x) * v) for a fixed
 * v, by finite differences of grad f computed with createGraph.
 */
export function gradcheckSecondOrder(f: (x: nb.Tensor) => nb.Tensor, x: nb.Tensor, seed = 7): void {
  const v = nb.randn(x.shape, { dtype: "float64", generator: new nb.Generator(seed) });
  nb.gradcheck((y) => nb.grad(f, { createGraph: true })(y).mul(v).sum(), [x]);
}
