import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { afterAll, describe, expect, it } from "vitest";
import { describeIdxMagic, encodeIdx, loadMnistIdx, parseIdx } from "../../src/data/index.js";

const root = mkdtempSync(join(tmpdir(), "nabla-idx-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));
let dirs = 0;

/** Images of n×h×w bytes where image i, pixel p holds (37·i + p) mod 256; labels (i mod 10). */
function images(n: number, h = 4, w = 3): Uint8Array {
  const data = new Uint8Array(n * h * w);
  for (let i = 0; i < n; i++) for (let p = 0; p < h * w; p++) data[i * h * w + p] = (37 * i + p) % 256;
  return encodeIdx([n, h, w], data);
}
function labels(n: number, shift = 0): Uint8Array {
  return encodeIdx([n], Uint8Array.from({ length: n }, (_, i) => (i + shift) % 10));
}

/** A fresh directory holding the given files. */
function dir(files: Record<string, Uint8Array>): string {
  const d = join(root, `case${dirs++}`);
  mkdirSync(d);
  for (const [name, bytes] of Object.entries(files)) writeFileSync(join(d, name), bytes);
  return d;
}

const standard = (): Record<string, Uint8Array> => ({
  "train-images-idx3-ubyte": images(5),
  "train-labels-idx1-ubyte": labels(5),
  "t10k-images-idx3-ubyte": images(3),
  "t10k-labels-idx1-ubyte": labels(3, 4),
});

describe("IDX format", () => {
  it("round-trips every element type, big-endian", () => {
    const cases = [
      Uint8Array.from([0, 7, 255]),
      Int8Array.from([-128, 0, 127]),
      Int16Array.from([-30000, 1, 30000]),
      Int32Array.from([-(2 ** 31), 5, 2 ** 31 - 1]),
      Float32Array.from([-1.5, 0, 3.25]),
      Float64Array.from([Math.PI, -0, 1e300]),
    ];
    for (const data of cases) {
      const parsed = parseIdx(encodeIdx([3, 1], data), "x");
      expect(parsed.dims).toEqual([3, 1]);
      expect(parsed.data.constructor).toBe(data.constructor);
      expect(Array.from(parsed.data)).toEqual(Array.from(data));
    }
    // The header is big-endian: magic 0x00000C01 then the size 2.
    expect(Array.from(encodeIdx([2], Int32Array.from([1, 256])))).toEqual([0, 0, 12, 1, 0, 0, 0, 2, 0, 0, 0, 1, 0, 0, 1, 0]);
    expect(describeIdxMagic(0x803)).toBe("0x00000803 (unsigned bytes, 3 dimensions)");
  });
});

describe("loadMnistIdx", () => {
  it("reads the four standard files into float32 images in [0, 1] and int32 labels", () => {
    const data = loadMnistIdx(dir(standard()));
    const [x, y] = data.train.tensors;
    expect(data.name).toBe("mnist");
    expect(data.inputShape).toEqual([1, 4, 3]);
    expect(x!.shape).toEqual([5, 1, 4, 3]);
    expect(x!.dtype).toBe("float32");
    // Image 2, pixel 5 was (37·2 + 5) mod 256 = 79.
    expect(x!.data[2 * 12 + 5]).toBeCloseTo(79 / 255, 7);
    expect(y!.dtype).toBe("int32");
    expect(Array.from(y!.data)).toEqual([0, 1, 2, 3, 4]);
    expect(Array.from(data.test.tensors[1]!.data)).toEqual([4, 5, 6]);
    expect(data.test.tensors[0]!.shape).toEqual([3, 1, 4, 3]);
  });

  it("reads gzipped files and the dotted names, flattens, and names Fashion-MNIST's classes", () => {
    const files = standard();
    const data = loadMnistIdx(
      dir({
        "train-images-idx3-ubyte.gz": gzipSync(files["train-images-idx3-ubyte"]!),
        "train-labels-idx1-ubyte.gz": gzipSync(files["train-labels-idx1-ubyte"]!),
        "t10k-images.idx3-ubyte": files["t10k-images-idx3-ubyte"]!,
        "t10k-labels.idx1-ubyte": files["t10k-labels-idx1-ubyte"]!,
      }),
      { kind: "fashion-mnist", flatten: true },
    );
    expect(data.name).toBe("fashion-mnist");
    expect(data.classNames![9]).toBe("Ankle boot");
    expect(data.train.tensors[0]!.shape).toEqual([5, 12]);
    expect(data.train.tensors[0]!.data[2 * 12 + 5]).toBeCloseTo(79 / 255, 7);
    expect(Array.from(data.train.tensors[1]!.data)).toEqual([0, 1, 2, 3, 4]);
  });

  it("names the file and both magic numbers when the magic is wrong", () => {
    const files = standard();
    files["train-images-idx3-ubyte"] = labels(5);
    const d = dir(files);
    expect(() => loadMnistIdx(d)).toThrow(
      `loadMnistIdx: ${join(d, "train-images-idx3-ubyte")}: expected magic number 0x00000803 (unsigned bytes, 3 dimensions), ` +
        "got 0x00000801 (unsigned bytes, 1 dimension)",
    );
    const garbage = standard();
    garbage["t10k-labels-idx1-ubyte"] = Uint8Array.from([0x50, 0x4b, 3, 4, 0, 0]);
    expect(() => loadMnistIdx(dir(garbage))).toThrow("got 0x504b0304 (not an IDX magic number)");
  });

  it("names the file and the expected and actual sizes when it is truncated or too long", () => {
    const files = standard();
    files["train-images-idx3-ubyte"] = files["train-images-idx3-ubyte"]!.subarray(0, 50);
    const d = dir(files);
    expect(() => loadMnistIdx(d)).toThrow(
      `loadMnistIdx: ${join(d, "train-images-idx3-ubyte")}: truncated: size 5x4x3 of unsigned bytes needs 76 bytes ` +
        "(16-byte header + 60), file has 50",
    );
    const header = standard();
    header["t10k-images-idx3-ubyte"] = header["t10k-images-idx3-ubyte"]!.subarray(0, 10);
    expect(() => loadMnistIdx(dir(header))).toThrow("truncated header: 3 dimensions need 16 bytes, file has 10");
    const tiny = standard();
    tiny["t10k-labels-idx1-ubyte"] = Uint8Array.from([0, 0]);
    expect(() => loadMnistIdx(dir(tiny))).toThrow("file is 2 bytes, too short for the 4-byte IDX magic number");
    const long = standard();
    long["train-labels-idx1-ubyte"] = Uint8Array.from([...long["train-labels-idx1-ubyte"]!, 1, 2]);
    expect(() => loadMnistIdx(dir(long))).toThrow("has trailing bytes: size 5 of unsigned bytes needs 13 bytes (8-byte header + 5), file has 15");
    // A truncated gzip stream is caught by zlib; the error still names the file.
    const gz = standard();
    const zipped = gzipSync(gz["train-images-idx3-ubyte"]!);
    delete gz["train-images-idx3-ubyte"];
    gz["train-images-idx3-ubyte.gz"] = zipped.subarray(0, zipped.length - 12);
    const gd = dir(gz);
    expect(() => loadMnistIdx(gd)).toThrow(`loadMnistIdx: ${join(gd, "train-images-idx3-ubyte.gz")}: could not decompress gzip data`);
  });

  it("rejects missing files, image/label count mismatches and labels above 9", () => {
    const files = standard();
    delete files["t10k-labels-idx1-ubyte"];
    const d = dir(files);
    expect(() => loadMnistIdx(d)).toThrow(`loadMnistIdx: none of ${join(d, "t10k-labels-idx1-ubyte")}, `);
    const counts = standard();
    counts["train-labels-idx1-ubyte"] = labels(4);
    expect(() => loadMnistIdx(dir(counts))).toThrow("train-images-idx3-ubyte holds 5 images but");
    const bad = standard();
    bad["train-labels-idx1-ubyte"] = encodeIdx([5], Uint8Array.from([1, 2, 12, 3, 4]));
    expect(() => loadMnistIdx(dir(bad))).toThrow("train-labels-idx1-ubyte: label 2 is 12, expected 0..9");
    expect(() => loadMnistIdx(dir(standard()), { kind: "cifar" as never })).toThrow('kind must be "mnist" or "fashion-mnist", got cifar');
  });
});
