// Optimizers whose step updates each parameter on its own from its own state
// (every torch.optim class but L-BFGS): one fused kernel call per parameter,
// with the equivalent chain of transformations as the reference.
import type { Tensor } from "../tensor/tensor.js";
import { chain } from "./chain.js";
import { Optimizer, type Closure, type GroupOptions, type ParamGroup } from "./optimizer.js";
import type { FloatArray, GradientTransformation, State } from "./types.js";

/** A link of a reference chain, with the state to run it on (bound to the optimizer's buffers) if any. */
export type ReferenceLink = { tx: GradientTransformation; state?: State };

/**
 * Runs a chain of transformations over one parameter as the reference for a
 * fused kernel: the gradient is copied into a float64 update buffer (so the
 * chain rounds like the kernel, which computes in double), the links whose
 * state is given run on it (sharing the optimizer's buffers), and the result
 * is added to the parameter.
 */
export function runReference(param: Tensor, grad: FloatArray, links: readonly (ReferenceLink | null)[]): void {
  const used = links.filter((l): l is ReferenceLink => l !== null);
  const tx = chain(...used.map((l) => l.tx));
  const state = tx.init([param]);
  used.forEach((l, i) => {
    if (l.state !== undefined) state[i] = l.state;
  });
  const u = Float64Array.from(grad);
  tx.update([u], state, [param]);
  const p = param.data as FloatArray;
  for (let i = 0; i < p.length; i++) p[i] += u[i];
}

/**
 * An optimizer that updates every parameter independently (torch's
 * per-parameter algorithms). `step` runs the fused kernel of the subclass
 * over each parameter with a gradient (skipping `grad === null`, as torch),
 * creating its state on first use. Setting `fused = false` runs the
 * equivalent chain of transformations instead: tests use it to check that
 * both agree.
 */
export abstract class ParamwiseOptimizer<O extends GroupOptions, S extends State> extends Optimizer<O, S> {
  /** Run the fused kernel (default) or, when false, the reference chain of transformations. */
  fused = true;

  /** The state of a parameter before its first step. */
  protected abstract initState(param: Tensor, group: ParamGroup<O>): S;

  /** One update of `param` by its fused kernel (reads the group's options now). */
  protected abstract fusedUpdate(param: Tensor, grad: FloatArray, state: S, group: ParamGroup<O>): void;

  /** The same update through the chain of transformations the optimizer is built from. */
  protected abstract referenceUpdate(param: Tensor, grad: FloatArray, state: S, group: ParamGroup<O>): void;

  protected stateTemplate(param: Tensor, group: ParamGroup<O>): S {
    return this.initState(param, group);
  }

  step(closure?: Closure): number | undefined {
    const loss = closure === undefined ? undefined : this.evaluateClosure(closure);
    this.checkGradients();
    for (const group of this.paramGroups) {
      for (const param of group.params) {
        const grad = param.grad;
        if (grad === null) continue;
        let state = this.state.get(param);
        if (state === undefined) {
          state = this.initState(param, group);
          this.state.set(param, state);
        }
        const g = grad.data as FloatArray;
        if (this.fused) this.fusedUpdate(param, g, state, group);
        else this.referenceUpdate(param, g, state, group);
      }
    }
    this.stepCount += 1;
    return loss;
  }
}
