// Plain data (optimizer, scheduler and scaler states, history) as JSON plus
// a bag of tensors, so that a checkpoint restores every bit: JSON alone turns
// typed arrays into objects, NaN and Infinity into null and -0 into 0.
import { Tensor } from "../tensor/tensor.js";

/** What JSON holds after packing. */
export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Typed arrays that go to the tensor file bit for bit. */
type StoredArray = Float32Array | Float64Array | Int32Array;

/** Other typed arrays (e.g. 16-bit storage) are kept in the JSON as integers, which is exact for them. */
const JSON_ARRAYS = {
  Uint8Array,
  Int8Array,
  Uint16Array,
  Int16Array,
  Uint32Array,
} as const;
type JsonArrayName = keyof typeof JSON_ARRAYS;

const MARKERS = ["$typed", "$tensor", "$number", "$array"];

const SPECIAL_NUMBERS: Record<string, number> = { NaN: NaN, Infinity: Infinity, "-Infinity": -Infinity, "-0": -0 };

function isStoredArray(x: unknown): x is StoredArray {
  return x instanceof Float32Array || x instanceof Float64Array || x instanceof Int32Array;
}

function jsonArrayName(x: unknown): JsonArrayName | undefined {
  for (const [name, ctor] of Object.entries(JSON_ARRAYS)) if (x instanceof ctor) return name as JsonArrayName;
  return undefined;
}

function isPlainObject(x: unknown): x is Record<string, unknown> {
  if (typeof x !== "object" || x === null) return false;
  const proto = Object.getPrototypeOf(x) as unknown;
  return proto === Object.prototype || proto === null;
}

/**
 * Turns `value` into JSON, moving float32/float64/int32 typed arrays and
 * tensors into `tensors` (named from `prefix` and their path) and writing
 * numbers JSON cannot hold (NaN, ±Infinity, -0) as markers. Throws, naming
 * the path, on anything that is not plain data (functions, class instances
 * other than tensors and typed arrays, keys that clash with the markers).
 */
export function packPlainData(value: unknown, prefix: string, tensors: Record<string, Tensor>): Json {
  const walk = (v: unknown, path: string): Json => {
    if (v === null || typeof v === "boolean" || typeof v === "string") return v;
    if (typeof v === "number") {
      if (Number.isFinite(v) && !Object.is(v, -0)) return v;
      return { $number: Object.is(v, -0) ? "-0" : String(v) };
    }
    if (v instanceof Tensor) {
      tensors[path] = new Tensor(v.data.slice(), v.shape);
      return { $tensor: path };
    }
    if (isStoredArray(v)) {
      tensors[path] = new Tensor(v.slice(), [v.length]);
      return { $typed: path };
    }
    const arrayName = jsonArrayName(v);
    if (arrayName !== undefined) return { $array: arrayName, values: Array.from(v as ArrayLike<number>) };
    if (Array.isArray(v)) return v.map((item, i) => walk(item === undefined ? null : item, `${path}/${i}`));
    if (isPlainObject(v)) {
      const out: { [key: string]: Json } = {};
      for (const [key, item] of Object.entries(v)) {
        if (MARKERS.includes(key)) throw new Error(`checkpoint: cannot save ${path}: the key "${key}" is reserved`);
        if (item !== undefined) out[key] = walk(item, `${path}/${key}`);
      }
      return out;
    }
    const kind = typeof v === "object" ? (v.constructor?.name ?? "object") : typeof v;
    throw new Error(`checkpoint: cannot save ${path}: a ${kind} is not plain data (numbers, strings, booleans, typed arrays, arrays and records)`);
  };
  return walk(value, prefix);
}

/**
 * The inverse of `packPlainData`: markers become numbers, typed arrays and
 * tensors again (copies, so that the loaded state owns its buffers).
 * Throws, naming `where` and the path, on a reference to a missing tensor or
 * a malformed marker.
 */
export function unpackPlainData(json: unknown, tensors: Record<string, Tensor>, where: string): unknown {
  const walk = (v: unknown, path: string): unknown => {
    if (v === null || typeof v !== "object") return v;
    if (Array.isArray(v)) return v.map((item, i) => walk(item, `${path}[${i}]`));
    const rec = v as Record<string, unknown>;
    const fail = (why: string): never => {
      throw new Error(`${where}: ${path}: ${why}`);
    };
    if ("$number" in rec) {
      const key = String(rec.$number);
      if (!Object.hasOwn(SPECIAL_NUMBERS, key)) fail(`bad number marker ${JSON.stringify(rec.$number)}`);
      return SPECIAL_NUMBERS[key];
    }
    if ("$typed" in rec || "$tensor" in rec) {
      const name = rec.$typed ?? rec.$tensor;
      const t = typeof name === "string" && Object.hasOwn(tensors, name) ? tensors[name] : undefined;
      if (t === undefined) return fail(`refers to tensor ${JSON.stringify(name)}, which the tensor file does not hold`);
      if ("$typed" in rec) return t.data.slice();
      return new Tensor(t.data.slice(), t.shape);
    }
    if ("$array" in rec) {
      const kind = String(rec.$array);
      const ctor = Object.hasOwn(JSON_ARRAYS, kind) ? (JSON_ARRAYS[kind as JsonArrayName] as new (values: number[]) => ArrayLike<number>) : undefined;
      const values = rec.values;
      if (ctor === undefined || !Array.isArray(values) || values.some((x) => typeof x !== "number")) {
        fail(`bad typed-array marker ${JSON.stringify(rec.$array)}`);
      }
      return new ctor!(values as number[]);
    }
    const out: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(rec)) out[key] = walk(item, `${path}.${key}`);
    return out;
  };
  return walk(json, "");
}
