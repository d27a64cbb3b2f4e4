// nb.optim.lowPrecision: memory-light optimizer state (bfloat16 and block-wise 8-bit).
export { decodeBf16, encodeBf16, fromBf16, toBf16 } from "./bf16.js";
export {
  BLOCK_SIZE,
  codeMap,
  dequantizeBlockwise,
  dynamicMap,
  nearestCode,
  quantizeBlock,
  quantizeBlockwise,
  SIGNED_MAP,
  UNSIGNED_MAP,
  type CodeMap,
} from "./blockwise8bit.js";
export { adam8bitKernel, adamBf16Kernel, type AdamScalars } from "./adamKernels.js";
export { bf16View, byteView, packedWords } from "./packed.js";
export {
  adamScalars,
  freshMoments,
  lowPrecisionAdamStep,
  momentLayoutFor,
  momentLayoutOf,
  withDecodedMoments,
  type LowPrecisionHyper,
  type MomentLayout,
} from "./moments.js";
export {
  Adam8bit,
  AdamW8bit,
  AdamWBf16,
  LowPrecisionAdam,
  type LowPrecisionAdamOptions,
  type LowPrecisionAdamState,
  type StateDtype,
} from "./LowPrecisionAdam.js";
