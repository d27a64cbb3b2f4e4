// Plain (full-batch) gradient descent is SGD fed the whole dataset at every
// step: one batch of all N samples, so each step follows the exact gradient.
// Run: npx tsx examples/fullBatchGD.ts
import * as nb from "../src/index.js";

const data = nb.data.linearRegression({ n: 500, features: 3, noise: 0.1, seed: 0 });
const model = new nb.nn.Linear(3, 1);
const optimizer = new nb.optim.SGD(model.parameters(), { lr: 0.1 });

const history = await nb.fit(model, {
  optimizer,
  loss: (out, y) => nb.nn.functional.mseLoss(out, y),
  trainData: data.train,
  valData: data.test,
  batchSize: data.train.length, // the whole training set: full-batch gradient descent
  shuffle: false,
  epochs: 100,
});
for (const e of history.epochs.filter((_, i) => i % 20 === 0 || i === 99)) {
  console.log(`step ${String(e.epoch + 1).padStart(3)}  train mse ${e.loss.toFixed(5)}  test mse ${e.val_loss!.toFixed(5)}`);
}
console.log("learned weights", Array.from(model.weight.data).map((v) => v.toFixed(3)).join(", "));
console.log("true weights   ", data.weights.map((v) => v.toFixed(3)).join(", "));
