// nb.io: saving and loading tensors (safetensors) and atomic file writes.
export * from "./safetensors.js";
export * from "./files.js";
