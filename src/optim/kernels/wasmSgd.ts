import { runtimeFor } from "../../tensor/kernels/wasm/runtime.js";
import { runStaged } from "../../tensor/kernels/wasm/staging.js";

const WRITES = [true, false, true];

/**
 * `sgdKernel` (sgd.ts) in WebAssembly SIMD, for float32 parameters: the
 * same update, same arguments, computed in float32 four lanes at a time.
 * Ordinary arrays are copied through a staging block chunk by chunk;
 * arrays that live in the shared WASM memory are updated in place.
 */
export function wasmSgdKernel(
  p: Float32Array,
  g: Float32Array,
  buf: Float32Array | null,
  first: boolean,
  lr: number,
  momentum: number,
  dampening: number,
  weightDecay: number,
  nesterov: boolean,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  const rt = runtimeFor(buf === null ? [p, g] : [p, g, buf]);
  const k = rt.kernels;
  if (buf === null) {
    runStaged(rt, [p, g], WRITES, p.length, (a, n) => k.sgd(a[0]!, a[1]!, n, lr, weightDecay, sign));
    return;
  }
  const mu = first ? 0 : momentum;
  const keep = first ? 1 : 1 - dampening;
  const look = nesterov ? momentum : 0;
  runStaged(rt, [p, g, buf], WRITES, p.length, (a, n) => k.sgdMomentum(a[0]!, a[1]!, a[2]!, n, lr, mu, keep, weightDecay, sign, nesterov ? 1 : 0, look));
}
