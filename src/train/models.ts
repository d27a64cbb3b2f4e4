import { Sequential } from "../nn/containers.js";
import { Conv2d } from "../nn/layers/conv.js";
import { Flatten } from "../nn/layers/flatten.js";
import { Linear } from "../nn/layers/linear.js";
import { MaxPool2d } from "../nn/layers/pooling.js";
import { ReLU } from "../nn/layers/activation.js";
import type { Module } from "../nn/module.js";

/**
 * A multi-layer perceptron: Linear -> ReLU for each hidden size, then a
 * Linear to `outputs` (logits). Inputs of any shape [N, ...] are flattened.
 */
export function mlp(inputSize: number, hidden: readonly number[], outputs: number): Sequential {
  const layers: Module[] = [new Flatten()];
  let width = inputSize;
  for (const h of hidden) {
    if (!Number.isInteger(h) || h < 1) throw new RangeError(`mlp: hidden sizes must be positive integers, got ${h}`);
    layers.push(new Linear(width, h), new ReLU());
    width = h;
  }
  layers.push(new Linear(width, outputs));
  return new Sequential(...layers);
}

/**
 * A small LeNet-5-style CNN (LeCun et al. 1998) for [N, C, H, W] images:
 * conv5x5(6, same) -> ReLU -> maxpool2 -> conv5x5(16) -> ReLU -> maxpool2 ->
 * 120 -> 84 -> `classes`, all with ReLU.
 */
export function lenet(inChannels: number, height: number, width: number, classes: number): Sequential {
  const h = Math.floor((Math.floor(height / 2) - 4) / 2);
  const w = Math.floor((Math.floor(width / 2) - 4) / 2);
  if (h < 1 || w < 1) throw new RangeError(`lenet: images of ${height}x${width} are too small (need at least 12x12)`);
  return new Sequential(
    new Conv2d(inChannels, 6, 5, { padding: 2 }),
    new ReLU(),
    new MaxPool2d(2),
    new Conv2d(6, 16, 5),
    new ReLU(),
    new MaxPool2d(2),
    new Flatten(),
    new Linear(16 * h * w, 120),
    new ReLU(),
    new Linear(120, 84),
    new ReLU(),
    new Linear(84, classes),
  );
}
