import { kernelsSharedWasm, kernelsWasm } from "./binary.generated.js";
import { WasmHeap, type GrowableMemory } from "./heap.js";

/**
 * The WebAssembly SIMD kernels (wasm/assembly/, built into
 * binary.generated.ts), instantiated with the heap that manages their
 * memory. Addresses passed to the kernels are byte offsets into that memory.
 *
 * Two instances, one binary each:
 * - `wasmRuntime()` owns an ordinary memory. Ordinary arrays (tensors in the
 *   JS heap) are copied through it chunk by chunk around each kernel call;
 *   copies into an ordinary buffer run at memcpy speed.
 * - `sharedWasmRuntime()` imports a shared memory (Node; browsers when
 *   cross-origin isolated). A shared buffer never detaches when the memory
 *   grows, so typed arrays over it stay valid for good: `residentFloat32`
 *   hands out such arrays, and kernels use them in place, copying nothing.
 *   V8 copies into and out of shared buffers several times slower than
 *   memcpy, so ordinary arrays are better staged through the first instance.
 * `runtimeFor(arrays)` picks the one a call should use.
 */

/** The kernels' exports, as typed here (booleans are passed as 0 / 1). */
export interface KernelExports {
  heapBase(): number;
  adam(
    p: number, g: number, m: number, v: number, vmax: number, n: number,
    stepSize: number, invSqrtBc2: number, b1: number, c1: number, b2: number, c2: number, eps: number,
    shrink: number, coupled: number, sign: number,
  ): void;
  sgd(p: number, g: number, n: number, lr: number, wd: number, sign: number): void;
  sgdMomentum(p: number, g: number, buf: number, n: number, lr: number, mu: number, keep: number, wd: number, sign: number, nesterov: number, look: number): void;
  axpy(y: number, x: number, n: number, alpha: number): void;
  sgemm(
    transA: number, transB: number, m: number, n: number, k: number, alpha: number,
    a: number, lda: number, b: number, ldb: number, beta: number, c: number, ldc: number,
    ap: number, bp: number, mc: number, kc: number, nc: number,
  ): void;
}

// The part of the WebAssembly API used here, typed locally so that the
// project needs no DOM typings.
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
  Memory: new (d: { initial: number; maximum?: number; shared?: boolean }) => GrowableMemory;
  validate(bytes: Uint8Array): boolean;
}

function wasmApi(): WasmApi | undefined {
  return (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
}

// (module (func (result v128) (v128.const i32x4 0 0 0 0))): validates only where 128-bit SIMD is supported.
const SIMD_PROBE = new Uint8Array([
  0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, 0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7b, 0x03, 0x02, 0x01, 0x00,
  0x0a, 0x16, 0x01, 0x14, 0x00, 0xfd, 0x0c, ...new Array<number>(16).fill(0), 0x0b,
]);

/** Why the WASM kernels cannot run here, or null when they can (WebAssembly with 128-bit SIMD exists). */
export function wasmAbsence(): string | null {
  const api = wasmApi();
  if (api === undefined) return "this JavaScript engine has no WebAssembly";
  if (!api.validate(SIMD_PROBE)) return "this engine's WebAssembly has no 128-bit SIMD";
  return null;
}

function decodeBase64(text: string): Uint8Array {
  const bin = atob(text);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/** A shared memory (the largest maximum that can be reserved), or null where shared memory is unavailable. */
function sharedMemory(api: WasmApi): GrowableMemory | null {
  if (typeof SharedArrayBuffer !== "function") return null;
  for (const maximum of [65536, 16384, 4096]) {
    try {
      return new api.Memory({ initial: 1, maximum, shared: true });
    } catch {
      // Not cross-origin isolated, or the address space cannot be reserved: try smaller, then give up.
    }
  }
  return null;
}

export class WasmRuntime {
  readonly kernels: KernelExports;
  readonly memory: GrowableMemory;
  /** The memory is shared, so arrays over it can be handed out and kept (`residentFloat32`). */
  readonly shared: boolean;
  readonly heap: WasmHeap;
  private f32View: Float32Array;
  /** Every buffer object a kept view was made on (a shared memory gets a new one at each growth). */
  private readonly buffers = new WeakSet<ArrayBufferLike>();
  private finalizer: FinalizationRegistry<number> | null = null;
  private readonly scratch = new Map<string, { at: number; bytes: number }>();

  /**
   * Instantiates the kernels over `shared` (the shared-memory binary) or
   * over a memory of their own (`shared` null). Throws if that fails where
   * WebAssembly SIMD exists: that is a bug, not an absence.
   */
  constructor(shared: GrowableMemory | null) {
    const absent = wasmAbsence();
    if (absent !== null) throw new Error(`WebAssembly kernels unavailable: ${absent}`);
    const api = wasmApi()!;
    let exports: Record<string, unknown>;
    if (shared !== null) {
      exports = new api.Instance(new api.Module(decodeBase64(kernelsSharedWasm)), { env: { memory: shared } }).exports;
      this.memory = shared;
    } else {
      exports = new api.Instance(new api.Module(decodeBase64(kernelsWasm)), {}).exports;
      this.memory = exports.memory as GrowableMemory;
    }
    this.shared = shared !== null;
    this.kernels = exports as unknown as KernelExports;
    this.f32View = new Float32Array(this.memory.buffer);
    this.heap = new WasmHeap(this.memory, this.kernels.heapBase(), () => {
      this.f32View = new Float32Array(this.memory.buffer);
    });
  }

  /** A Float32Array over the whole memory as it is now (a new one after each growth). */
  get f32(): Float32Array {
    return this.f32View;
  }

  /**
   * The byte address of `arr` when it is a view into this memory (made by
   * `residentFloat32`, or a subarray of one), else -1.
   */
  addressOf(arr: Float32Array): number {
    return this.buffers.has(arr.buffer) ? arr.byteOffset : -1;
  }

  /**
   * A zero-filled Float32Array of `n` elements that lives in this WASM
   * memory, for kernels to use in place; null when the memory is not shared
   * (its arrays would detach when it grows). The block returns to the heap
   * once the array is garbage-collected, so keep the array itself, not only
   * a subarray of it, for as long as any view of it is in use.
   */
  residentFloat32(n: number): Float32Array | null {
    if (!this.shared) return null;
    if (n === 0) return new Float32Array(0);
    const at = this.heap.alloc(n * 4);
    const buffer = this.memory.buffer;
    const view = new Float32Array(buffer, at, n);
    view.fill(0);
    this.buffers.add(buffer);
    this.finalizer ??= new FinalizationRegistry<number>((block) => this.heap.release(block));
    this.finalizer.register(view, at);
    return view;
  }

  /** `arr` itself when it already lives in this memory (or cannot: not shared, or empty), else a copy of it that does. */
  keepResident(arr: Float32Array): Float32Array {
    if (!this.shared || arr.length === 0 || this.addressOf(arr) >= 0) return arr;
    const out = this.residentFloat32(arr.length)!;
    out.set(arr);
    return out;
  }

  /**
   * The address of a named scratch block of at least `bytes` bytes, kept
   * from call to call and replaced by a larger one only when a call needs
   * more (its contents do not survive that).
   */
  scratchBlock(name: string, bytes: number): number {
    const cur = this.scratch.get(name);
    if (cur !== undefined && cur.bytes >= bytes) return cur.at;
    if (cur !== undefined) this.heap.release(cur.at);
    const at = this.heap.alloc(bytes);
    this.scratch.set(name, { at, bytes });
    return at;
  }
}

let own: WasmRuntime | null = null;
let shared: WasmRuntime | null | undefined;

/** The kernels over a memory of their own, created on first use (throws where WebAssembly SIMD is absent). */
export function wasmRuntime(): WasmRuntime {
  own ??= new WasmRuntime(null);
  return own;
}

/** The kernels over a shared memory, created on first use; null where shared memory is unavailable. */
export function sharedWasmRuntime(): WasmRuntime | null {
  if (shared === undefined) {
    const memory = wasmAbsence() === null ? sharedMemory(wasmApi()!) : null;
    shared = memory === null ? null : new WasmRuntime(memory);
  }
  return shared;
}

/** The runtime a kernel call on `arrays` should use: the shared one when any of them lives in its memory, else the own one. */
export function runtimeFor(arrays: readonly Float32Array[]): WasmRuntime {
  if (shared) for (const a of arrays) if (shared.addressOf(a) >= 0) return shared;
  return wasmRuntime();
}

/**
 * `arr` moved next to `anchor`: into the shared WASM memory when `anchor`
 * lives there (so that a kernel over both copies nothing), else `arr`
 * unchanged. Optimizers keep their state with their parameter through this.
 */
export function colocate(anchor: Float32Array, arr: Float32Array): Float32Array {
  return shared && shared.addressOf(anchor) >= 0 ? shared.keepResident(arr) : arr;
}
