import { closeSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from "node:fs";
import { dirname } from "node:path";
import type { Tensor } from "../tensor/tensor.js";
import { decodeSafetensors, encodeSafetensors, type SafetensorsContents } from "./safetensors.js";

/**
 * Writes `bytes` to `path` atomically: a temporary file beside it, fsync,
 * then rename over the target, so a crash never leaves a half-written file
 * under the final name.
 */
export function writeFileAtomic(path: string, bytes: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.tmp-${process.pid}`;
  const fd = openSync(tmp, "w");
  try {
    const data = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : bytes;
    let written = 0;
    while (written < data.length) written += writeSync(fd, data, written, data.length - written);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(tmp, path);
}

/** Saves named tensors to a .safetensors file (atomically). */
export function saveSafetensors(path: string, tensors: Record<string, Tensor>, metadata?: Record<string, string>): void {
  writeFileAtomic(path, encodeSafetensors(tensors, metadata));
}

/** Loads a .safetensors file, validating its header first. */
export function loadSafetensors(path: string): SafetensorsContents {
  return decodeSafetensors(new Uint8Array(readFileSync(path)), path);
}
