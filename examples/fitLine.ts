// Fits y = 3x + 2 by plain gradient descent written by hand on nabla tensors:
// the smallest complete use of tensors + autograd. Run: npx tsx examples/fitLine.ts
import * as nb from "../src/index.js";

const gen = new nb.Generator(0);
const x = nb.rand([64, 1], { generator: gen }).mul(4).sub(2);
const y = x.mul(3).add(2).add(nb.randn([64, 1], { generator: gen }).mul(0.05));

const w = nb.zeros([1], { requiresGrad: true });
const b = nb.zeros([1], { requiresGrad: true });
const lr = 0.1;

for (let step = 0; step <= 200; step++) {
  const pred = x.mul(w).add(b);
  const loss = pred.sub(y).mul(pred.sub(y)).mean();
  w.grad = null;
  b.grad = null;
  loss.backward();
  // The update itself is not part of the graph.
  nb.noGrad(() => {
    w.data[0] = w.data[0]! - lr * w.grad!.data[0]!;
    b.data[0] = b.data[0]! - lr * b.grad!.data[0]!;
  });
  if (step % 25 === 0) console.log(`step ${String(step).padStart(3)}  loss ${loss.item().toFixed(6)}`);
}
console.log(`fitted y = ${w.item().toFixed(3)} x + ${b.item().toFixed(3)} (true: y = 3 x + 2)`);
