import { setGradEnabled } from "../tensor/gradMode.js";
import { Tensor } from "../tensor/tensor.js";
import { shapeToString, shapesEqual } from "../tensor/shape.js";
import { add } from "../tensor/ops/arithmetic.js";
import { to } from "../tensor/ops/cast.js";
import { ones } from "../tensor/creation.js";

export interface BackwardOptions {
  /**
   * Record the backward pass itself, so the gradients can be differentiated
   * again (Hessian-vector products, second-order methods).
   */
  createGraph?: boolean;
}

/** Every tensor that `roots` depend on through recorded ops, inputs before outputs. */
function topologicalOrder(roots: readonly Tensor[]): Tensor[] {
  const order: Tensor[] = [];
  const visited = new Set<Tensor>();
  // Iterative post-order DFS: deep graphs (long training loops unrolled) must not blow the JS stack.
  const stack: { t: Tensor; next: number }[] = [];
  for (const root of roots) {
    if (visited.has(root)) continue;
    visited.add(root);
    stack.push({ t: root, next: 0 });
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const inputs = top.t.gradFn?.inputs ?? [];
      if (top.next < inputs.length) {
        const child = inputs[top.next++]!;
        if (child.requiresGrad && !visited.has(child)) {
          visited.add(child);
          stack.push({ t: child, next: 0 });
        }
      } else {
        order.push(top.t);
        stack.pop();
      }
    }
  }
  return order;
}

/**
 * Reverse-mode differentiation: propagates `seeds` (the gradients of
 * `roots`) through the recorded graph and returns the gradient of every
 * tensor reached that requires one. Runs the backward rules without
 * recording unless `createGraph`.
 */
export function propagate(roots: readonly Tensor[], seeds: readonly Tensor[], options: BackwardOptions = {}): Map<Tensor, Tensor> {
  const previous = setGradEnabled(options.createGraph === true);
  try {
    const grads = new Map<Tensor, Tensor>();
    roots.forEach((r, i) => accumulate(grads, r, seeds[i]!));
    const order = topologicalOrder(roots);
    for (let k = order.length - 1; k >= 0; k--) {
      const t = order[k]!;
      const fn = t.gradFn;
      const g = grads.get(t);
      if (fn === null || g === undefined) continue;
      const inputGrads = fn.backward(g);
      for (let i = 0; i < fn.inputs.length; i++) {
        const input = fn.inputs[i]!;
        const gi = inputGrads[i];
        if (!input.requiresGrad || gi === null || gi === undefined) continue;
        if (!shapesEqual(gi.shape, input.shape)) {
          throw new Error(
            `backward: ${fn.name} returned a gradient of shape ${shapeToString(gi.shape)} for an input of shape ${shapeToString(input.shape)}`,
          );
        }
        accumulate(grads, input, gi.dtype === input.dtype ? gi : to(gi, input.dtype));
      }
    }
    return grads;
  } finally {
    setGradEnabled(previous);
  }
}

function accumulate(grads: Map<Tensor, Tensor>, t: Tensor, g: Tensor): void {
  const existing = grads.get(t);
  grads.set(t, existing === undefined ? g : add(existing, g));
}

/**
 * Computes the gradient of `root` with respect to every leaf that requires
 * one and adds it into the leaf's `.grad` (PyTorch's accumulation: call
 * `zeroGrad` between steps). `gradient` defaults to 1 for a one-element root.
 */
export function backward(root: Tensor, gradient?: Tensor, options: BackwardOptions = {}): void {
  if (!root.requiresGrad) {
    throw new Error("backward: the tensor does not require grad and has no grad_fn (did you forget requiresGrad: true, or call it under noGrad?)");
  }
  let seed = gradient;
  if (seed === undefined) {
    if (root.size !== 1) {
      throw new Error(`backward: a gradient can be created implicitly only for one-element outputs, got shape ${shapeToString(root.shape)}`);
    }
    seed = ones(root.shape, { dtype: root.dtype });
  } else if (!shapesEqual(seed.shape, root.shape)) {
    throw new Error(`backward: gradient has shape ${shapeToString(seed.shape)} but the output has shape ${shapeToString(root.shape)}`);
  }
  const grads = propagate([root], [seed], options);
  for (const [t, g] of grads) {
    if (t.gradFn !== null || !t.requiresGrad) continue;
    accumulateLeafGrad(t, g, options.createGraph === true);
  }
}

function accumulateLeafGrad(leaf: Tensor, g: Tensor, createGraph: boolean): void {
  const current = leaf.grad;
  if (createGraph) {
    leaf.grad = current === null ? g : add(current, g);
    return;
  }
  if (current !== null && current.dtype === g.dtype && shapesEqual(current.shape, g.shape) && current.gradFn === null) {
    const dst = current.data;
    const src = g.data;
    for (let i = 0; i < dst.length; i++) dst[i] = dst[i]! + src[i]!;
    return;
  }
  // A gradient tensor may be shared between several inputs of one op: copy before keeping it.
  leaf.grad = current === null ? new Tensor(g.data.slice(), g.shape) : add(current.detach(), g);
}

declare module "../tensor/tensor.js" {
  interface Tensor {
    /** Backpropagates from this tensor into the `.grad` of every leaf it depends on. */
    backward(gradient?: Tensor, options?: BackwardOptions): void;
  }
}

Tensor.prototype.backward = function (this: Tensor, gradient?: Tensor, options?: BackwardOptions) {
  backward(this, gradient, options);
};
