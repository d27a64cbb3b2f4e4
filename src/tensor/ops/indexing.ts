// Ops that pick elements by position: ranges along an axis (slice,
// narrow, select), index tensors (indexSelect, gather, scatterAdd) and
// one-hot encoding. src/tensor/index.ts re-exports this module.
export { narrow, select, slice } from "./indexing-slice.js";
export { gather, scatterAdd } from "./indexing-gather.js";
export { indexSelect, oneHot } from "./indexing-select.js";
