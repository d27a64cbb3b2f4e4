/**
 * nabla: tensors with reverse-mode autograd, and the optimizers, schedules
 * and training loop built on them. `import * as nb from "nabla"`.
 */
export * from "./tensor/index.js";
export * from "./autograd/index.js";
export * as schedules from "./schedules/index.js";
export * as nn from "./nn/index.js";
export * as optim from "./optim/index.js";
export * as data from "./data/index.js";
export * from "./train/index.js";
export * as io from "./io/index.js";
export * as amp from "./amp/index.js";
