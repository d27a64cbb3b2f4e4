/**
 * The IDX format of LeCun's MNIST files (yann.lecun.com/exdb/mnist): a
 * 4-byte big-endian magic number 0x0000TTDD, where TT is the element type
 * and DD the number of dimensions, then DD big-endian uint32 sizes, then
 * the elements, row-major and big-endian.
 */
export interface IdxArray {
  /** The magic number as read, e.g. 0x00000803 for MNIST images. */
  readonly magic: number;
  readonly dims: readonly number[];
  readonly data: Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;
}

const TYPES: Record<number, { name: string; bytes: number }> = {
  0x08: { name: "unsigned bytes", bytes: 1 },
  0x09: { name: "signed bytes", bytes: 1 },
  0x0b: { name: "int16", bytes: 2 },
  0x0c: { name: "int32", bytes: 4 },
  0x0d: { name: "float32", bytes: 4 },
  0x0e: { name: "float64", bytes: 8 },
};

/** "0x00000803 (unsigned bytes, 3 dimensions)": a magic number in words. */
export function describeIdxMagic(magic: number): string {
  const hex = `0x${(magic >>> 0).toString(16).padStart(8, "0")}`;
  const type = TYPES[(magic >>> 8) & 0xff];
  if ((magic >>> 16) !== 0 || type === undefined) return `${hex} (not an IDX magic number)`;
  const dims = magic & 0xff;
  return `${hex} (${type.name}, ${dims} dimension${dims === 1 ? "" : "s"})`;
}

/**
 * Reads an IDX file's bytes. With `expectedMagic`, any other magic number is
 * an error that names both. A file shorter than its header promises is an
 * error giving the expected and the actual byte counts; extra bytes are too.
 * `source` names the file in errors.
 */
export function parseIdx(bytes: Uint8Array, source: string, expectedMagic?: number, op = "parseIdx"): IdxArray {
  const where = `${op}: ${source}`;
  if (bytes.length < 4) throw new Error(`${where}: file is ${bytes.length} bytes, too short for the 4-byte IDX magic number`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0, false);
  if (expectedMagic !== undefined && magic !== expectedMagic) {
    throw new Error(`${where}: expected magic number ${describeIdxMagic(expectedMagic)}, got ${describeIdxMagic(magic)}`);
  }
  const type = TYPES[(magic >>> 8) & 0xff];
  if ((magic >>> 16) !== 0 || type === undefined) throw new Error(`${where}: bad magic number ${describeIdxMagic(magic)}`);
  const ndim = magic & 0xff;
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) {
    throw new Error(`${where}: truncated header: ${ndim} dimensions need ${headerBytes} bytes, file has ${bytes.length}`);
  }
  const dims: number[] = [];
  let count = 1;
  for (let d = 0; d < ndim; d++) {
    dims.push(view.getUint32(4 + 4 * d, false));
    count *= dims[d]!;
  }
  const expected = headerBytes + count * type.bytes;
  if (bytes.length !== expected) {
    throw new Error(
      `${where}: ${bytes.length < expected ? "truncated" : "has trailing bytes"}: size ${dims.join("x")} of ${type.name} ` +
        `needs ${expected} bytes (${headerBytes}-byte header + ${count * type.bytes}), file has ${bytes.length}`,
    );
  }
  return { magic, dims, data: readElements(bytes, view, headerBytes, count, (magic >>> 8) & 0xff) };
}

function readElements(bytes: Uint8Array, view: DataView, offset: number, count: number, code: number): IdxArray["data"] {
  switch (code) {
    case 0x08:
      // A copy, so that the result neither aliases nor pins the whole file buffer.
      return bytes.slice(offset, offset + count);
    case 0x09:
      return new Int8Array(bytes.slice(offset, offset + count).buffer);
    case 0x0b: {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 0x0c: {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 0x0d: {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    default: {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

/** Encodes an array as IDX bytes (big-endian): the inverse of parseIdx, for tests and for writing datasets. */
export function encodeIdx(dims: readonly number[], data: IdxArray["data"]): Uint8Array {
  const code =
    data instanceof Uint8Array ? 0x08 : data instanceof Int8Array ? 0x09 : data instanceof Int16Array ? 0x0b
      : data instanceof Int32Array ? 0x0c : data instanceof Float32Array ? 0x0d : 0x0e;
  const bytes = TYPES[code]!.bytes;
  const count = dims.reduce((a, b) => a * b, 1);
  if (count !== data.length) throw new Error(`encodeIdx: dims ${dims.join("x")} hold ${count} elements, data has ${data.length}`);
  const header = 4 + 4 * dims.length;
  const out = new Uint8Array(header + count * bytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, (code << 8) | dims.length, false);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  for (let i = 0; i < count; i++) {
    const at = header + i * bytes;
    const v = data[i]!;
    if (code === 0x08) view.setUint8(at, v);
    else if (code === 0x09) view.setInt8(at, v);
    else if (code === 0x0b) view.setInt16(at, v, false);
    else if (code === 0x0c) view.setInt32(at, v, false);
    else if (code === 0x0d) view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  }
  return out;
}
