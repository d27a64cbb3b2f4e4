// Elementwise kernels over float32 arrays (byte addresses), four lanes at a time.

/**
 * BLAS saxpy, y = y + alpha*x over n elements. It reads two arrays and
 * writes one back, the access pattern of an optimizer step, so the
 * benchmark times it as the memory-bandwidth floor.
 */
export function axpy(y: usize, x: usize, n: i32, alpha: f32): void {
  const va = f32x4.splat(alpha);
  const end = (<usize>n & ~3) << 2;
  for (let o: usize = 0; o < end; o += 16) {
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(va, v128.load(x + o))));
  }
  const last = <usize>n << 2;
  for (let o = end; o < last; o += 4) store<f32>(y + o, load<f32>(y + o) + alpha * load<f32>(x + o));
}
