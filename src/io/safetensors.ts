import type { DType, TypedArray } from "../tensor/dtype.js";
import { Tensor } from "../tensor/tensor.js";
import { shapeToString, sizeOf } from "../tensor/shape.js";

/**
 * The safetensors format (huggingface/safetensors): 8 bytes little-endian
 * u64 header length N, N bytes of UTF-8 JSON mapping each tensor name to
 * {dtype, shape, data_offsets: [begin, end]} (offsets relative to the byte
 * after the header, in the data buffer, contiguous and non-overlapping),
 * an optional "__metadata__" map of strings, then the raw little-endian
 * row-major data. Encoding and decoding are pure (bytes in, bytes out);
 * `node/` adds the file functions.
 */

const TO_SAFETENSORS: Record<DType, string> = { float32: "F32", float64: "F64", int32: "I32" };
const FROM_SAFETENSORS: Record<string, { dtype: DType; bytes: number }> = {
  F32: { dtype: "float32", bytes: 4 },
  F64: { dtype: "float64", bytes: 8 },
  I32: { dtype: "int32", bytes: 4 },
};

/** Headers larger than this are refused (the reference implementation's limit is 100 MB). */
export const MAX_HEADER_BYTES = 100_000_000;

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Serialises named tensors (in the given order) and optional string metadata. */
export function encodeSafetensors(tensors: Record<string, Tensor>, metadata?: Record<string, string>): Uint8Array {
  if (!littleEndian) throw new Error("encodeSafetensors: big-endian hosts are not supported");
  const header: Record<string, unknown> = {};
  if (metadata !== undefined) header.__metadata__ = metadata;
  let offset = 0;
  const entries = Object.entries(tensors);
  for (const [name, t] of entries) {
    if (name === "__metadata__") throw new Error(`encodeSafetensors: "__metadata__" is reserved and cannot name a tensor`);
    const bytes = t.data.byteLength;
    header[name] = { dtype: TO_SAFETENSORS[t.dtype], shape: [...t.shape], data_offsets: [offset, offset + bytes] };
    offset += bytes;
  }
  let json = JSON.stringify(header);
  // Pad with spaces to a multiple of 8 so the data that follows is aligned.
  json += " ".repeat((8 - ((json.length + 8) % 8)) % 8);
  const headerBytes = new TextEncoder().encode(json);
  const out = new Uint8Array(8 + headerBytes.length + offset);
  new DataView(out.buffer).setBigUint64(0, BigInt(headerBytes.length), true);
  out.set(headerBytes, 8);
  let at = 8 + headerBytes.length;
  for (const [, t] of entries) {
    out.set(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), at);
    at += t.data.byteLength;
  }
  return out;
}

export interface SafetensorsContents {
  tensors: Record<string, Tensor>;
  metadata: Record<string, string>;
}

/**
 * Parses a safetensors buffer, validating everything before building any
 * tensor: header length and JSON, known dtypes, shapes, offsets inside the
 * buffer, consistent with dtype x shape, and covering the data without
 * overlaps or gaps.
 */
export function decodeSafetensors(bytes: Uint8Array, source = "buffer"): SafetensorsContents {
  if (!littleEndian) throw new Error("decodeSafetensors: big-endian hosts are not supported");
  const fail = (why: string): never => {
    throw new Error(`safetensors (${source}): ${why}`);
  };
  if (bytes.length < 8) fail(`file is ${bytes.length} bytes, too short for the 8-byte header length`);
  const n = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getBigUint64(0, true);
  if (n > BigInt(MAX_HEADER_BYTES)) fail(`header length ${n} exceeds the limit of ${MAX_HEADER_BYTES} bytes`);
  const headerLength = Number(n);
  if (8 + headerLength > bytes.length) fail(`header length ${headerLength} runs past the end of the ${bytes.length}-byte file`);
  let header: unknown;
  try {
    header = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes.subarray(8, 8 + headerLength)));
  } catch (e) {
    fail(`header is not valid UTF-8 JSON (${(e as Error).message})`);
  }
  if (typeof header !== "object" || header === null || Array.isArray(header)) fail("header must be a JSON object");
  const dataStart = 8 + headerLength;
  const dataLength = bytes.length - dataStart;
  const metadata: Record<string, string> = {};
  const specs: { name: string; dtype: DType; shape: number[]; begin: number; end: number }[] = [];
  for (const [name, raw] of Object.entries(header as Record<string, unknown>)) {
    if (name === "__metadata__") {
      if (typeof raw !== "object" || raw === null) fail("__metadata__ must be an object of strings");
      for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
        if (typeof v !== "string") fail(`__metadata__.${k} must be a string, got ${typeof v}`);
        metadata[k] = v as string;
      }
      continue;
    }
    const entry = raw as { dtype?: unknown; shape?: unknown; data_offsets?: unknown };
    const kind = FROM_SAFETENSORS[String(entry?.dtype)];
    if (kind === undefined) fail(`tensor "${name}" has dtype ${JSON.stringify(entry?.dtype)}; supported: ${Object.keys(FROM_SAFETENSORS).join(", ")}`);
    const shape = entry.shape;
    if (!Array.isArray(shape) || shape.some((d) => !Number.isInteger(d) || d < 0)) {
      fail(`tensor "${name}" has an invalid shape ${JSON.stringify(shape)}`);
    }
    const offsets = entry.data_offsets;
    if (!Array.isArray(offsets) || offsets.length !== 2 || offsets.some((o) => !Number.isInteger(o) || o < 0)) {
      fail(`tensor "${name}" has invalid data_offsets ${JSON.stringify(offsets)}`);
    }
    const [begin, end] = offsets as [number, number];
    if (end < begin || end > dataLength) fail(`tensor "${name}" data_offsets [${begin}, ${end}] lie outside the ${dataLength}-byte data buffer`);
    const expected = sizeOf(shape as number[]) * kind!.bytes;
    if (end - begin !== expected) {
      fail(`tensor "${name}" of dtype ${String(entry.dtype)} and shape ${shapeToString(shape as number[])} needs ${expected} bytes, data_offsets give ${end - begin}`);
    }
    specs.push({ name, dtype: kind!.dtype, shape: shape as number[], begin, end });
  }
  const sorted = [...specs].sort((a, b) => a.begin - b.begin || a.end - b.end);
  let cursor = 0;
  for (const s of sorted) {
    if (s.begin < cursor) fail(`tensor "${s.name}" data_offsets [${s.begin}, ${s.end}] overlap the previous tensor (ends at ${cursor})`);
    if (s.begin > cursor) fail(`gap in the data buffer before tensor "${s.name}" (bytes ${cursor}..${s.begin} belong to no tensor)`);
    cursor = s.end;
  }
  if (cursor !== dataLength) fail(`the data buffer has ${dataLength} bytes but the tensors cover ${cursor}`);
  const tensors: Record<string, Tensor> = {};
  for (const s of specs) {
    // Copy into a fresh, aligned buffer: the file's bytes may sit at any offset.
    const chunk = bytes.slice(dataStart + s.begin, dataStart + s.end);
    tensors[s.name] = new Tensor(viewAs(s.dtype, chunk.buffer), s.shape);
  }
  return { tensors, metadata };
}

function viewAs(dtype: DType, buffer: ArrayBuffer): TypedArray {
  switch (dtype) {
    case "float32":
      return new Float32Array(buffer);
    case "float64":
      return new Float64Array(buffer);
    case "int32":
      return new Int32Array(buffer);
  }
}
