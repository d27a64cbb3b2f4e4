import { describe, expect, it } from "vitest";
import { DataLoader, defaultCollate } from "../../src/data/index.js";
import { Tensor } from "../../src/tensor/tensor.js";

const f32 = (values: number[], shape: number[]): Tensor => new Tensor(Float32Array.from(values), shape);
const i32 = (value: number): Tensor => new Tensor(Int32Array.from([value]), []);

describe("defaultCollate", () => {
  it("stacks tensors along a new first dimension, keeping dtype", () => {
    const batch = defaultCollate([
      [f32([1, 2], [2]), i32(3)],
      [f32([4, 5], [2]), i32(6)],
      [f32([7, 8], [2]), i32(9)],
    ]);
    expect(batch[0]!.shape).toEqual([3, 2]);
    expect(batch[0]!.toArray()).toEqual([[1, 2], [4, 5], [7, 8]]);
    expect(batch[1]!.shape).toEqual([3]);
    expect(batch[1]!.dtype).toBe("int32");
    expect(batch[1]!.toArray()).toEqual([3, 6, 9]);
  });

  it("turns numbers into float32 vectors and collates plain objects key by key", () => {
    const batch = defaultCollate([
      { image: f32([1, 2, 3, 4], [2, 2]), target: 0.5 },
      { image: f32([5, 6, 7, 8], [2, 2]), target: 2 },
    ]);
    expect(batch.image.shape).toEqual([2, 2, 2]);
    expect(batch.image.toArray()).toEqual([[[1, 2], [3, 4]], [[5, 6], [7, 8]]]);
    expect(batch.target.dtype).toBe("float32");
    expect(batch.target.toArray()).toEqual([0.5, 2]);
  });

  it("names the sample and the position that do not match", () => {
    expect(() => defaultCollate([[f32([1, 2], [2])], [f32([1, 2, 3], [3])]])).toThrow(
      "defaultCollate: at sample[0], sample 1 is a float32 tensor of shape [3], expected a float32 tensor of shape [2] like sample 0",
    );
    expect(() => defaultCollate([[i32(1)], [f32([1], [])]])).toThrow("sample 1 is a float32 tensor of shape [], expected an int32 tensor of shape [] like sample 0");
    expect(() => defaultCollate([{ a: 1 }, { b: 2 }])).toThrow("at sample.a, sample 1 is nothing");
    expect(() => defaultCollate(["text"])).toThrow("cannot batch a string at sample; pass a collate function");
    expect(() => defaultCollate([])).toThrow("expected at least one sample");
  });

  it("is what a DataLoader over a custom dataset uses", () => {
    const dataset = { length: 5, get: (i: number) => ({ x: f32([i, -i], [2]), y: i32(i) }) };
    const batches = [...new DataLoader(dataset, { batchSize: 2 })];
    expect(batches.length).toBe(3);
    expect(batches[2]!.x.toArray()).toEqual([[4, -4]]);
    expect(batches[1]!.y.toArray()).toEqual([2, 3]);
  });
});
