import { allocate } from "../tensor/dtype.js";
import { shapesEqual, shapeToString } from "../tensor/shape.js";
import { Tensor } from "../tensor/tensor.js";

/**
 * What the default collate makes of a sample type: each tensor becomes a
 * tensor with a new leading batch dimension, each number a 1-D float32
 * tensor, and arrays and plain objects keep their structure.
 */
export type Collated<S> = S extends Tensor
  ? Tensor
  : S extends number | boolean
    ? Tensor
    : S extends readonly unknown[]
      ? { [K in keyof S]: Collated<S[K]> }
      : S extends object
        ? { [K in keyof S]: Collated<S[K]> }
        : never;

/**
 * Batches samples the way torch.utils.data.default_collate does: tensors of
 * equal shape and dtype are stacked along a new first dimension (sample i's
 * elements are copied to rows i of the result), numbers and booleans become
 * a float32 vector, and arrays and plain objects are collated position by
 * position or key by key. An int32 label should be an int32 tensor (0-d is
 * fine) to stay int32.
 */
export function defaultCollate<S>(samples: readonly S[]): Collated<S> {
  if (samples.length === 0) throw new Error("defaultCollate: expected at least one sample, got none");
  return collateAt(samples as readonly unknown[], "sample") as Collated<S>;
}

function collateAt(values: readonly unknown[], path: string): unknown {
  const first = values[0];
  if (first instanceof Tensor) return stackTensors(values, path);
  if (typeof first === "number" || typeof first === "boolean") {
    const out = new Float32Array(values.length);
    values.forEach((v, i) => {
      if (typeof v !== "number" && typeof v !== "boolean") throw mismatch(path, i, describe(v), "a number");
      out[i] = Number(v);
    });
    return new Tensor(out, [values.length]);
  }
  if (Array.isArray(first)) {
    values.forEach((v, i) => {
      if (!Array.isArray(v) || v.length !== first.length) {
        throw mismatch(path, i, describe(v), `an array of length ${first.length}`);
      }
    });
    return first.map((_, k) => collateAt(values.map((v) => (v as unknown[])[k]), `${path}[${k}]`));
  }
  if (first !== null && typeof first === "object" && Object.getPrototypeOf(first) === Object.prototype) {
    const keys = Object.keys(first);
    const out: Record<string, unknown> = {};
    for (const key of keys) {
      out[key] = collateAt(
        values.map((v, i) => {
          if (v === null || typeof v !== "object" || !(key in v)) throw mismatch(`${path}.${key}`, i, "nothing", "a value");
          return (v as Record<string, unknown>)[key];
        }),
        `${path}.${key}`,
      );
    }
    return out;
  }
  throw new TypeError(`defaultCollate: cannot batch ${describe(first)} at ${path}; pass a collate function to the DataLoader`);
}

function stackTensors(values: readonly unknown[], path: string): Tensor {
  const first = values[0] as Tensor;
  const row = first.size;
  const out = allocate(first.dtype, row * values.length);
  values.forEach((v, i) => {
    if (!(v instanceof Tensor)) throw mismatch(path, i, describe(v), "a Tensor");
    if (v.dtype !== first.dtype || !shapesEqual(v.shape, first.shape)) {
      throw mismatch(
        path,
        i,
        describe(v),
        `${describe(first)} like sample 0`,
      );
    }
    out.set(v.data, i * row);
  });
  return new Tensor(out, [values.length, ...first.shape]);
}

function mismatch(path: string, index: number, got: string, expected: string): Error {
  return new Error(`defaultCollate: at ${path}, sample ${index} is ${got}, expected ${expected}`);
}

function describe(v: unknown): string {
  if (v instanceof Tensor) return `${v.dtype === "int32" ? "an" : "a"} ${v.dtype} tensor of shape ${shapeToString(v.shape)}`;
  if (Array.isArray(v)) return `an array of length ${v.length}`;
  if (v === null) return "null";
  return `a ${typeof v}`;
}
