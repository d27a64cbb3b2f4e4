import type { Tensor } from "../../tensor/tensor.js";

/**
 * Max-norm constraint (Srebro & Shraibman 2005; used with dropout by
 * Srivastava et al. 2014): rescales, in place, every slice `w[i]` along the
 * first dimension whose L2 norm exceeds `maxNorm` so that its norm becomes
 * `maxNorm` (torch.renorm(w, 2, 0, maxNorm); for nn.Linear's [out, in]
 * weight, one slice per output unit, like Keras' MaxNorm on a kernel).
 * Tensors with fewer than 2 dimensions (biases) are left alone. Call it
 * after each optimizer step. Returns how many slices were rescaled.
 */
export function maxNormConstraint(params: Iterable<Tensor>, maxNorm: number): number {
  if (typeof maxNorm !== "number" || !(maxNorm > 0) || !Number.isFinite(maxNorm)) {
    throw new RangeError(`maxNormConstraint: maxNorm must be a positive finite number, got ${String(maxNorm)}`);
  }
  let rescaled = 0;
  for (const p of params) {
    if (p.ndim < 2) continue;
    const data = p.data;
    const rows = p.shape[0]!;
    const width = rows === 0 ? 0 : data.length / rows;
    for (let r = 0; r < rows; r++) {
      let sq = 0;
      for (let k = r * width; k < (r + 1) * width; k++) sq += data[k]! * data[k]!;
      const norm = Math.sqrt(sq);
      if (norm <= maxNorm) continue;
      // torch.renorm divides by (norm + 1e-7) so a slice lands just inside the bound.
      const factor = maxNorm / (norm + 1e-7);
      for (let k = r * width; k < (r + 1) * width; k++) data[k] = data[k]! * factor;
      rescaled++;
    }
  }
  return rescaled;
}
