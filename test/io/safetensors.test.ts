import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import * as nb from "../../src/index.js";

function headerOf(bytes: Uint8Array): { length: number; json: Record<string, { dtype: string; shape: number[]; data_offsets: [number, number] }> } {
  const length = Number(new DataView(bytes.buffer, bytes.byteOffset).getBigUint64(0, true));
  return { length, json: JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + length))) };
}

function withHeader(header: unknown, dataBytes: number): Uint8Array {
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(8 + json.length + dataBytes);
  new DataView(out.buffer).setBigUint64(0, BigInt(json.length), true);
  out.set(json, 8);
  return out;
}

describe("safetensors", () => {
  const w = nb.tensor([[1.5, -2], [3, 4.25]], { dtype: "float32" });
  const b = nb.tensor([0.1, 0.2, 0.3], { dtype: "float64" });
  const idx = nb.tensor([7, -1], { dtype: "int32" });

  it("writes a header that follows the format's rules and round-trips exactly", () => {
    const dir = mkdtempSync(join(tmpdir(), "nabla-st-"));
    const path = join(dir, "model.safetensors");
    nb.io.saveSafetensors(path, { "fc.weight": w, "fc.bias": b, idx }, { format: "pt" });
    const bytes = new Uint8Array(readFileSync(path));
    const { length, json } = headerOf(bytes);
    expect((8 + length) % 8).toBe(0);
    expect(json["fc.weight"]).toEqual({ dtype: "F32", shape: [2, 2], data_offsets: [0, 16] });
    expect(json["fc.bias"]).toEqual({ dtype: "F64", shape: [3], data_offsets: [16, 40] });
    expect(json.idx).toEqual({ dtype: "I32", shape: [2], data_offsets: [40, 48] });
    expect(bytes.length).toBe(8 + length + 48);
    // The raw data is little-endian row-major: read the first float back by hand.
    expect(new DataView(bytes.buffer, bytes.byteOffset + 8 + length).getFloat32(0, true)).toBe(1.5);
    const loaded = nb.io.loadSafetensors(path);
    expect(loaded.metadata).toEqual({ format: "pt" });
    expect(loaded.tensors["fc.weight"]!.toArray()).toEqual(w.toArray());
    expect(loaded.tensors["fc.bias"]!.dtype).toBe("float64");
    expect(Array.from(loaded.tensors["fc.bias"]!.data)).toEqual(Array.from(b.data));
    expect(Array.from(loaded.tensors.idx!.data)).toEqual([7, -1]);
  });

  it("rejects a header longer than the file or the size limit", () => {
    const bytes = nb.io.encodeSafetensors({ w });
    const cut = bytes.slice(0, 20);
    expect(() => nb.io.decodeSafetensors(cut)).toThrow(/runs past the end/);
    const huge = new Uint8Array(16);
    new DataView(huge.buffer).setBigUint64(0, 2n ** 40n, true);
    expect(() => nb.io.decodeSafetensors(huge)).toThrow(/exceeds the limit/);
  });

  it("rejects unknown dtypes, bad shapes and inconsistent sizes", () => {
    expect(() => nb.io.decodeSafetensors(withHeader({ a: { dtype: "Q7", shape: [1], data_offsets: [0, 4] } }, 4))).toThrow(/dtype "Q7"/);
    expect(() => nb.io.decodeSafetensors(withHeader({ a: { dtype: "F32", shape: [-1], data_offsets: [0, 4] } }, 4))).toThrow(/invalid shape/);
    expect(() => nb.io.decodeSafetensors(withHeader({ a: { dtype: "F32", shape: [2], data_offsets: [0, 4] } }, 4))).toThrow(/needs 8 bytes/);
  });

  it("rejects out-of-range, overlapping and gapped offsets", () => {
    expect(() => nb.io.decodeSafetensors(withHeader({ a: { dtype: "F32", shape: [2], data_offsets: [0, 8] } }, 4))).toThrow(/outside/);
    const overlap = { a: { dtype: "F32", shape: [2], data_offsets: [0, 8] }, b: { dtype: "F32", shape: [2], data_offsets: [4, 12] } };
    expect(() => nb.io.decodeSafetensors(withHeader(overlap, 12))).toThrow(/overlap/);
    const gap = { a: { dtype: "F32", shape: [1], data_offsets: [4, 8] } };
    expect(() => nb.io.decodeSafetensors(withHeader(gap, 8))).toThrow(/gap/);
  });
});
