/**
 * A first-fit allocator over a WebAssembly linear memory, run from
 * JavaScript: the kernels have no allocator of their own, so every buffer
 * they work on (staging areas, GEMM scratch, optimizer state kept in WASM
 * memory) is a range handed out here. Blocks are 64-byte aligned (a cache
 * line, and more than f32x4 needs); freed blocks merge with free neighbours;
 * when nothing fits, the memory grows by what is missing.
 */

/** The part of `WebAssembly.Memory` the heap uses. */
export interface GrowableMemory {
  readonly buffer: ArrayBufferLike;
  grow(pages: number): number;
}

const PAGE = 65536;
const ALIGN = 64;

type Block = { at: number; size: number };

export class WasmHeap {
  /** Free blocks, sorted by address, never adjacent (merged). */
  private readonly free: Block[] = [];
  private readonly used = new Map<number, number>();

  /**
   * @param memory the linear memory
   * @param base first byte the heap may use (past the module's static data)
   * @param onGrow called after the memory grew (views over a non-shared buffer are detached by then)
   */
  constructor(
    private readonly memory: GrowableMemory,
    base: number,
    private readonly onGrow: () => void,
  ) {
    const start = roundUp(base, ALIGN);
    const end = memory.buffer.byteLength;
    if (end > start) this.free.push({ at: start, size: end - start });
  }

  /** Bytes currently handed out. */
  get usedBytes(): number {
    let s = 0;
    for (const size of this.used.values()) s += size;
    return s;
  }

  /** The address of a new block of at least `bytes` bytes (contents undefined). */
  alloc(bytes: number): number {
    if (!Number.isInteger(bytes) || bytes < 0) throw new RangeError(`WasmHeap.alloc: bytes must be a non-negative integer, got ${bytes}`);
    const size = Math.max(ALIGN, roundUp(bytes, ALIGN));
    let i = this.free.findIndex((b) => b.size >= size);
    if (i < 0) i = this.growFor(size);
    const block = this.free[i]!;
    const at = block.at;
    if (block.size === size) this.free.splice(i, 1);
    else {
      block.at += size;
      block.size -= size;
    }
    this.used.set(at, size);
    return at;
  }

  /** Returns a block from `alloc` to the free list. */
  release(at: number): void {
    const size = this.used.get(at);
    if (size === undefined) throw new Error(`WasmHeap.release: no block is allocated at ${at}`);
    this.used.delete(at);
    let i = 0;
    while (i < this.free.length && this.free[i]!.at < at) i++;
    this.free.splice(i, 0, { at, size });
    // Merge with the next block, then with the previous one.
    const cur = this.free[i]!;
    const next = this.free[i + 1];
    if (next !== undefined && cur.at + cur.size === next.at) {
      cur.size += next.size;
      this.free.splice(i + 1, 1);
    }
    const prev = this.free[i - 1];
    if (prev !== undefined && prev.at + prev.size === cur.at) {
      prev.size += cur.size;
      this.free.splice(i, 1);
    }
  }

  /** Grows the memory so that a free block of `size` bytes ends it; returns that block's index. */
  private growFor(size: number): number {
    const end = this.memory.buffer.byteLength;
    const last = this.free[this.free.length - 1];
    const tail = last !== undefined && last.at + last.size === end ? last.size : 0;
    const pages = Math.ceil((size - tail) / PAGE);
    try {
      this.memory.grow(pages);
    } catch (e) {
      throw new RangeError(`WasmHeap: cannot grow WebAssembly memory by ${pages} pages to ${(end + pages * PAGE) / 2 ** 20} MiB for a block of ${size} bytes (${(e as Error).message})`);
    }
    const added = this.memory.buffer.byteLength - end;
    if (tail > 0) last!.size += added;
    else this.free.push({ at: end, size: added });
    this.onGrow();
    return this.free.length - 1;
  }
}

function roundUp(x: number, m: number): number {
  return Math.ceil(x / m) * m;
}
