// PyTorch as a peer: a persistent python3 process (torch_worker.py) per
// thread count, answering timing requests, so that its rounds interleave
// with nabla's. Its BLAS is whatever the system provides (Debian:
// libblas.so.3, OpenBLAS once libopenblas0-pthread is installed).
//
// glibc malloc is tuned for it (GLIBC_TUNABLES, and the older MALLOC_*_
// variables): no mmap for large blocks and no trimming, so the temporaries
// of each optimizer step reuse freed memory instead of faulting in fresh
// pages (as installed, Adam at 1e7 float32 runs about 3x slower here).
// That is PyTorch at its best on this machine.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { dirname, join } from "node:path";
import { createInterface, type Interface } from "node:readline";
import { fileURLToPath } from "node:url";

const here = dirname(fileURLToPath(import.meta.url));
const BIG = String(2 ** 40);

/** The environment the worker runs in: malloc tuned, one BLAS thread unless a request asks for more. */
export const TORCH_ENV: Record<string, string> = {
  GLIBC_TUNABLES: `glibc.malloc.mmap_max=0:glibc.malloc.trim_threshold=${BIG}`,
  MALLOC_MMAP_MAX_: "0",
  MALLOC_TRIM_THRESHOLD_: BIG,
};

/** The first python3 that imports torch: Debian's /usr/bin/python3 (python3-torch), then the one on PATH. */
function findPython(): { python: string } | { missing: string } {
  const tried: string[] = [];
  for (const python of ["/usr/bin/python3", "python3"]) {
    const r = spawnSync(python, ["-c", "import torch"], { encoding: "utf8" });
    if (r.status === 0) return { python };
    tried.push(`${python}: ${r.error?.message ?? (r.stderr.trim().split("\n").pop() || `exit ${r.status}`)}`);
  }
  return { missing: `no python3 with torch (${tried.join("; ")})` };
}

export class TorchPeer {
  private readonly child: ChildProcessWithoutNullStreams;
  private readonly lines: Interface;
  private readonly waiting: ((line: string) => void)[] = [];
  info: Record<string, unknown> = {};

  private constructor(python: string, readonly threads: number) {
    const t = String(threads);
    const env = { ...process.env, ...TORCH_ENV, OPENBLAS_NUM_THREADS: t, OMP_NUM_THREADS: t, MKL_NUM_THREADS: t };
    this.child = spawn(python, [join(here, "torch_worker.py"), t], { env });
    this.child.stderr.on("data", (d: Buffer) => process.stderr.write(`[torch] ${d.toString()}`));
    this.lines = createInterface({ input: this.child.stdout });
    this.lines.on("line", (line) => this.waiting.shift()?.(line));
  }

  /** Starts a worker using `threads` threads, or says why PyTorch is missing. */
  static async start(threads: number): Promise<TorchPeer | string> {
    const found = findPython();
    if ("missing" in found) return found.missing;
    const peer = new TorchPeer(found.python, threads);
    peer.info = await peer.request({ cmd: "info" });
    return peer;
  }

  /** One request, one reply; throws the worker's error. */
  request(req: Record<string, unknown>): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      this.waiting.push((line) => {
        const out = JSON.parse(line) as Record<string, unknown>;
        if (typeof out.error === "string") reject(new Error(out.error));
        else resolve(out);
      });
      this.child.stdin.write(JSON.stringify(req) + "\n");
    });
  }

  /** ns per call of one measured batch. */
  async time(req: Record<string, unknown>): Promise<number> {
    return (await this.request(req)).ns as number;
  }

  /** A one-line description for the results. */
  describe(): string {
    const i = this.info;
    return `PyTorch ${String(i.torch)} (${String(i.executable)}, Python ${String(i.python)}; ${(i.blas as string[] | undefined)?.join(", ") ?? ""}; threads via torch.set_num_threads and OPENBLAS/OMP/MKL_NUM_THREADS); glibc malloc tuned: GLIBC_TUNABLES=${TORCH_ENV.GLIBC_TUNABLES}`;
  }

  close(): void {
    this.child.stdin.end();
    this.lines.close();
  }
}
