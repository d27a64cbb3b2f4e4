import { promoteTypes } from "../dtype.js";
import { gemm } from "../kernels/gemm.js";
import { broadcastShapes, shapeToString, sizeOf } from "../shape.js";
import { record, Tensor } from "../tensor.js";
import { to } from "./cast.js";
import { asFloat, matmulT } from "./linalg-core.js";
import { sum } from "./reduce.js";
import { reshape } from "./reshape.js";

export { matmulT } from "./linalg-core.js";

/**
 * Matrix products: matmul (torch.matmul's rules), mm, bmm, dot, outer, and
 * linear, the fused y = x W^T + b behind nn.Linear. All run on the GEMM
 * kernel table (kernels/gemm.ts) and differentiate through `matmulT`.
 * Mixed dtypes promote as arithmetic does (float64 > float32 > int32).
 */

function promoted(a: Tensor, b: Tensor): [Tensor, Tensor] {
  const dtype = promoteTypes(a.dtype, b.dtype);
  return [to(a, dtype), to(b, dtype)];
}

/**
 * torch.matmul: 1-D with 1-D is the dot product (0-d); a 1-D first operand
 * is a row vector and a 1-D second operand a column vector, that dimension
 * removed from the result; otherwise the last two dimensions multiply as
 * matrices and the others are batch dimensions that broadcast. Each
 * gradient is summed back over the dimensions its operand was broadcast
 * along. A batched first operand times a matrix is folded into one GEMM
 * (rows of every batch stacked), so its weight gradient is one GEMM too.
 */
export function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.ndim === 0 || b.ndim === 0) {
    throw new Error(`matmul: both arguments need at least 1 dimension, got shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
  }
  const k = a.shape[a.ndim - 1]!;
  const kb = b.ndim === 1 ? b.shape[0]! : b.shape[b.ndim - 2]!;
  if (k !== kb) throw new Error(`matmul: shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)} do not align (${k} != ${kb})`);
  const aBatch = a.shape.slice(0, -2);
  const bBatch = b.shape.slice(0, -2);
  try {
    broadcastShapes(aBatch, bBatch, "matmul");
  } catch {
    throw new Error(
      `matmul: batch dimensions ${shapeToString(aBatch)} and ${shapeToString(bBatch)} of shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)} cannot be broadcast`,
    );
  }
  const [x, y] = promoted(a, b);
  const x2 = x.ndim === 1 ? reshape(x, [1, k]) : x;
  const y2 = y.ndim === 1 ? reshape(y, [k, 1]) : y;
  let out: Tensor;
  if (x2.ndim > 2 && y2.ndim === 2) {
    const m = x2.shape[x2.ndim - 2]!;
    const rows = sizeOf(aBatch) * m;
    const flat = matmulT(reshape(x2, [rows, k]), y2);
    out = reshape(flat, [...aBatch, m, y2.shape[1]!]);
  } else {
    out = matmulT(x2, y2);
  }
  if (a.ndim === 1 || b.ndim === 1) {
    const shape = out.shape.slice(0, -2);
    if (a.ndim !== 1) shape.push(out.shape[out.ndim - 2]!);
    if (b.ndim !== 1) shape.push(out.shape[out.ndim - 1]!);
    out = reshape(out, shape);
  }
  return out;
}

/** Matrix product of two 2-D tensors (torch.mm): [n, k] @ [k, m] -> [n, m]. */
export function mm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 2 || b.ndim !== 2) {
    throw new Error(`mm: expected 2-D tensors, got shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
  }
  if (a.shape[1] !== b.shape[0]) {
    throw new Error(`mm: shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)} do not align (${a.shape[1]} != ${b.shape[0]})`);
  }
  const [x, y] = promoted(a, b);
  return matmulT(x, y);
}

/** Batched matrix product of two 3-D tensors with equal batch sizes (torch.bmm, no broadcasting). */
export function bmm(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 3 || b.ndim !== 3) {
    throw new Error(`bmm: expected 3-D tensors, got shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new Error(`bmm: batch sizes of ${shapeToString(a.shape)} and ${shapeToString(b.shape)} differ (${a.shape[0]} != ${b.shape[0]})`);
  }
  if (a.shape[2] !== b.shape[1]) {
    throw new Error(`bmm: shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)} do not align (${a.shape[2]} != ${b.shape[1]})`);
  }
  const [x, y] = promoted(a, b);
  return matmulT(x, y);
}

/** Dot product of two 1-D tensors of equal length: sum_i a_i b_i, a 0-d tensor. */
export function dot(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new Error(`dot: expected 1-D tensors, got shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
  }
  if (a.shape[0] !== b.shape[0]) {
    throw new Error(`dot: lengths of ${shapeToString(a.shape)} and ${shapeToString(b.shape)} differ (${a.shape[0]} != ${b.shape[0]})`);
  }
  return matmul(a, b);
}

/** Outer product of two 1-D tensors: out[i, j] = a_i b_j (a GEMM with k = 1). */
export function outer(a: Tensor, b: Tensor): Tensor {
  if (a.ndim !== 1 || b.ndim !== 1) {
    throw new Error(`outer: expected 1-D tensors, got shapes ${shapeToString(a.shape)} and ${shapeToString(b.shape)}`);
  }
  const [x, y] = promoted(a, b);
  return matmulT(reshape(x, [x.size, 1]), reshape(y, [1, y.size]));
}

/**
 * torch.nn.functional.linear: y = x W^T + b, with W [out, in], b [out] and
 * any number of leading dimensions on x (none: a 1-D input gives a 1-D
 * output). One fused op: the leading dimensions are folded into the rows
 * of a single GEMM that reads W transposed in place and starts from the
 * bias rows (beta = 1). Backward: dx = g W, dW = g^T x (one GEMM over all
 * leading dimensions), db = sum of g over the leading dimensions.
 */
export function linear(x: Tensor, weight: Tensor, bias?: Tensor | null): Tensor {
  if (weight.ndim !== 2) throw new Error(`linear: weight must be 2-D [out, in], got shape ${shapeToString(weight.shape)}`);
  const [outF, inF] = weight.shape as [number, number];
  if (x.ndim === 0 || x.shape[x.ndim - 1] !== inF) {
    throw new Error(
      `linear: input shape ${shapeToString(x.shape)} does not match weight shape ${shapeToString(weight.shape)} (last input dimension ${x.shape[x.ndim - 1] ?? "none"} != ${inF})`,
    );
  }
  if (bias && (bias.ndim !== 1 || bias.shape[0] !== outF)) {
    throw new Error(`linear: bias must have shape [${outF}], got ${shapeToString(bias.shape)}`);
  }
  let dtype = promoteTypes(x.dtype, weight.dtype);
  if (bias) dtype = promoteTypes(dtype, bias.dtype);
  const xt = to(x, dtype);
  const w = to(weight, dtype);
  const b = bias ? to(bias, dtype) : null;
  const lead = x.shape.slice(0, -1);
  const rows = sizeOf(lead);
  const floatOut = dtype === "float32" ? new Float32Array(rows * outF) : new Float64Array(rows * outF);
  if (b) for (let r = 0; r < rows; r++) floatOut.set(b.data, r * outF);
  const ld = Math.max(1, inF);
  gemm(false, true, rows, outF, inF, 1, asFloat(xt.data), 0, ld, asFloat(w.data), 0, ld, b ? 1 : 0, floatOut, 0, Math.max(1, outF));
  const data = dtype === "int32" ? Int32Array.from(floatOut) : floatOut;
  const out = new Tensor(data, [...lead, outF]);
  const inputs = b ? [xt, w, b] : [xt, w];
  return record(out, "linear", inputs, (g) => {
    const g2 = reshape(g, [rows, outF]);
    return [
      xt.requiresGrad ? reshape(matmulT(g2, w), xt.shape) : null,
      w.requiresGrad ? matmulT(g2, reshape(xt, [rows, inF]), true, false) : null,
      b?.requiresGrad ? sum(g2, 0) : null,
    ];
  });
}

declare module "../tensor.js" {
  interface Tensor {
    matmul(other: Tensor): Tensor;
    mm(other: Tensor): Tensor;
    bmm(other: Tensor): Tensor;
    dot(other: Tensor): Tensor;
    outer(other: Tensor): Tensor;
    /** x W^T + b; see `linear`. */
    linear(weight: Tensor, bias?: Tensor | null): Tensor;
  }
}

Tensor.prototype.matmul = function (this: Tensor, other: Tensor) {
  return matmul(this, other);
};
Tensor.prototype.mm = function (this: Tensor, other: Tensor) {
  return mm(this, other);
};
Tensor.prototype.bmm = function (this: Tensor, other: Tensor) {
  return bmm(this, other);
};
Tensor.prototype.dot = function (this: Tensor, other: Tensor) {
  return dot(this, other);
};
Tensor.prototype.outer = function (this: Tensor, other: Tensor) {
  return outer(this, other);
};
Tensor.prototype.linear = function (this: Tensor, weight: Tensor, bias?: Tensor | null) {
  return linear(this, weight, bias);
};
