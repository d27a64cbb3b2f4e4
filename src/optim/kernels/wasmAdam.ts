import { runtimeFor } from "../../tensor/kernels/wasm/runtime.js";
import { runStaged } from "../../tensor/kernels/wasm/staging.js";

const WRITES = [true, false, true, true, true];

/**
 * `adamKernel` (adam.ts) in WebAssembly SIMD, for float32 parameters: the
 * same update, same arguments, computed in float32 four lanes at a time (the
 * TypeScript kernel computes in double and rounds on store; they agree to a
 * few ulps). Ordinary arrays are copied through a staging block chunk by
 * chunk (L2-sized, so main memory sees each byte once); arrays that live in
 * the shared WASM memory are updated in place, with no copy.
 */
export function wasmAdamKernel(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  vMax: Float32Array | null,
  stepSize: number,
  invSqrtBc2: number,
  lr: number,
  b1: number,
  b2: number,
  eps: number,
  weightDecay: number,
  decoupled: boolean,
  maximize: boolean,
): void {
  const sign = maximize ? -1 : 1;
  const coupled = decoupled ? 0 : weightDecay;
  const shrink = decoupled ? 1 - lr * weightDecay : 1;
  const arrays = vMax === null ? [p, g, m, v] : [p, g, m, v, vMax];
  const rt = runtimeFor(arrays);
  const k = rt.kernels;
  runStaged(rt, arrays, WRITES, p.length, (a, n) =>
    k.adam(a[0]!, a[1]!, a[2]!, a[3]!, vMax === null ? 0 : a[4]!, n, stepSize, invSqrtBc2, b1, 1 - b1, b2, 1 - b2, eps, shrink, coupled, sign),
  );
}
