// The nabla WebAssembly SIMD kernels (built by wasm/build.mjs into
// src/tensor/kernels/wasm/binary.generated.ts). No runtime, no allocator:
// the JavaScript side owns every byte above `heapBase()`.
export { adam, sgd, sgdMomentum } from "./optim";
export { axpy } from "./elementwise";
export { sgemm, MR, NR } from "./gemm";

/** The first byte the JavaScript side may use (past this module's static data). */
export function heapBase(): usize {
  return __heap_base;
}
