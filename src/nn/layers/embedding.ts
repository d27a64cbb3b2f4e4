import { type DType } from "../../tensor/dtype.js";
import { type Generator } from "../../tensor/random.js";
import { emptyTensor, Tensor } from "../../tensor/tensor.js";
import { embedding, resolvePaddingIdx } from "../functional/embedding.js";
import { normal } from "../init/basic.js";
import { Module } from "../module.js";
import { checkInt, paramDType } from "./checks.js";

export interface EmbeddingLayerOptions {
  /** Row that starts at zero and never gets a gradient (negative counts from the end). */
  paddingIdx?: number | null;
  /** Rows looked up are rescaled in place to at most this norm. */
  maxNorm?: number | null;
  normType?: number;
  /** Divide each row's gradient by how often its index occurs in the batch. */
  scaleGradByFreq?: boolean;
  /** Sparse gradients are not supported; must be false. */
  sparse?: boolean;
  dtype?: DType;
  generator?: Generator;
}

/**
 * A lookup table of `numEmbeddings` vectors of size `embeddingDim`
 * (torch.nn.Embedding): int32 indices of any shape give [...shape, dim].
 * Initialized N(0, 1), with the paddingIdx row zero.
 */
export class Embedding extends Module {
  readonly numEmbeddings: number;
  readonly embeddingDim: number;
  /** The padding row, resolved to a non-negative index (null when none). */
  readonly paddingIdx: number | null;
  readonly maxNorm: number | null;
  readonly normType: number;
  readonly scaleGradByFreq: boolean;
  weight: Tensor;

  constructor(numEmbeddings: number, embeddingDim: number, options: EmbeddingLayerOptions = {}) {
    super();
    this.numEmbeddings = checkInt(numEmbeddings, "numEmbeddings", "Embedding");
    this.embeddingDim = checkInt(embeddingDim, "embeddingDim", "Embedding");
    this.paddingIdx = resolvePaddingIdx(options.paddingIdx, numEmbeddings, "Embedding");
    this.maxNorm = options.maxNorm ?? null;
    this.normType = options.normType ?? 2;
    this.scaleGradByFreq = options.scaleGradByFreq ?? false;
    if (options.sparse) throw new Error("Embedding: sparse gradients are not supported (use sparse: false)");
    const dtype = paramDType(options.dtype, "Embedding");
    this.weight = this.registerParameter("weight", emptyTensor([numEmbeddings, embeddingDim], dtype));
    this.resetParameters(options.generator);
  }

  /** An Embedding holding `weight` ([numEmbeddings, dim]); frozen (no gradient) unless `freeze: false`. */
  static fromPretrained(weight: Tensor, options: Omit<EmbeddingLayerOptions, "dtype" | "generator"> & { freeze?: boolean } = {}): Embedding {
    if (weight.ndim !== 2) throw new Error(`Embedding.fromPretrained: weight must be 2-D, got shape [${weight.shape.join(",")}]`);
    const layer = new Embedding(weight.shape[0]!, weight.shape[1]!, { ...options, dtype: weight.dtype });
    layer.weight.data.set(weight.data);
    layer.weight.requiresGrad = !(options.freeze ?? true);
    return layer;
  }

  resetParameters(generator?: Generator): void {
    normal(this.weight, 0, 1, { generator });
    if (this.paddingIdx !== null) this.weight.data.fill(0, this.paddingIdx * this.embeddingDim, (this.paddingIdx + 1) * this.embeddingDim);
  }

  override forward(input: Tensor): Tensor {
    return embedding(input, this.weight, {
      paddingIdx: this.paddingIdx,
      maxNorm: this.maxNorm,
      normType: this.normType,
      scaleGradByFreq: this.scaleGradByFreq,
    });
  }

  override extraRepr(): string {
    return `${this.numEmbeddings}, ${this.embeddingDim}${this.paddingIdx === null ? "" : `, paddingIdx=${this.paddingIdx}`}`;
  }
}
