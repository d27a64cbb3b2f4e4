// Single-precision GEMM, C = alpha*op(A)*op(B) + beta*C, on row-major
// matrices in linear memory (byte addresses; leading dimensions in elements).
//
// The same Goto-style scheme as the TypeScript reference
// (src/tensor/kernels/gemm-blocked.ts): for each kc-deep slice of the shared
// dimension a kc x nc block of op(B) is packed into NR-column panels and an
// mc x kc block of op(A) into MR-row panels; the micro-kernel then keeps an
// MR x NR tile of C in registers (MR*NR/4 f32x4 accumulators) while it streams
// one A panel and one B panel. Transposes happen only while packing. Products
// accumulate in float32 within each kc slice; the result is added to C once
// per slice.

/** Rows of op(A) per panel (one splat each per step of k). */
export const MR: i32 = 4;
/** Columns of op(B) per panel (two f32x4 registers). */
export const NR: i32 = 8;

// Edge tiles (fewer than MR rows or NR columns) are written here first.
const TILE: usize = memory.data(MR * NR * 4, 16);

/** Packs op(A)[i0 : i0+mc, p0 : p0+kc] into MR-row panels, ap[(panel*kc + p)*MR + i]; rows past mc are zero. */
function packA(a: usize, lda: i32, trans: bool, i0: i32, p0: i32, mc: i32, kc: i32, ap: usize): void {
  const ldaB = <usize>lda << 2;
  let dst = ap;
  for (let ir = 0; ir < mc; ir += MR) {
    const mr = min(MR, mc - ir);
    if (trans) {
      // Stored k x m: the MR values of a panel at depth p are contiguous.
      let src = a + (<usize>p0 * lda + i0 + ir) * 4;
      for (let p = 0; p < kc; p++) {
        if (mr == MR) v128.store(dst, v128.load(src));
        else {
          v128.store(dst, f32x4.splat(0));
          for (let i = 0; i < mr; i++) store<f32>(dst + (<usize>i << 2), load<f32>(src + (<usize>i << 2)));
        }
        src += ldaB;
        dst += MR * 4;
      }
    } else if (mr == MR) {
      // Stored m x k: read four rows side by side and transpose 4x4 blocks.
      const r0 = a + (<usize>(i0 + ir) * lda + p0) * 4;
      const r1 = r0 + ldaB, r2 = r1 + ldaB, r3 = r2 + ldaB;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        const v0 = v128.load(r0 + o), v1 = v128.load(r1 + o), v2 = v128.load(r2 + o), v3 = v128.load(r3 + o);
        const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
        const t2 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
        v128.store(dst, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
        v128.store(dst, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 16);
        v128.store(dst, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 32);
        v128.store(dst, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 48);
        dst += 64;
      }
      for (; p < kc; p++) {
        const o = <usize>p << 2;
        store<f32>(dst, load<f32>(r0 + o));
        store<f32>(dst, load<f32>(r1 + o), 4);
        store<f32>(dst, load<f32>(r2 + o), 8);
        store<f32>(dst, load<f32>(r3 + o), 12);
        dst += 16;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, f32x4.splat(0));
        for (let i = 0; i < mr; i++) {
          store<f32>(dst + (<usize>i << 2), load<f32>(a + (<usize>(i0 + ir + i) * lda + p0 + p) * 4));
        }
        dst += MR * 4;
      }
    }
  }
}

/** Packs op(B)[p0 : p0+kc, j0 : j0+nc] into NR-column panels, bp[(panel*kc + p)*NR + j]; columns past nc are zero. */
function packB(b: usize, ldb: i32, trans: bool, p0: i32, j0: i32, kc: i32, nc: i32, bp: usize): void {
  const ldbB = <usize>ldb << 2;
  let dst = bp;
  for (let jr = 0; jr < nc; jr += NR) {
    const nr = min(NR, nc - jr);
    if (!trans) {
      // Stored k x n: the NR values of a panel at depth p are contiguous.
      let src = b + (<usize>p0 * ldb + j0 + jr) * 4;
      for (let p = 0; p < kc; p++) {
        if (nr == NR) {
          v128.store(dst, v128.load(src));
          v128.store(dst, v128.load(src, 16), 16);
        } else {
          v128.store(dst, f32x4.splat(0));
          v128.store(dst, f32x4.splat(0), 16);
          for (let j = 0; j < nr; j++) store<f32>(dst + (<usize>j << 2), load<f32>(src + (<usize>j << 2)));
        }
        src += ldbB;
        dst += NR * 4;
      }
    } else if (nr == NR) {
      // Stored n x k: eight rows side by side, transposed four depths at a time.
      const r0 = b + (<usize>(j0 + jr) * ldb + p0) * 4;
      let p = 0;
      for (; p + 4 <= kc; p += 4) {
        const o = <usize>p << 2;
        for (let half: usize = 0; half < 2; half++) {
          const s = r0 + half * 4 * ldbB + o;
          const v0 = v128.load(s), v1 = v128.load(s + ldbB), v2 = v128.load(s + 2 * ldbB), v3 = v128.load(s + 3 * ldbB);
          const t0 = v128.shuffle<f32>(v0, v1, 0, 4, 1, 5), t1 = v128.shuffle<f32>(v2, v3, 0, 4, 1, 5);
          const t2 = v128.shuffle<f32>(v0, v1, 2, 6, 3, 7), t3 = v128.shuffle<f32>(v2, v3, 2, 6, 3, 7);
          const d = dst + half * 16;
          v128.store(d, v128.shuffle<f32>(t0, t1, 0, 1, 4, 5));
          v128.store(d, v128.shuffle<f32>(t0, t1, 2, 3, 6, 7), 32);
          v128.store(d, v128.shuffle<f32>(t2, t3, 0, 1, 4, 5), 64);
          v128.store(d, v128.shuffle<f32>(t2, t3, 2, 3, 6, 7), 96);
        }
        dst += 128;
      }
      for (; p < kc; p++) {
        const s = r0 + (<usize>p << 2);
        for (let j = 0; j < NR; j++) store<f32>(dst + (<usize>j << 2), load<f32>(s + <usize>j * ldbB));
        dst += NR * 4;
      }
    } else {
      for (let p = 0; p < kc; p++) {
        v128.store(dst, f32x4.splat(0));
        v128.store(dst, f32x4.splat(0), 16);
        for (let j = 0; j < nr; j++) {
          store<f32>(dst + (<usize>j << 2), load<f32>(b + (<usize>(j0 + jr + j) * ldb + p0 + p) * 4));
        }
        dst += NR * 4;
      }
    }
  }
}

/** One row of a full tile: C[r, 0:8] = alpha*acc + beta*C (beta 0: C is not read). Binaryen inlines it. */
function storeRow(cp: usize, x0: v128, x1: v128, va: v128, vb: v128, readC: bool): void {
  if (readC) {
    v128.store(cp, f32x4.add(f32x4.mul(vb, v128.load(cp)), f32x4.mul(va, x0)));
    v128.store(cp, f32x4.add(f32x4.mul(vb, v128.load(cp, 16)), f32x4.mul(va, x1)), 16);
  } else {
    v128.store(cp, f32x4.mul(va, x0));
    v128.store(cp, f32x4.mul(va, x1), 16);
  }
}

/**
 * The micro-kernel: the MR x NR tile of C at `cp` (leading dimension in bytes)
 * gets alpha * (A panel x B panel) + beta * tile; only mr x nr of it is
 * stored when the tile hangs over the edge of C.
 */
function micro(kc: i32, ap: usize, bp: usize, cp: usize, ldcB: usize, alpha: f32, beta: f32, mr: i32, nr: i32): void {
  let c00 = f32x4.splat(0), c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0), c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0), c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0), c31 = f32x4.splat(0);
  for (let p = 0; p < kc; p++) {
    const b0 = v128.load(bp), b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += MR * 4;
    bp += NR * 4;
  }
  const va = f32x4.splat(alpha), vb = f32x4.splat(beta);
  const readC = beta != 0;
  if (mr == MR && nr == NR) {
    storeRow(cp, c00, c01, va, vb, readC);
    storeRow(cp + ldcB, c10, c11, va, vb, readC);
    storeRow(cp + 2 * ldcB, c20, c21, va, vb, readC);
    storeRow(cp + 3 * ldcB, c30, c31, va, vb, readC);
    return;
  }
  v128.store(TILE, c00); v128.store(TILE, c01, 16);
  v128.store(TILE, c10, 32); v128.store(TILE, c11, 48);
  v128.store(TILE, c20, 64); v128.store(TILE, c21, 80);
  v128.store(TILE, c30, 96); v128.store(TILE, c31, 112);
  for (let i = 0; i < mr; i++) {
    const row = cp + <usize>i * ldcB;
    const t = TILE + <usize>(i * NR * 4);
    for (let j = 0; j < nr; j++) {
      const o = <usize>j << 2;
      const x = alpha * load<f32>(t + o);
      store<f32>(row + o, readC ? beta * load<f32>(row + o) + x : x);
    }
  }
}

/**
 * C = alpha*op(A)*op(B) + beta*C for m, n, k >= 1 and alpha != 0 (the caller
 * handles the degenerate cases). `ap` and `bp` are packing buffers of at
 * least roundUp(min(mc, m), MR)*min(kc, k) and roundUp(min(nc, n), NR)*min(kc, k)
 * floats; mc must be a multiple of MR and nc of NR.
 */
export function sgemm(
  transA: bool, transB: bool, m: i32, n: i32, k: i32, alpha: f32,
  a: usize, lda: i32, b: usize, ldb: i32, beta: f32, c: usize, ldc: i32,
  ap: usize, bp: usize, mcBlock: i32, kcBlock: i32, ncBlock: i32,
): void {
  const ldcB = <usize>ldc << 2;
  for (let jc = 0; jc < n; jc += ncBlock) {
    const nc = min(ncBlock, n - jc);
    for (let pc = 0; pc < k; pc += kcBlock) {
      const kc = min(kcBlock, k - pc);
      packB(b, ldb, transB, pc, jc, kc, nc, bp);
      // Later slices of k add onto what the first one wrote.
      const betaNow: f32 = pc == 0 ? beta : 1;
      for (let ic = 0; ic < m; ic += mcBlock) {
        const mc = min(mcBlock, m - ic);
        packA(a, lda, transA, ic, pc, mc, kc, ap);
        for (let jr = 0; jr < nc; jr += NR) {
          const nr = min(NR, nc - jr);
          const bPanel = bp + <usize>(jr * kc) * 4;
          for (let ir = 0; ir < mc; ir += MR) {
            const mr = min(MR, mc - ir);
            const cp = c + (<usize>(ic + ir) * ldc + jc + jr) * 4;
            micro(kc, ap + <usize>(ir * kc) * 4, bPanel, cp, ldcB, alpha, betaNow, mr, nr);
          }
        }
      }
    }
  }
}
