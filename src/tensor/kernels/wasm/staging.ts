import type { WasmRuntime } from "./runtime.js";

/**
 * Elements per array per chunk when arrays are copied through WASM memory:
 * 64 KiB each, so that a chunk of every operand stays in L2 between the
 * copy in, the kernel and the copy out, and main memory sees each byte once,
 * as it would without the copies.
 */
export const STAGE_CHUNK = 16384;
/** The most arrays one staged call takes. */
export const STAGE_SLOTS = 6;

// Below this many elements a loop copies faster than subarray() + set().
const LOOP_COPY = 64;

// Reused between calls (kernels are synchronous and do not nest).
const base = new Array<number>(STAGE_SLOTS).fill(-1);
const addr = new Array<number>(STAGE_SLOTS).fill(0);

function copyIn(f: Float32Array, at: number, src: Float32Array, lo: number, count: number): void {
  if (count < LOOP_COPY) for (let j = 0; j < count; j++) f[at + j] = src[lo + j]!;
  else f.set(lo === 0 && count === src.length ? src : src.subarray(lo, lo + count), at);
}

function copyOut(f: Float32Array, at: number, dst: Float32Array, lo: number, count: number): void {
  if (count < LOOP_COPY) for (let j = 0; j < count; j++) dst[lo + j] = f[at + j]!;
  else dst.set(f.subarray(at, at + count), lo);
}

/**
 * Runs `kernel(addresses, count)` over elements [0, n) of `arrays` (each at
 * least n long). Arrays that live in WASM memory are passed in place; the
 * others go through a fixed staging block STAGE_CHUNK elements at a time:
 * copied in before each call and, where `written[i]`, copied back after it.
 * So the kernel never allocates, and only arrays outside WASM memory pay
 * for copies.
 */
export function runStaged(
  rt: WasmRuntime,
  arrays: readonly Float32Array[],
  written: readonly boolean[],
  n: number,
  kernel: (addresses: readonly number[], count: number) => void,
): void {
  const k = arrays.length;
  if (k > STAGE_SLOTS) throw new RangeError(`runStaged: at most ${STAGE_SLOTS} arrays, got ${k}`);
  if (n === 0) return;
  let staged = false;
  for (let i = 0; i < k; i++) {
    base[i] = rt.addressOf(arrays[i]!);
    if (base[i]! < 0) staged = true;
  }
  if (!staged) {
    kernel(base, n);
    return;
  }
  const stage = rt.scratchBlock("stage", STAGE_SLOTS * STAGE_CHUNK * 4) >> 2;
  const f = rt.f32;
  for (let lo = 0; lo < n; lo += STAGE_CHUNK) {
    const count = Math.min(STAGE_CHUNK, n - lo);
    for (let i = 0; i < k; i++) {
      if (base[i]! >= 0) addr[i] = base[i]! + lo * 4;
      else {
        const at = stage + i * STAGE_CHUNK;
        copyIn(f, at, arrays[i]!, lo, count);
        addr[i] = at * 4;
      }
    }
    kernel(addr, count);
    for (let i = 0; i < k; i++) {
      if (base[i]! < 0 && written[i]) copyOut(f, stage + i * STAGE_CHUNK, arrays[i]!, lo, count);
    }
  }
}
