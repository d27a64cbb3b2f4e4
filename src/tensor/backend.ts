import { gemmKernels, referenceGemmKernels, type GemmKernel } from "./kernels/gemm.js";
import { setWasmEnabled } from "./kernels/wasm/active.js";
import { createWasmGemm } from "./kernels/wasm/gemm.js";
import { wasmAbsence, wasmRuntime } from "./kernels/wasm/runtime.js";

/**
 * Which kernels run: "js", the plain TypeScript reference kernels (always
 * there), or "wasm", the WebAssembly SIMD tier (float32 GEMM and the fused
 * SGD / Adam / AdamW updates; everything else, and every float64 op, still
 * runs the TypeScript kernels).
 */
export type BackendName = "js" | "wasm";

let current: BackendName = "js";
let wasmGemm: GemmKernel | null = null;

/** The backend in use. */
export function getBackend(): BackendName {
  return current;
}

/** The backends this environment can run: "js" always, "wasm" where WebAssembly has 128-bit SIMD. */
export function availableBackends(): BackendName[] {
  return wasmAbsence() === null ? ["js", "wasm"] : ["js"];
}

/**
 * Selects the kernels every later op and optimizer step uses. "wasm"
 * throws, naming the reason, where WebAssembly SIMD is absent; nothing
 * falls back silently. Default: the fastest available ("wasm" where it
 * exists), or the `NABLA_BACKEND` environment variable when set.
 */
export function setBackend(name: BackendName): void {
  if (name !== "js" && name !== "wasm") throw new TypeError(`setBackend: expected "js" or "wasm", got ${JSON.stringify(name)}`);
  if (name === "wasm") {
    const absent = wasmAbsence();
    if (absent !== null) throw new Error(`setBackend("wasm"): ${absent}; use "js"`);
    wasmRuntime(); // instantiates now, so that a failure shows here
    wasmGemm ??= createWasmGemm();
    gemmKernels.gemm = wasmGemm;
    setWasmEnabled(true);
  } else {
    gemmKernels.gemm = referenceGemmKernels.gemm;
    setWasmEnabled(false);
  }
  current = name;
}

function environmentChoice(): string | undefined {
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const v = env?.NABLA_BACKEND;
  return v === undefined || v === "" ? undefined : v;
}

// The initial choice: NABLA_BACKEND if set (an unknown name or an
// unavailable backend throws, here at import), else wasm where it exists.
const asked = environmentChoice();
if (asked !== undefined) {
  if (asked !== "js" && asked !== "wasm") throw new Error(`NABLA_BACKEND must be "js" or "wasm", got "${asked}"`);
  setBackend(asked);
} else if (wasmAbsence() === null) {
  setBackend("wasm");
}
