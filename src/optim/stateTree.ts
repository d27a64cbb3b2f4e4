// Copying and checking plain-data state trees, for stateDict / loadStateDict.
import type { FloatArray, State } from "./types.js";

function isTypedArray(x: unknown): x is FloatArray | Int32Array {
  return x instanceof Float32Array || x instanceof Float64Array || x instanceof Int32Array;
}

function isRecord(x: unknown): x is { readonly [key: string]: unknown } {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !isTypedArray(x);
}

/** A deep copy sharing no buffers with `s`. */
export function cloneState<S extends State>(s: S): S {
  if (isTypedArray(s)) return s.slice() as S;
  if (Array.isArray(s)) return s.map((x: State) => cloneState(x)) as unknown as S;
  if (isRecord(s)) {
    const out: { [key: string]: State } = {};
    for (const key of Object.keys(s)) out[key] = cloneState(s[key] as State);
    return out as S;
  }
  return s;
}

function describe(x: unknown): string {
  if (x === null) return "null";
  if (isTypedArray(x)) return `${x.constructor.name} of length ${x.length}`;
  if (Array.isArray(x)) return `an array of length ${x.length}`;
  return typeof x;
}

/** A numeric array (typed or plain) of exactly `length` numbers, copied into a new array like `like`. */
function copyNumbers(saved: unknown, length: number, like: FloatArray | Int32Array, where: string): FloatArray | Int32Array {
  const ok = isTypedArray(saved) || (Array.isArray(saved) && saved.every((v) => typeof v === "number"));
  if (!ok || (saved as ArrayLike<number>).length !== length) {
    throw new Error(`${where}: expected ${length} numbers, got ${describe(saved)}`);
  }
  const out = like instanceof Float64Array ? new Float64Array(length) : like instanceof Int32Array ? new Int32Array(length) : new Float32Array(length);
  out.set(saved as ArrayLike<number>);
  return out;
}

/**
 * Checks `saved` against `template` (the state this optimizer would hold)
 * and returns a private copy with the template's array types: same record
 * keys, same array lengths, numbers where numbers are. A null in the
 * template is an optional buffer like the parameter (`nullLike`): it accepts
 * null or `nullLike.length` numbers. Throws with the path on any mismatch.
 */
export function copyMatching(template: State, saved: unknown, where: string, nullLike: FloatArray): State {
  if (template === null) {
    return saved === null ? null : copyNumbers(saved, nullLike.length, nullLike, where);
  }
  if (isTypedArray(template)) return copyNumbers(saved, template.length, template, where);
  if (typeof template === "number" || typeof template === "boolean") {
    if (typeof saved !== typeof template) throw new Error(`${where}: expected a ${typeof template}, got ${describe(saved)}`);
    return saved as number | boolean;
  }
  if (Array.isArray(template)) {
    if (!Array.isArray(saved) || saved.length !== template.length) {
      throw new Error(`${where}: expected an array of length ${template.length}, got ${describe(saved)}`);
    }
    return template.map((t: State, i) => copyMatching(t, saved[i], `${where}[${i}]`, nullLike));
  }
  const rec = template as { readonly [key: string]: State };
  if (!isRecord(saved)) throw new Error(`${where}: expected a record, got ${describe(saved)}`);
  const want = Object.keys(rec);
  const got = Object.keys(saved);
  const missing = want.filter((k) => !(k in saved));
  const extra = got.filter((k) => !(k in rec));
  if (missing.length > 0 || extra.length > 0) {
    throw new Error(`${where}: expected keys [${want.join(", ")}], got [${got.join(", ")}]`);
  }
  const out: { [key: string]: State } = {};
  for (const k of want) out[k] = copyMatching(rec[k], saved[k], `${where}.${k}`, nullLike);
  return out;
}
