// Whether kernels should dispatch to WebAssembly: set by setBackend
// (../../backend.ts). Kept apart from backend.ts so that kernels can read it
// without the public API exporting it.
let enabled = false;

/** True when the backend is "wasm": float32 kernels with a WASM version run it (the caller picks the runtime with runtimeFor). */
export function wasmEnabled(): boolean {
  return enabled;
}

/** Called by setBackend only. */
export function setWasmEnabled(on: boolean): void {
  enabled = on;
}
