// Ops that rearrange elements without computing new values: axis order,
// grouping into axes, joining and cutting, tiling and padding. One file
// per concept; src/tensor/index.ts re-exports this module.
export { permute, transpose } from "./shape-permute.js";
export { flatten, squeeze, unsqueeze } from "./shape-dims.js";
export { cat, chunk, concat, split, stack } from "./shape-join.js";
export { flip, repeat, tile } from "./shape-repeat.js";
export { pad, type PadMode, type PadOptions } from "./pad.js";
