// The tensor layer: the Tensor class, creation, random generators, and
// every op (each op module also attaches its methods to Tensor).
export * from "./dtype.js";
export * from "./shape.js";
export * from "./random.js";
export * from "./tensor.js";
export * from "./creation.js";
export * from "./gradMode.js";
export * from "./ops/scalar.js";
export * from "./ops/arithmetic.js";
export * from "./ops/cast.js";
export * from "./ops/reshape.js";
export * from "./ops/reduce.js";
export * from "./ops/elementwise.js";
export * from "./ops/activations.js";
export * from "./ops/reductions.js";
export * from "./ops/softmax.js";
export * from "./ops/shape.js";
export * from "./ops/indexing.js";
export * from "./ops/linalg.js";
export * from "./ops/conv.js";
export * from "./ops/pool.js";
export * from "./backend.js";
