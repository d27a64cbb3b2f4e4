/**
 * nabla: tensors with reverse-mode autograd, and the optimizers, schedules
 * and training loop built on them. `import * as nb from "nabla"`.
 */
export * from "./tensor/index.js";
export * from "./autograd/index.js";
