import { Tensor } from "../../tensor/tensor.js";
import { checkFinite, checkTarget, generatorOf, type InitOptions } from "./fill.js";

export interface OrthogonalOptions extends InitOptions {
  /** Scale of the result (default 1). */
  gain?: number;
}

/**
 * Fills `t` in place with a (semi-)orthogonal matrix times `gain`
 * (torch.nn.init.orthogonal_, Saxe et al., 2013). `t` is viewed as
 * rows = shape[0] by cols = the product of the rest; a standard normal
 * draw of the taller orientation is factored A = QR and Q, with the signs
 * that make diag(R) positive, is the result (transposed back when rows < cols),
 * so its rows (rows <= cols) or columns are orthonormal. The QR is
 * modified Gram-Schmidt applied twice ("twice is enough", Giraud et al.,
 * 2005), which gives Q to machine precision and positive diag(R) directly.
 */
export function orthogonal(t: Tensor, options: OrthogonalOptions = {}): Tensor {
  checkTarget(t, "orthogonal");
  if (t.ndim < 2) throw new Error(`orthogonal: only tensors with 2 or more dimensions are supported, got ${t.ndim}`);
  const gain = options.gain ?? 1;
  checkFinite(gain, "gain", "orthogonal");
  const rows = t.shape[0]!;
  const cols = t.size / Math.max(rows, 1);
  if (t.size === 0) return t;
  const g = generatorOf(options);
  // Work on the tall matrix m x n (m >= n), stored column-major: column j at [j*m, (j+1)*m).
  const m = Math.max(rows, cols);
  const n = Math.min(rows, cols);
  const q = new Float64Array(m * n);
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) q[j * m + i] = g.normal();
  for (let j = 0; j < n; j++) {
    const cj = j * m;
    for (let pass = 0; pass < 2; pass++) {
      for (let k = 0; k < j; k++) {
        const ck = k * m;
        let dot = 0;
        for (let i = 0; i < m; i++) dot += q[ck + i]! * q[cj + i]!;
        for (let i = 0; i < m; i++) q[cj + i] = q[cj + i]! - dot * q[ck + i]!;
      }
    }
    let norm = 0;
    for (let i = 0; i < m; i++) norm += q[cj + i]! * q[cj + i]!;
    norm = Math.sqrt(norm);
    if (norm === 0) throw new Error("orthogonal: the random draw was rank deficient (try another seed)");
    for (let i = 0; i < m; i++) q[cj + i] = q[cj + i]! / norm;
  }
  // Tall case: W[i][j] = Q[i][j]; wide case: W = Q^T, W[i][j] = Q[j][i].
  const data = t.data;
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      data[r * cols + c] = gain * (rows >= cols ? q[c * m + r]! : q[r * m + c]!);
    }
  }
  return t;
}
