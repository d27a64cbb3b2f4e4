// Fused optimizer updates over float32 arrays, four lanes at a time.
//
// Every argument that names an array is a byte address in linear memory; the
// JavaScript side (src/optim/kernels/wasm*.ts) either passes the address of a
// buffer that already lives here or copies a chunk in and out. The arithmetic
// is float32, like torch.optim on float32 parameters (the plain TypeScript
// kernels compute in double and round on store; the two agree to a few ulps).
// The remainder past the last multiple of four runs the same float32
// operations one lane at a time, so an element's result does not depend on
// where it sits.

/**
 * torch.optim.Adam / AdamW, one pass:
 *   g' = sign*g + coupled*p           (coupled: Adam's L2 weight decay)
 *   m  = b1*m + c1*g'                  (c1 = 1 - b1)
 *   v  = b2*v + c2*g'^2                (c2 = 1 - b2)
 *   vmax = max(vmax, v)                (amsgrad, when vmax != 0)
 *   p  = p*shrink - stepSize*m / (sqrt(v or vmax)*invSqrtBc2 + eps)
 * where shrink = 1 - lr*wd for AdamW's decoupled decay.
 */
export function adam(
  p: usize, g: usize, m: usize, v: usize, vmax: usize, n: i32,
  stepSize: f32, invSqrtBc2: f32, b1: f32, c1: f32, b2: f32, c2: f32, eps: f32,
  shrink: f32, coupled: f32, sign: f32,
): void {
  if (vmax == 0 && coupled == 0 && sign == 1) {
    adamPlain(p, g, m, v, n, stepSize, invSqrtBc2, b1, c1, b2, c2, eps, shrink);
    return;
  }
  const vs = f32x4.splat(stepSize), vbc = f32x4.splat(invSqrtBc2), ve = f32x4.splat(eps);
  const vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2);
  const vsh = f32x4.splat(shrink), vcp = f32x4.splat(coupled), vsg = f32x4.splat(sign);
  const end = (<usize>n & ~3) << 2;
  for (let o: usize = 0; o < end; o += 16) {
    const p0 = v128.load(p + o);
    const gi = f32x4.add(f32x4.mul(vsg, v128.load(g + o)), f32x4.mul(vcp, p0));
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gi));
    let vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(f32x4.mul(vc2, gi), gi));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    if (vmax != 0) {
      vi = f32x4.max(v128.load(vmax + o), vi);
      v128.store(vmax + o, vi);
    }
    const d = f32x4.div(f32x4.mul(vs, mi), f32x4.add(f32x4.mul(f32x4.sqrt(vi), vbc), ve));
    v128.store(p + o, f32x4.sub(f32x4.mul(p0, vsh), d));
  }
  const last = <usize>n << 2;
  for (let o = end; o < last; o += 4) {
    const p0 = load<f32>(p + o);
    const gi = sign * load<f32>(g + o) + coupled * p0;
    const mi = b1 * load<f32>(m + o) + c1 * gi;
    let vi = b2 * load<f32>(v + o) + c2 * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    if (vmax != 0) {
      vi = max(load<f32>(vmax + o), vi);
      store<f32>(vmax + o, vi);
    }
    store<f32>(p + o, p0 * shrink - (stepSize * mi) / (sqrt<f32>(vi) * invSqrtBc2 + eps));
  }
}

/** Adam / AdamW without amsgrad, maximize or coupled decay: the common case, with nothing unused in the loop. */
function adamPlain(
  p: usize, g: usize, m: usize, v: usize, n: i32,
  stepSize: f32, invSqrtBc2: f32, b1: f32, c1: f32, b2: f32, c2: f32, eps: f32, shrink: f32,
): void {
  const vs = f32x4.splat(stepSize), vbc = f32x4.splat(invSqrtBc2), ve = f32x4.splat(eps);
  const vb1 = f32x4.splat(b1), vc1 = f32x4.splat(c1), vb2 = f32x4.splat(b2), vc2 = f32x4.splat(c2);
  const vsh = f32x4.splat(shrink);
  // Two vectors per iteration (about 8% faster than one: more independent work per loop test).
  const end8 = (<usize>n & ~7) << 2;
  for (let o: usize = 0; o < end8; o += 32) {
    const g0 = v128.load(g + o), g1 = v128.load(g + o, 16);
    const m0 = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, g0));
    const m1 = f32x4.add(f32x4.mul(vb1, v128.load(m + o, 16)), f32x4.mul(vc1, g1));
    const v0 = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(f32x4.mul(vc2, g0), g0));
    const v1 = f32x4.add(f32x4.mul(vb2, v128.load(v + o, 16)), f32x4.mul(f32x4.mul(vc2, g1), g1));
    v128.store(m + o, m0);
    v128.store(m + o, m1, 16);
    v128.store(v + o, v0);
    v128.store(v + o, v1, 16);
    const d0 = f32x4.div(f32x4.mul(vs, m0), f32x4.add(f32x4.mul(f32x4.sqrt(v0), vbc), ve));
    const d1 = f32x4.div(f32x4.mul(vs, m1), f32x4.add(f32x4.mul(f32x4.sqrt(v1), vbc), ve));
    v128.store(p + o, f32x4.sub(f32x4.mul(v128.load(p + o), vsh), d0));
    v128.store(p + o, f32x4.sub(f32x4.mul(v128.load(p + o, 16), vsh), d1), 16);
  }
  const end = (<usize>n & ~3) << 2;
  for (let o = end8; o < end; o += 16) {
    const gi = v128.load(g + o);
    const mi = f32x4.add(f32x4.mul(vb1, v128.load(m + o)), f32x4.mul(vc1, gi));
    const vi = f32x4.add(f32x4.mul(vb2, v128.load(v + o)), f32x4.mul(f32x4.mul(vc2, gi), gi));
    v128.store(m + o, mi);
    v128.store(v + o, vi);
    const d = f32x4.div(f32x4.mul(vs, mi), f32x4.add(f32x4.mul(f32x4.sqrt(vi), vbc), ve));
    v128.store(p + o, f32x4.sub(f32x4.mul(v128.load(p + o), vsh), d));
  }
  const last = <usize>n << 2;
  for (let o = end; o < last; o += 4) {
    const gi = load<f32>(g + o);
    const mi = b1 * load<f32>(m + o) + c1 * gi;
    const vi = b2 * load<f32>(v + o) + c2 * gi * gi;
    store<f32>(m + o, mi);
    store<f32>(v + o, vi);
    store<f32>(p + o, load<f32>(p + o) * shrink - (stepSize * mi) / (sqrt<f32>(vi) * invSqrtBc2 + eps));
  }
}

/** Plain SGD, p = p - lr*(sign*g + wd*p); with sign 1 and wd 0 it is p - lr*g. */
export function sgd(p: usize, g: usize, n: i32, lr: f32, wd: f32, sign: f32): void {
  const vlr = f32x4.splat(lr), vwd = f32x4.splat(wd), vsg = f32x4.splat(sign);
  const end = (<usize>n & ~3) << 2;
  const last = <usize>n << 2;
  if (wd == 0 && sign == 1) {
    for (let o: usize = 0; o < end; o += 16) {
      v128.store(p + o, f32x4.sub(v128.load(p + o), f32x4.mul(vlr, v128.load(g + o))));
    }
    for (let o = end; o < last; o += 4) store<f32>(p + o, load<f32>(p + o) - lr * load<f32>(g + o));
    return;
  }
  for (let o: usize = 0; o < end; o += 16) {
    const p0 = v128.load(p + o);
    const d = f32x4.add(f32x4.mul(vsg, v128.load(g + o)), f32x4.mul(vwd, p0));
    v128.store(p + o, f32x4.sub(p0, f32x4.mul(vlr, d)));
  }
  for (let o = end; o < last; o += 4) {
    const p0 = load<f32>(p + o);
    store<f32>(p + o, p0 - lr * (sign * load<f32>(g + o) + wd * p0));
  }
}

/**
 * SGD with momentum, one pass, as torch.optim.SGD: d = sign*g + wd*p;
 * buf = mu*buf + keep*d (keep = 1 - dampening); then p -= lr*buf, or with
 * Nesterov p -= lr*(d + look*buf) (look = momentum). The first step passes
 * mu = 0, keep = 1, so that buf = d.
 */
export function sgdMomentum(p: usize, g: usize, buf: usize, n: i32, lr: f32, mu: f32, keep: f32, wd: f32, sign: f32, nesterov: bool, look: f32): void {
  const vlr = f32x4.splat(lr), vmu = f32x4.splat(mu), vk = f32x4.splat(keep);
  const vwd = f32x4.splat(wd), vsg = f32x4.splat(sign), vlk = f32x4.splat(look);
  const end = (<usize>n & ~3) << 2;
  const last = <usize>n << 2;
  if (!nesterov) {
    for (let o: usize = 0; o < end; o += 16) {
      const p0 = v128.load(p + o);
      const d = f32x4.add(f32x4.mul(vsg, v128.load(g + o)), f32x4.mul(vwd, p0));
      const b = f32x4.add(f32x4.mul(vmu, v128.load(buf + o)), f32x4.mul(vk, d));
      v128.store(buf + o, b);
      v128.store(p + o, f32x4.sub(p0, f32x4.mul(vlr, b)));
    }
    for (let o = end; o < last; o += 4) {
      const p0 = load<f32>(p + o);
      const d = sign * load<f32>(g + o) + wd * p0;
      const b = mu * load<f32>(buf + o) + keep * d;
      store<f32>(buf + o, b);
      store<f32>(p + o, p0 - lr * b);
    }
    return;
  }
  for (let o: usize = 0; o < end; o += 16) {
    const p0 = v128.load(p + o);
    const d = f32x4.add(f32x4.mul(vsg, v128.load(g + o)), f32x4.mul(vwd, p0));
    const b = f32x4.add(f32x4.mul(vmu, v128.load(buf + o)), f32x4.mul(vk, d));
    v128.store(buf + o, b);
    v128.store(p + o, f32x4.sub(p0, f32x4.mul(vlr, f32x4.add(d, f32x4.mul(vlk, b)))));
  }
  for (let o = end; o < last; o += 4) {
    const p0 = load<f32>(p + o);
    const d = sign * load<f32>(g + o) + wd * p0;
    const b = mu * load<f32>(buf + o) + keep * d;
    store<f32>(buf + o, b);
    store<f32>(p + o, p0 - lr * (d + look * b));
  }
}
