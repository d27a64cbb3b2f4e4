import { runtimeFor } from "./runtime.js";
import { runStaged } from "./staging.js";

const AXPY_WRITES = [true, false];

/**
 * y ← y + alpha·x (BLAS saxpy) over y.length elements, in WebAssembly SIMD,
 * float32 arithmetic. Arrays outside WASM memory are copied through the
 * staging block; arrays inside (the shared one) are used in place.
 */
export function wasmAxpy(y: Float32Array, x: Float32Array, alpha: number): void {
  if (x.length < y.length) throw new RangeError(`wasmAxpy: x has ${x.length} elements, y has ${y.length}`);
  const rt = runtimeFor([y, x]);
  runStaged(rt, [y, x], AXPY_WRITES, y.length, (a, n) => rt.kernels.axpy(a[0]!, a[1]!, n, alpha));
}
