import type { Module } from "../nn/module.js";
import type { Tensor } from "../tensor/tensor.js";
import { lenet, mlp } from "../train/models.js";
import type { TaskData } from "./datasets.js";
import { UsageError } from "./usageError.js";

/** A model the commands train: an nn.Module mapping a batch of inputs to logits. */
export type TaskModel = Module & { forward(x: Tensor): Tensor };

/**
 * The model `--model` names for a task: an MLP with `hidden` layers over the
 * flattened input, or LeNet-5 for image data [C, H, W]; with the name the
 * commands print.
 */
export function buildTaskModel(kind: "mlp" | "cnn", hidden: readonly number[], data: TaskData): { model: TaskModel; name: string } {
  if (kind === "cnn") {
    if (data.inputShape.length !== 3) {
      throw new UsageError(`--model cnn needs image data [C, H, W]; ${data.name} has samples of shape [${data.inputShape.join(",")}]`);
    }
    const [c, h, w] = data.inputShape as [number, number, number];
    return { model: lenet(c, h, w, data.numClasses), name: "cnn (LeNet-5)" };
  }
  const inputSize = data.inputShape.reduce((a, b) => a * b, 1);
  return { model: mlp(inputSize, hidden, data.numClasses), name: `mlp ${[inputSize, ...hidden, data.numClasses].join("-")}` };
}
