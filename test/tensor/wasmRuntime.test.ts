// The WASM kernel tier's plumbing: the heap that manages linear memory,
// buffers kept in WASM memory across growth, the backend switch and its
// environment variable, and the shipped binary against its sources.
import { execFileSync, spawnSync } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";
import { gemmKernels, referenceGemmKernels } from "../../src/tensor/kernels/gemm.js";
import { wasmEnabled } from "../../src/tensor/kernels/wasm/active.js";
import { WasmHeap, type GrowableMemory } from "../../src/tensor/kernels/wasm/heap.js";
import { colocate, runtimeFor, sharedWasmRuntime, wasmRuntime } from "../../src/tensor/kernels/wasm/runtime.js";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PAGE = 65536;

/** A memory stand-in that records growth. */
function fakeMemory(pages: number): GrowableMemory & { grown: number; calls: number } {
  const mem = {
    buffer: new ArrayBuffer(pages * PAGE),
    grown: 0,
    calls: 0,
    grow(p: number): number {
      const old = mem.buffer.byteLength / PAGE;
      mem.buffer = new ArrayBuffer((old + p) * PAGE);
      mem.grown += p;
      mem.calls += 1;
      return old;
    },
  };
  return mem;
}

describe("WasmHeap", () => {
  it("hands out aligned, disjoint blocks inside the memory, and merges everything back when all are released", () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("alloc" as const), bytes: fc.oneof(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 0, max: 3 * PAGE })) }),
      fc.record({ kind: fc.constant("free" as const), pick: fc.nat() }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 60 }), (ops) => {
        let grows = 0;
        const mem = fakeMemory(1);
        const heap = new WasmHeap(mem, 100, () => grows++);
        const live = new Map<number, number>();
        for (const o of ops) {
          if (o.kind === "alloc") {
            const at = heap.alloc(o.bytes);
            expect(at % 64).toBe(0);
            expect(at).toBeGreaterThanOrEqual(128); // base 100, aligned up
            expect(at + o.bytes).toBeLessThanOrEqual(mem.buffer.byteLength);
            for (const [b, size] of live) expect(at + Math.max(o.bytes, 1) <= b || b + size <= at, `block at ${at} overlaps ${b}`).toBe(true);
            live.set(at, Math.max(o.bytes, 1));
          } else if (live.size > 0) {
            const at = [...live.keys()][o.pick % live.size]!;
            heap.release(at);
            live.delete(at);
          }
        }
        // onGrow runs once per growth.
        expect(grows).toBe(mem.calls);
        for (const at of live.keys()) heap.release(at);
        expect(heap.usedBytes).toBe(0);
        // One free block spans the heap again: it can be had whole, without growing.
        const before = mem.grown;
        heap.alloc(mem.buffer.byteLength - 128);
        expect(mem.grown).toBe(before);
      }),
      { numRuns: 200 },
    );
  });

  it("names what is wrong", () => {
    const heap = new WasmHeap(fakeMemory(1), 0, () => {});
    expect(() => heap.alloc(-1)).toThrow("WasmHeap.alloc: bytes must be a non-negative integer, got -1");
    expect(() => heap.release(64)).toThrow("WasmHeap.release: no block is allocated at 64");
  });
});

describe("WasmRuntime", () => {
  const own = wasmRuntime();
  const shared = sharedWasmRuntime();

  it("one instance of each; in Node the second has a shared memory", () => {
    expect(wasmRuntime()).toBe(own);
    expect(sharedWasmRuntime()).toBe(shared);
    expect(own.shared).toBe(false);
    expect(shared?.shared).toBe(true);
    // The own memory hands out no arrays (they would detach when it grows).
    expect(own.residentFloat32(4)).toBeNull();
  });

  it("keeps arrays in the shared memory valid and intact while the memory grows", () => {
    if (shared === null) return;
    const kept = shared.residentFloat32(1000)!;
    expect(Array.from(kept.subarray(0, 3))).toEqual([0, 0, 0]);
    kept.forEach((_, i) => (kept[i] = i * 0.5));
    const before = shared.memory.buffer.byteLength;
    const big = shared.heap.alloc(before + 5 * PAGE); // forces growth
    expect(shared.memory.buffer.byteLength).toBeGreaterThan(before);
    expect(kept.length).toBe(1000);
    expect(kept[999]).toBe(499.5);
    expect(shared.addressOf(kept)).toBe(kept.byteOffset);
    expect(shared.addressOf(kept.subarray(10))).toBe(kept.byteOffset + 40);
    expect(shared.f32.length).toBe(shared.memory.buffer.byteLength / 4);
    shared.heap.release(big);
  });

  it("runtimeFor picks the shared instance when an array lives there; colocate moves state next to its parameter", () => {
    const plain = Float32Array.from([1, 2, 3]);
    expect(own.addressOf(plain)).toBe(-1);
    expect(runtimeFor([plain, plain])).toBe(own);
    expect(colocate(plain, plain)).toBe(plain);
    if (shared === null) return;
    const inside = shared.residentFloat32(3)!;
    expect(runtimeFor([plain, inside])).toBe(shared);
    const moved = colocate(inside, plain);
    expect(moved).not.toBe(plain);
    expect(shared.addressOf(moved)).toBe(moved.byteOffset);
    expect(Array.from(moved)).toEqual([1, 2, 3]);
    expect(colocate(inside, moved)).toBe(moved);
    expect(shared.keepResident(new Float32Array(0)).length).toBe(0);
  });

  it("scratch blocks are reused and replaced only when a call needs more", () => {
    const a = own.scratchBlock("test", 1000);
    expect(own.scratchBlock("test", 500)).toBe(a);
    expect(own.scratchBlock("test", 1000)).toBe(a);
    const b = own.scratchBlock("test", 100_000);
    expect(own.scratchBlock("test", 100_000)).toBe(b);
  });
});

describe("setBackend / getBackend", () => {
  it("defaults to the fastest available (wasm here) unless NABLA_BACKEND says otherwise", () => {
    expect(nb.availableBackends()).toEqual(["js", "wasm"]);
    expect(nb.getBackend()).toBe(process.env.NABLA_BACKEND || "wasm");
  });

  it("switches the GEMM kernel table and the optimizer dispatch", () => {
    const before = nb.getBackend();
    try {
      nb.setBackend("js");
      expect(nb.getBackend()).toBe("js");
      expect(gemmKernels.gemm).toBe(referenceGemmKernels.gemm);
      expect(wasmEnabled()).toBe(false);
      nb.setBackend("wasm");
      expect(nb.getBackend()).toBe("wasm");
      expect(gemmKernels.gemm).not.toBe(referenceGemmKernels.gemm);
      expect(wasmEnabled()).toBe(true);
    } finally {
      nb.setBackend(before);
    }
  });

  it("rejects an unknown name and changes nothing", () => {
    const before = nb.getBackend();
    expect(() => nb.setBackend("gpu" as nb.BackendName)).toThrow(new TypeError('setBackend: expected "js" or "wasm", got "gpu"'));
    expect(nb.getBackend()).toBe(before);
  });

  it("NABLA_BACKEND selects the backend at import, and an unknown value fails loudly", () => {
    const script = `import * as nb from "./src/index.ts"; console.log(nb.getBackend());`;
    const run = (value: string) =>
      spawnSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
        cwd: root,
        encoding: "utf8",
        env: { ...process.env, NABLA_BACKEND: value },
      });
    const js = run("js");
    expect(js.stdout.trim()).toBe("js");
    const bad = run("cuda");
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toContain('NABLA_BACKEND must be "js" or "wasm", got "cuda"');
  });
});

describe("the shipped WebAssembly binary", () => {
  it("is what wasm/assembly/ builds to (npm run check:wasm)", () => {
    expect(() => execFileSync(process.execPath, [join(root, "wasm/build.mjs"), "--check"], { cwd: root, encoding: "utf8", stdio: "pipe" })).not.toThrow();
  });
});
