import { allocate, isFloating } from "../../tensor/dtype.js";
import { defaultGenerator, type Generator } from "../../tensor/random.js";
import { Tensor } from "../../tensor/tensor.js";
import "../../tensor/index.js";

/**
 * Dropout (Srivastava et al., 2014; torch.nn.functional.dropout): in
 * training, each element is zeroed with probability p and the survivors
 * are scaled by 1/(1 - p), so the expected value is unchanged; otherwise
 * (or with p = 0) the input is returned as is. p = 1 zeroes everything.
 * The mask is drawn from `generator` (the global one by default).
 */
export function dropout(x: Tensor, p = 0.5, training = true, generator?: Generator): Tensor {
  if (typeof p !== "number" || !(p >= 0 && p <= 1)) throw new RangeError(`dropout: p must be in [0, 1], got ${String(p)}`);
  if (!isFloating(x.dtype)) throw new TypeError(`dropout: expected a floating tensor, got ${x.dtype}`);
  if (!training || p === 0) return x;
  const g = generator ?? defaultGenerator;
  const scale = p === 1 ? 0 : 1 / (1 - p);
  const mask = allocate(x.dtype, x.size);
  for (let i = 0; i < mask.length; i++) mask[i] = g.random() < p ? 0 : scale;
  return x.mul(new Tensor(mask, x.shape));
}
